"""The printed figures: one table per catalog size, every number with its unit, and the targets."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench.queries import KINDS, p50_95_99

REPO = Path(__file__).resolve().parents[1]


def header() -> str:
    return (
        f"coach catalog bench: {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, whoosh3 {version('whoosh3')}, gunicorn {version('gunicorn')}; "
        f"code {_revision()}; {load()}"
    )


def _revision() -> str:
    """The commit measured, and whether the work tree differed from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") if shutil.which("git") else ""
    if not commit:
        return "not a git checkout"
    return commit + (" with local changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def load() -> str:
    """Other work on the machine skews every figure: say how busy it was."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _trio(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:8.2f}" for v in values)


def size_table(r: dict) -> str:
    c, b, f = r["corpus"], r["build"], r["fts5_build"]
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(c["by_kind"].items()))
    made = "from the cache" if c["generated_s"] is None else f"generated in {c['generated_s']:.1f} s"
    if c.get("copies"):
        made = f"the {r['hours'] / c['copies']:,g} h corpus {made}, copied {c['copies']} times under new ids"
    lines = [
        f"== {r['hours']:,g} h catalog (seed {r['seed']}): {_n(c['items'])} items ({kinds}), "
        f"{_n(c['segments'])} segments, {c['words'] / 1e6:.2f} M words ==",
        f"corpus        {made} ({c['folder']}) | media files {c['media_mb']:.1f} MB | catalog.db {c['db_mb']:.1f} MB",
        f"full build    build_generation: {b['wall_s']:.1f} s wall | {_n(b['words_per_s'])} words/s | "
        f"{b['cores']:.2f} cores busy (CPU {b['cpu_s']:.1f} s / wall) | peak RSS {b['peak_rss_mb']:.0f} MB | "
        f"index {b['index_mb']:.1f} MB on disk",
    ]
    if not r["nightly"]:
        lines.append("nightly       not run: a copied catalog has no media files for its copies")
    for run in r["nightly"]:
        plural = "s" if run["edited"] != 1 else ""
        change = f"{run['edited']} video/episode{plural} edited upstream" if run["edited"] else "nothing changed"
        if run["label"] == "first run":
            change = "the first over the imported catalog"
        lines.append(
            f"{run['label']:<13} reindex, {change}: {run['wall_s']:.1f} s wall "
            f"({run['process_wall_s']:.1f} s with interpreter start) | {run['new']} new, {run['updated']} updated, "
            f"{run['unchanged']} unchanged, {run['failed']} failed | new generation published: "
            f"{'yes' if run['published'] else 'no'} | peak RSS {run['peak_rss_mb']:.0f} MB"
        )
    lines.append(
        f"FTS5 build    {f['wall_s']:.1f} s wall | {_n(c['words'] / f['wall_s'])} words/s | "
        f"{_n(f['rows'])} rows | {f['size_mb']:.1f} MB file (text copy included)"
    )
    lines += ["", *_query_lines(r["queries"]), "", *_http_lines(r["http"]), f"machine after this size: {load()}"]
    return "\n".join(lines)


def _query_lines(q: dict) -> list[str]:
    lines = [
        f"in-process queries: {q['count']} queries, warm-up pass + {q['rounds']} interleaved rounds; latency in ms",
        "ours = run_search, each query asked for the first time on a warm generation (no result cached)",
        f"{'class':<15}{'n':>5} | {'ours p50':>8} {'p95':>8} {'p99':>8} | {'FTS5 p50':>8} {'p95':>8} {'p99':>8} |"
        f" {'ours/FTS5 p50':>13} {'p95':>6} {'p99':>6}",
    ]
    for kind in ["all", *KINDS]:
        ours, fts = p50_95_99(q["first"][kind]), p50_95_99(q["fts5"][kind])
        ratios = " ".join(f"{a / b:6.1f}" if b else "     -" for a, b in zip(ours, fts, strict=True))
        lines.append(f"{kind:<15}{len(q['first'][kind]):>5} | {_trio(ours)} | {_trio(fts)} | {ratios:>27}")
    again = p50_95_99(q["repeated"]["all"])
    lines.append(
        f"ours, the same queries asked again (one reused live generation, as a worker runs): "
        f"p50 {again[0]:.2f} ms, p95 {again[1]:.2f} ms, p99 {again[2]:.2f} ms"
    )
    lines.append(
        f"queries with no result: ours {q['zero']['ours']} of {q['count']}, "
        f"FTS5 {q['zero']['fts5']} of {q['count']} (FTS5 knows no typos, relays or spelled numbers); "
        f"ours cut short by its time budget ('partial'): {q['partial']} of {q['count']}"
    )
    lines.append(
        "slowest (ours, first time, median ms): " + "; ".join(f"{label} {ms:.1f}" for label, ms in q["slowest"])
    )
    return lines


def _http_lines(h: dict) -> list[str]:
    if "skipped" in h:
        return [f"HTTP: skipped: {h['skipped']}"]
    lines = [
        f"HTTP: gunicorn -w 2 'app:create_app()', wrk -t1 for {h['seconds']:g} s per level over the log's "
        "/api/search URLs; 'first time': q padded so no request repeats, 'repeated': the log as it is",
        f"{'workload':<12} {'clients':>7} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'requests':>9} "
        f"{'errors':>7}",
    ]
    for lv in h["levels"]:
        lines.append(
            f"{lv['workload']:<12} {lv['clients']:>7} {lv['rps']:>9.1f} {lv['p50_ms']:>9.1f} "
            f"{lv['p95_ms']:>9.1f} {lv['p99_ms']:>9.1f} {lv['requests']:>9} {lv['errors']:>7}"
        )
    if h["probe"]:
        lines.append(f"errors are non-2xx answers or socket errors; now {h['probe']}")
    lines.append("gunicorn worker RSS after the load: " + ", ".join(f"{mb:.0f} MB" for mb in h["worker_rss_mb"]))
    return lines


@dataclass(frozen=True)
class Target:
    name: str
    hours: float  # the catalog size the target is set for
    limit: float
    unit: str
    at_most: bool  # True: measured <= limit; False: measured >= limit


def _measures(r: dict) -> list[tuple[Target, float | None]]:
    fts_p95 = p50_95_99(r["queries"]["fts5"]["all"])[1]
    ours = p50_95_99(r["queries"]["first"]["all"])
    levels = {lv["clients"]: lv for lv in r["http"].get("levels", []) if lv["workload"] == "first time"}
    eight = levels.get(8)
    rss = r["http"].get("worker_rss_mb")
    cores = os.cpu_count() or 1
    return [
        (
            Target(f"search p95 in process <= 1.5 x FTS5 p95 ({fts_p95:.1f} ms)", 1000, 1.5 * fts_p95, "ms", True),
            ours[1],
        ),
        (Target("req/s at 8 clients, first-time queries >= 300", 1000, 300, "req/s", False), eight and eight["rps"]),
        (Target("p95 at 8 clients, first-time queries <= 50 ms", 1000, 50, "ms", True), eight and eight["p95_ms"]),
        (Target("full rebuild >= 300,000 words/s", 1000, 300_000, "words/s", False), r["build"]["words_per_s"]),
        (
            Target(f"full rebuild uses both cores (>= {0.75 * cores:.1f} busy)", 1000, 0.75 * cores, "cores", False),
            r["build"]["cores"],
        ),
        (Target("nightly run, nothing changed <= 5 s", 1000, 5, "s", True), _steady(r["nightly"])),
        (Target("gunicorn worker RSS <= 200 MB (largest)", 1000, 200, "MB", True), max(rss) if rss else None),
        (Target("search p99 in process <= 100 ms", 10000, 100, "ms", True), ours[2]),
    ]


def _steady(runs: list[dict]) -> float | None:
    """The nightly run with nothing changed, after the first one has settled."""
    return next((run["wall_s"] for run in runs if run["label"] == "nightly 0%"), None)


def targets(r: dict) -> str:
    lines = [
        f"targets at {r['hours']:,g} h ('*': informative, the target is set for another size)",
        f"{'target':<52} {'applies at':>10} {'measured':>16} {'status':>8}  gap",
    ]
    for target, measured in _measures(r):
        mark = "" if target.hours == r["hours"] else "*"
        if measured is None:
            lines.append(f"{target.name:<52} {target.hours:>8,g} h {'not measured':>16} {'-':>8}")
            continue
        met = measured <= target.limit if target.at_most else measured >= target.limit
        gap = measured - target.limit
        ratio = measured / target.limit if target.limit else float("inf")
        words = ("headroom" if met else "over") if target.at_most else ("above" if met else "short")
        lines.append(
            f"{target.name:<52} {target.hours:>8,g} h {measured:>10,.1f} {target.unit:<5} "
            f"{('met' if met else 'missed') + mark:>8}  {abs(gap):,.1f} {target.unit} {words} "
            f"({ratio:.2f} x the limit)"
        )
    return "\n".join(lines)
