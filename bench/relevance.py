"""Search relevance figures: `python -m bench.relevance`.

Builds the evaluation catalog (the bundled sample plus the real corpus) in a temporary
folder, runs every judged query of tests/relevance/judgments.toml, and prints the
per-query table with MRR@10, nDCG@10 and moment recall (±10 s).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.relevance import catalog, evaluate


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        started = time.perf_counter()
        report = catalog.build(data_dir, Path(tmp) / "work")
        built = time.perf_counter() - started
        rows = evaluate.evaluate(data_dir, evaluate.load_judgments())
    items = sum(s.new + s.updated + s.unchanged for s in report.sources)
    print(f"evaluation catalog: {items} items from {len(report.sources)} sources, indexed in {built:.1f} s")
    for error in report.errors:
        print(f"not indexed: {error['source']} / {error['item']}: {error['reason']}")
    print()
    print(evaluate.table(rows))


if __name__ == "__main__":
    main()
