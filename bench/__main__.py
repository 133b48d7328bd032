"""`python -m bench [--sizes 100,1000] [--quick]`: build, nightly, query and HTTP figures per catalog size.

For each size (hours of speech) it generates (or takes from the cache) a synthetic catalog,
works on a scratch copy of it, and prints one table: the full build, SQLite FTS5 beside us on
the same segments and queries, the log in process, the API under gunicorn and wrk, the
nightly run (once to settle, then with 0% and 1% of the items changed), then the targets.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from bench import build, corpus, fts5, http_load, queries, report
from catalog.storage import store

CACHE = Path.home() / ".cache" / "coach-catalog-bench"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="catalog sizes in hours of speech, comma-separated")
    parser.add_argument("--quick", action="store_true", help="the 100 h size only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of the query log")
    parser.add_argument("--duration", type=float, default=10, help="seconds of HTTP load per concurrency level")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where corpora are kept (default {CACHE})")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also print cProfile top 20 of the build, a nightly run and the queries (separate runs)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print where it is")
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="make each size from the corpus of size/COPIES hours copied COPIES times under new ids "
        "(much quicker to make; same posting lengths, no new words; the nightly run is skipped)",
    )
    args = parser.parse_args(argv)
    args.sizes = [100.0] if args.quick else [float(s) for s in args.sizes.split(",") if s.strip()]
    return args


def _corpus_figures(folder: Path, data: Path, generated_s: float | None) -> dict:
    db = store.open_readonly(data)
    counts = store.counts(db)
    db.close()
    return {
        "folder": str(folder),
        "generated_s": generated_s,
        "items": counts["live"],
        "by_kind": counts["by_kind"],
        "segments": counts["segments"],
        "words": build.segment_words(data),
        "media_mb": build.folder_bytes(folder / "media") / 1e6,
        "db_mb": store.db_path(data).stat().st_size / 1e6,
    }


def _queries(data: Path, rounds: int, profile: bool) -> dict:
    runners = {"first": queries.FirstTime(data), "repeated": queries.repeated(data), "fts5": fts5.runner(data)}
    log = queries.QUERY_LOG
    samples = queries.measure(runners, log, rounds)
    runners["first"].new_round()
    answers = [runners["first"](q) for q in log]
    zero = {"ours": sum(doc["total"] == 0 for doc in answers), "fts5": sum(not runners["fts5"](q) for q in log)}
    return {
        "count": len(log),
        "rounds": rounds,
        "zero": zero,
        "partial": sum(bool(d.get("partial")) for d in answers),
        **{name: queries.by_kind(times, log) for name, times in samples.items()},
        "slowest": queries.slowest(samples["first"], log),
        "profile": queries.profile(runners["first"], log, min(rounds, 2)) if profile else None,
    }


def _http(data: Path, seconds: float) -> dict:
    try:
        return http_load.load(data, queries.QUERY_LOG, seconds)
    except http_load.LoadToolMissing as exc:
        return {"skipped": str(exc)}


NIGHTLY = (  # (label, share of the videos and episodes edited upstream before the run)
    ("first run", 0.0),  # the first over the imported catalog: readers record what they saw
    ("nightly 0%", 0.0),
    ("nightly 1%", 0.01),
)


def _nightly(work: Path, label: str, share: float) -> dict:
    edited = corpus.edit_share(work / "media", share)
    run = build.run_phase("nightly", work / "data", work / "media" / "sources.toml")
    return {**run, "label": label, "edited": edited}


def _profiled(work: Path, phase: str, config: Path | None) -> str:
    if config is not None:
        corpus.edit_share(work / "media", 0.01)
    build.run_phase(phase, work / "data", config, profile=work / f"{phase}.profile")
    return (work / f"{phase}.profile").read_text()


def run_size(hours: float, args: argparse.Namespace) -> dict:
    """Every figure of one catalog size, measured on a scratch copy of its cached corpus."""
    folder, generated_s = build.ensure_corpus(hours / args.copies, args.seed, args.cache)
    work = build.working_copy(folder)
    data = work / "data"
    try:
        build.replicate(data, args.copies)
        result = {"hours": hours, "seed": args.seed, "corpus": _corpus_figures(folder, data, generated_s)}
        if args.copies > 1:
            result["corpus"]["copies"] = args.copies
        built = build.run_phase("build", data)
        built["words_per_s"] = result["corpus"]["words"] / built["wall_s"]
        built["index_mb"] = build.index_bytes(data) / 1e6
        result.update(build=built, fts5_build=fts5.build(data))
        result["queries"] = _queries(data, args.rounds, args.profile)
        result["http"] = _http(data, args.duration)
        # A copied catalog has no media files of its copies: a nightly run would see them gone.
        result["nightly"] = [_nightly(work, label, share) for label, share in NIGHTLY] if args.copies == 1 else []
        if args.profile and args.copies == 1:  # runs of their own, so the profiler's overhead reaches no figure above
            result["profiles"] = {
                "full build": _profiled(work, "build", None),
                "nightly run, 1% edited": _profiled(work, "nightly", work / "media" / "sources.toml"),
                "in-process queries, first time": result["queries"]["profile"],
            }
        return result
    finally:
        if args.keep:
            print(f"scratch folder kept: {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    print(report.header(), flush=True)
    for hours in args.sizes:
        result = run_size(hours, args)
        print("\n" + report.size_table(result) + "\n\n" + report.targets(result), flush=True)
        for phase, text in result.get("profiles", {}).items():
            print(f"\ncProfile, {phase} at {hours:,g} h (top 20 by cumulative time):\n{text}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
