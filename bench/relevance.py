"""Search relevance figures: `python -m bench.relevance`.

Two judged sets, each on a catalog built in a temporary folder through the product's readers:
- the bundled sample plus real running posts (tests/relevance/judgments.toml), moments
  within ±10 s;
- real material nobody here wrote (tests/relevance/real_judgments.toml: podcast transcripts,
  running posts and show notes), moments within ±15 s, beside a plain SQLite FTS5 index of
  the same catalog with the words OR'ed and AND'ed.
Each prints its per-query table and its figures.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.relevance import catalog, evaluate, metrics, real_catalog
from tests.relevance.baseline import Fts5Baseline


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = _built("sample and real posts", catalog.build, Path(tmp) / "sample")
        print(evaluate.table(evaluate.evaluate(data_dir, evaluate.load_judgments())))
        print()
        data_dir = _built("real material", real_catalog.build, Path(tmp) / "real")
        judgments = evaluate.load_judgments(evaluate.REAL_JUDGMENTS)
        ours = evaluate.evaluate(data_dir, judgments, window=metrics.ANSWER_WINDOW)
        print(evaluate.table(ours))
        baseline = Fts5Baseline(data_dir)
        rows = {"catalog": ours}
        for joiner in ("OR", "AND"):
            rows[f"FTS5 {joiner}"] = [
                evaluate.score(j, baseline.search(j.query, joiner), metrics.ANSWER_WINDOW) for j in judgments
            ]
        print()
        print(evaluate.comparison(rows))


def _built(name: str, build, folder: Path) -> Path:
    started = time.perf_counter()
    report = build(folder / "data", folder / "work")
    items = sum(s.new + s.updated + s.unchanged for s in report.sources)
    print(f"{name}: {items} items from {len(report.sources)} sources, indexed in {time.perf_counter() - started:.1f} s")
    for error in report.errors:
        print(f"not indexed: {error['source']} / {error['item']}: {error['reason']}")
    return folder / "data"


if __name__ == "__main__":
    main()
