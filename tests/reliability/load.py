"""No downtime: gunicorn keeps answering, every request fast, while `catalog reindex` publishes.

Concurrent clients hit /api/search, /search, item pages and /healthz for the whole run
while a loop changes some items and runs `catalog reindex` again and again, each run
publishing a new generation. Every request is recorded. The check holds when no request
failed or took a second, the workers served at least `publishes` new generations (seen in
/healthz) and they are the same processes at the end, holding the final generation open.

    python -m tests.reliability.load [--clients 8] [--seconds 60] [--publishes 5] [--items 1000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

from catalog.generations.live import live_name
from tests.reliability import (
    MARKS,
    SAMPLE_SOURCES,
    WORDS,
    Gunicorn,
    generations_open,
    mark,
    run_reindex,
    sqlite_live_ids,
    write_videos,
)

SLOW_MS = 1000.0
CHANGED_PER_RUN = 50  # items rewritten before each reindex, so every run publishes
SAMPLE_QUERIES = ("4x400 relay", "sub 5 mile", "strides before a race", "tempo", "tempp run", "-easy hill")


@dataclass
class LoadFigures:
    """What one load run measured; `problems()` is empty when it passed."""

    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, status or error, path)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, path), the 5 slowest
    generations_seen: list[str] = field(default_factory=list)  # /healthz answers, in order of first sight
    published: list[str] = field(default_factory=list)
    reindex_errors: list[str] = field(default_factory=list)
    pids_before: set[int] = field(default_factory=set)
    pids_after: set[int] = field(default_factory=set)
    final_open: dict[int, bool] = field(default_factory=dict)  # worker pid -> holds the final generation

    @property
    def switches(self) -> int:
        return max(0, len(self.generations_seen) - 1)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def lines(self) -> list[str]:
        return [
            f"load: {self.clients} clients for {self.seconds:.0f} s: {len(self.latencies_ms)} requests, "
            f"{len(self.failures)} failed, p50 {self.percentile(0.5):.0f} ms, p99 {self.percentile(0.99):.0f} ms, "
            f"max {max(self.latencies_ms, default=0):.0f} ms",
            f"load: {len(self.published)} generations published by catalog reindex, {self.switches} switches seen "
            f"in /healthz, workers {sorted(self.pids_before)} -> {sorted(self.pids_after)}, "
            f"final generation open in {sum(self.final_open.values())}/{len(self.final_open)} workers",
            "load: slowest: " + ", ".join(f"{path} {ms:.0f} ms" for ms, path in self.slowest),
        ]

    def switched(self, min_publishes: int) -> bool:
        """Enough generations were published, and every one was served by the workers."""
        published, seen = set(self.published), set(self.generations_seen)
        return len(published) >= min_publishes and self.switches >= min_publishes and published <= seen

    def problems(self, min_publishes: int) -> list[str]:
        outcomes = Counter((kind, outcome) for kind, outcome, _ in self.failures)
        example = {(kind, outcome): path for kind, outcome, path in self.failures}
        found = [
            f"{n} {kind} requests failed: {outcome}, e.g. {example[kind, outcome]}"
            for (kind, outcome), n in outcomes.items()
        ]
        found += [f"reindex: {error}" for error in self.reindex_errors]
        slow = [ms for ms in self.latencies_ms if ms >= SLOW_MS]
        if slow:
            found.append(f"{len(slow)} requests took {SLOW_MS:.0f} ms or more (max {max(slow):.0f} ms)")
        if not self.switched(min_publishes):
            unseen = sorted(set(self.published) - set(self.generations_seen))
            found.append(
                f"{len(self.published)} published, {self.switches} switches seen (want {min_publishes}); "
                f"never served: {unseen}"
            )
        if self.pids_after != self.pids_before:
            found.append(f"workers changed: {sorted(self.pids_before)} -> {sorted(self.pids_after)}")
        if not self.final_open or not all(self.final_open.values()):
            found.append(f"final generation not open in every worker: {self.final_open}")
        return found


def prepare(workdir: Path, items: int) -> tuple[Path, Path, Path]:
    """The sample plus `items` synthetic videos, indexed once; returns (data, config, video folder)."""
    folder, data, config = workdir / "synthetic", workdir / "data", workdir / "sources.toml"
    write_videos(folder, range(items), revision=0)
    config.write_text(SAMPLE_SOURCES + f'[sources.synthetic]\nkind = "ytdlp-folder"\npath = "{folder}"\n')
    status, output = run_reindex(data, config)
    if status != 0:
        raise RuntimeError(f"the first reindex exited {status}:\n{output[-2000:]}")
    return data, config, folder


def _request(rng: random.Random, ids: list[str]) -> tuple[str, str]:
    """(kind, path) of one request of the mix."""
    roll = rng.random()
    query = rng.choice([*SAMPLE_QUERIES, " ".join(rng.sample(WORDS, 2)), rng.choice(WORDS), rng.choice(MARKS)])
    if roll < 0.40:
        extra = rng.choice(["", "&sort=newest", "&page=2", "&kind=video", "&per_page=50"])
        return "api", f"/api/search?q={query}{extra}"
    if roll < 0.65:
        return "page", f"/search?q={query}"
    if roll < 0.90:
        return "item", f"/items/{rng.choice(ids)}" + rng.choice(["", "?t=20"])
    return "healthz", "/healthz"


def _client(base: str, ids: list[str], stop: threading.Event, figures: LoadFigures, seen: list, lock, seed: int):
    rng, session = random.Random(seed), requests.Session()
    while not stop.is_set():
        kind, path = _request(rng, ids)
        started = time.perf_counter()
        try:
            response = session.get(base + path, timeout=10)
            status, error = response.status_code, None
        except requests.RequestException as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            figures.latencies_ms.append(elapsed)
            figures.slowest = sorted([*figures.slowest, (elapsed, path)], reverse=True)[:5]
            if status != 200:
                figures.failures.append((kind, error or f"HTTP {status}", path))
            elif kind == "healthz":
                seen.append(response.json()["generation"])


def _reindex_loop(data: Path, config: Path, folder: Path, items: int, stop_at: float, minimum: int, figures):
    """Change some items and reindex, again and again, until time is up and enough were published."""
    revision = 0
    while time.monotonic() < stop_at or len(figures.published) < minimum:
        revision += 1
        start = (revision * CHANGED_PER_RUN) % max(1, items - CHANGED_PER_RUN)
        write_videos(folder, range(start, start + CHANGED_PER_RUN), revision)
        status, output = run_reindex(data, config)
        if status != 0 or "published index generation" not in output:
            figures.reindex_errors.append(f"run {revision} exited {status} without publishing: {output[-500:]}")
            return
        figures.published.append(live_name(data))


def run_load(
    workdir: Path, clients: int = 8, seconds: float = 60, publishes: int = 5, items: int = 1000
) -> LoadFigures:
    """Serve, load, publish; returns the figures (see LoadFigures.problems)."""
    data, config, folder = prepare(workdir, items)
    figures, seen, lock, stop = LoadFigures(clients), [], threading.Lock(), threading.Event()
    ids = sorted(sqlite_live_ids(data))
    with Gunicorn(data, workdir / "gunicorn.log") as server:
        figures.pids_before = server.worker_pids()
        began = time.monotonic()
        threads = [
            threading.Thread(target=_client, args=(server.url, ids, stop, figures, seen, lock, n), daemon=True)
            for n in range(clients)
        ]
        for thread in threads:
            thread.start()
        _reindex_loop(data, config, folder, items, began + seconds - 3, publishes, figures)
        time.sleep(max(3.0, began + seconds - time.monotonic()))  # the last generation is served for a while
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        figures.seconds = time.monotonic() - began
        figures.generations_seen = list(dict.fromkeys(seen))
        figures.pids_after = server.worker_pids()
        with ThreadPoolExecutor(16) as pool:  # enough at once that every worker answers one
            list(pool.map(lambda n: requests.get(f"{server.url}/api/search?q={mark(n)}", timeout=10), range(64)))
        final = live_name(data)
        figures.final_open = {pid: final in generations_open(pid) for pid in figures.pids_after}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reliability-load-") as workdir:
        figures = run_load(Path(workdir), args.clients, args.seconds, args.publishes, args.items)
    print("\n".join(figures.lines()))
    problems = figures.problems(args.publishes)
    print("\n".join(f"FAILED: {problem}" for problem in problems) or "load: passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
