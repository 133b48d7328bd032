"""The fixed mixed query log, and timing it in process as a web worker would run it.

One log feeds every runner: `run_search` here (asked for the first time, and asked again),
FTS5 in `bench.fts5`, and the URLs wrk requests in `bench.http_load`. Runners are timed in
interleaved rounds after a warm-up pass, so drift on a noisy machine falls on all alike.
"""

from __future__ import annotations

import cProfile
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.build import top_functions
from catalog.generations.live import Generation, LiveIndex, live_name, open_generation
from catalog.search.document import SearchRequest, run_search
from catalog.storage import store


@dataclass(frozen=True)
class Query:
    kind: str  # the class it is reported under
    args: dict  # the /api/search query-string arguments

    @property
    def text(self) -> str:
        return self.args.get("q", "")

    @property
    def path(self) -> str:
        return "/api/search?" + urlencode(self.args)

    def label(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.args.items() if k != "q")
        return f"{self.text!r} {extra}".strip()


def _queries(kind: str, *entries: str | dict) -> list[Query]:
    return [Query(kind, {"q": e} if isinstance(e, str) else e) for e in entries]


QUERY_LOG: list[Query] = [
    *_queries("common", "mile", "marathon", "tempo", "strides", "training", "race", "recovery", "coach"),
    *_queries("rare", "fartlek", "bosu", "kipchoge", "beetroot", "metronome", "sauna", "steeplechase", "lindqvist"),
    *_queries(
        "terms",
        "easy run pace",
        "hill repeats training",
        "long run fueling",
        "masters mile training",
        "threshold tempo run",
        "marathon -half",
        "strength work injury",
        "race day shoes",
    ),
    *_queries(
        "phrase",
        '"lactate threshold"',
        '"tempo run"',
        '"hill repeats"',
        '"long run"',
        '"half marathon"',
        '"marathon pace"',
        '"strides after easy runs"',
        '"masters runners"',
    ),
    *_queries(
        "relay/distance",
        "4x400 relay",
        "4 x 400",
        "four by four hundred",
        '"4x400 relay"',
        "5K",
        "5 km",
        "five k",
        "fifteen hundred",
        "1500m",
        "10k",
        "800m",
        "4x100",
    ),
    *_queries("typo", "maraton", "plyometrcs", "threshhold", "tempoo run", "stides", "relya", "hamstrng", "recovry"),
    *_queries(
        "filter",
        {"q": "mile", "kind": "article"},
        {"q": "strides", "kind": "workout"},
        {"q": "marathon", "kind": "podcast"},
        {"q": "tempo", "kind": "video"},
        {"q": "relay", "tag": "4x400 relay"},
        {"q": "training", "tag": "masters running"},
        {"q": "race", "tag": "5k"},
        {"q": "recovery", "tag": "strength", "kind": "video"},
    ),
    *_queries(
        "page 2",
        {"q": "mile", "page": 2},
        {"q": "marathon pace", "page": 2},
        {"q": "strides", "page": 2},
        {"q": "4x400", "page": 2},
    ),
    *_queries(
        "newest",
        {"q": "tempo", "sort": "newest"},
        {"q": "five k", "sort": "newest"},
        {"q": "masters", "sort": "newest"},
        {"q": "hill repeats", "sort": "newest"},
    ),
]
KINDS = list(dict.fromkeys(q.kind for q in QUERY_LOG))

Runner = Callable[[Query], object]
Samples = dict[str, list[list[float]]]  # runner name -> per query of the log, its times in ms


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest sample with `share` of the samples at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def p50_95_99(values: list[float]) -> tuple[float, float, float]:
    return percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99)


def by_kind(times: list[list[float]], queries: list[Query]) -> dict[str, list[float]]:
    """Samples pooled per query class, plus "all"."""
    pooled: dict[str, list[float]] = {"all": []}
    for query, samples in zip(queries, times, strict=True):
        pooled.setdefault(query.kind, []).extend(samples)
        pooled["all"].extend(samples)
    return pooled


def repeated(data_dir: Path) -> Runner:
    """`run_search` as a web worker calls it: one live index and one read-only catalog, reused.

    After the warm-up pass every query of the log has been asked before, so this times
    whatever the product does with a repeated query (its result cache, if it has one)."""
    live, db = LiveIndex(data_dir), store.open_readonly(data_dir)
    return lambda query: run_search(live.current(), db, SearchRequest.from_args(query.args))


class FirstTime:
    """`run_search` on a generation opened afresh each round, then warmed by one query that
    is not in the log: every query of the log is asked for the first time, as a new query
    would be, while the searcher, vocabulary and page cache are already warm."""

    WARM_UP = {"q": "warm up jog"}

    def __init__(self, data_dir: Path):
        self.data_dir, self.db = Path(data_dir), store.open_readonly(data_dir)
        self.generation: Generation | None = None

    def new_round(self) -> None:
        if self.generation is not None:
            self.generation.index.close()
        self.generation = open_generation(self.data_dir, live_name(self.data_dir))
        run_search(self.generation, self.db, SearchRequest.from_args(self.WARM_UP))

    def __call__(self, query: Query) -> dict:
        return run_search(self.generation, self.db, SearchRequest.from_args(query.args))


def measure(runners: dict[str, Runner], queries: list[Query], rounds: int) -> Samples:
    """Time every runner over the log: one warm-up pass, then `rounds` interleaved rounds."""
    for run in runners.values():
        _new_round(run)
        for query in queries:
            run(query)
    samples: Samples = {name: [[] for _ in queries] for name in runners}
    for round_number in range(rounds):
        for name in list(runners) if round_number % 2 == 0 else list(reversed(runners)):
            _new_round(runners[name])
            for position, query in enumerate(queries):
                started = time.perf_counter()
                runners[name](query)
                samples[name][position].append((time.perf_counter() - started) * 1000)
    return samples


def _new_round(run: Runner) -> None:
    if hasattr(run, "new_round"):
        run.new_round()


def profile(run: Runner, queries: list[Query], rounds: int) -> str:
    """The top 20 functions by cumulative time over `rounds` passes of the log, in a run of
    its own so that the profiler's overhead never reaches the timed figures."""
    profiler = cProfile.Profile()
    for _ in range(rounds):
        _new_round(run)
        profiler.enable()
        for query in queries:
            run(query)
        profiler.disable()
    return top_functions(profiler)


def slowest(times: list[list[float]], queries: list[Query], count: int = 5) -> list[tuple[str, float]]:
    """The queries with the highest median time: where optimising pays first."""
    medians = [(query.label(), percentile(samples, 0.5)) for query, samples in zip(queries, times, strict=True)]
    return sorted(medians, key=lambda pair: -pair[1])[:count]
