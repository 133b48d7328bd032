"""Build and query figures on the bundled sample: `python -m bench.sample_figures`.

Prints the index build time and in-process query latency (reused searcher, moments
and highlights included) over a fixed mixed query list.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from catalog.generations.live import live_name, open_generation
from catalog.search.document import SearchRequest, run_search
from catalog.storage import store
from indexer import build
from indexer.config import load_config
from indexer.run import reindex

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "sources.toml"
QUERIES = [
    "4x400 relay",
    "4 x 400",
    "strides before a race",
    "plyo circuit",
    "masters 800",
    "sub 5 mile",
    '"four by four hundred"',
    "tempo",
    "personal best",
    "5K",
    "fifteen hundred",
    "marathon fuelling",
    "hill repeats",
    "warm up",
    "vo2 max",
    "cross country",
    "recovery",
    "mile",
    "relay",
    "coach",
]
ROUNDS = 20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        reindex(load_config(SAMPLE), data)
        db = store.open_for_writing(data)
        builds = []
        for _ in range(5):
            started = time.perf_counter()
            build.build_generation(db, data)
            builds.append(time.perf_counter() - started)
        readonly = store.open_readonly(data)
        cold, cached = [], []
        for _ in range(ROUNDS):
            generation = open_generation(data, live_name(data))  # an empty result cache each round
            generation.index.doc_count()  # opened once per worker, not per query
            for query in QUERIES:
                for timings in (cold, cached):
                    started = time.perf_counter()
                    run_search(generation, readonly, SearchRequest.from_args({"q": query}))
                    timings.append((time.perf_counter() - started) * 1000)
        counts = store.counts(db)
    print(f"sample catalog: {counts['live']} items, {counts['segments']} segments, {os.cpu_count()} cores")
    print(f"index build: median {statistics.median(builds):.3f} s over {len(builds)} builds")
    for label, timings in (("queries, first time", cold), ("queries, repeated (result cache)", cached)):
        print(
            f"{label} ({len(QUERIES)} x {ROUNDS}): p50 {percentile(timings, 0.5):.2f} ms, "
            f"p95 {percentile(timings, 0.95):.2f} ms, p99 {percentile(timings, 0.99):.2f} ms"
        )


if __name__ == "__main__":
    main()
