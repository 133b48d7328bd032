"""The write side: the cached corpus catalog, a full index build and the nightly `reindex`.

A corpus is made once per size, seed and version of the code that writes it: its files by
`bench.corpus`, its catalog by the product's readers and `store.save_item`, in batches.

Each measured phase runs as `python -m bench.build PHASE DATA [CONFIG]` so that its peak RSS and CPU
time are its own (children included, should the build fork), as a cron job's would be. The
parent reads one JSON line back. Run over a working copy of a cached corpus: the catalog is
copied, the media files hard-linked (edits replace files, so the cache stays as it was).
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import multiprocessing
import os
import pstats
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import corpus
from catalog.generations.live import index_root, live_name
from catalog.storage import store
from catalog.storage.models import Item

REPO = Path(__file__).resolve().parents[1]
# The code whose output the corpus cache holds: a change to any of it makes a new corpus.
CACHE_INPUTS = (
    "bench/corpus.py indexer/sources/*.py indexer/captions.py indexer/segmenting.py indexer/timed_text.py "
    "indexer/transcripts.py indexer/markdown_text.py indexer/html_clean.py "
    "catalog/storage/store.py catalog/storage/models.py catalog/storage/migrations.py catalog/links.py catalog/ids.py"
).split()
BATCH = 64  # items saved per transaction while a corpus is made


def cache_key(hours: float, seed: int) -> str:
    """Size, seed and a digest of the code that writes the corpus."""
    digest = hashlib.sha256()
    for pattern in CACHE_INPUTS:
        for path in sorted(REPO.glob(pattern)):
            digest.update(path.read_bytes())
    return f"{hours:g}h-seed{seed}-{digest.hexdigest()[:12]}"


def ensure_corpus(hours: float, seed: int, cache_root: Path) -> tuple[Path, float | None]:
    """The cached corpus folder (media/ and data/catalog.db), generated first if missing.

    Returns the folder and the seconds generating took (None when it came from the cache).
    """
    folder = Path(cache_root) / cache_key(hours, seed)
    if (folder / "corpus.json").exists():
        return folder, None
    started = time.perf_counter()
    for stale in Path(cache_root).glob(f"{hours:g}h-seed{seed}-*"):  # made by older code, or half made
        shutil.rmtree(stale, ignore_errors=True)
    building = folder.with_name(folder.name + ".part")
    for name in corpus.SOURCES.values():
        (building / "media" / name).mkdir(parents=True)
    (building / "media" / "sources.toml").write_text(corpus.SOURCES_TOML)
    db = store.open_for_writing(building / "data")
    jobs = [(spec, seed, building / "media") for spec in corpus.plan(hours, seed)]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with multiprocessing.Pool() as pool:
        made = pool.imap(_make, jobs, chunksize=4)
        for first in range(0, len(jobs), BATCH):
            with db.atomic():
                for _ in range(min(BATCH, len(jobs) - first)):
                    store.save_item(db, next(made), now)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    took = time.perf_counter() - started
    (building / "corpus.json").write_text(json.dumps({"hours": hours, "seed": seed, "items": len(jobs)}))
    building.rename(folder)
    return folder, took


def _make(job: tuple[corpus.Spec, int, Path]) -> Item:
    return corpus.make_item(*job)


def working_copy(folder: Path) -> Path:
    """A scratch folder holding a copy of a corpus's catalog and links to its media files."""
    work = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    (work / "data").mkdir()
    shutil.copy2(folder / "data" / store.DB_NAME, work / "data" / store.DB_NAME)
    shutil.copytree(folder / "media", work / "media", copy_function=_link_or_copy)
    return work


def replicate(data_dir: Path, copies: int) -> None:
    """Make the catalog `copies` times as big: every item again, with its segments and
    chapters, under new ids. Posting lists grow as a bigger catalog's would; the vocabulary
    does not (a copy adds no new words), and the media files are not copied."""
    with sqlite3.connect(store.db_path(data_dir)) as db:
        for copy in range(2, copies + 1):
            for table, key in (("items", "id"), ("segments", "item_id"), ("chapters", "item_id")):
                columns = [row[1] for row in db.execute(f"pragma table_info({table})")]
                chosen = ", ".join(f"{key} || ?" if name == key else name for name in columns)
                db.execute(
                    f"insert into {table} ({', '.join(columns)}) select {chosen} from {table} where {key} not like ?",
                    [f"~{copy}", "%~%"],
                )


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another filesystem
        shutil.copy2(source, target)


def run_phase(phase: str, data_dir: Path, config: Path | None = None, profile: Path | None = None) -> dict:
    """Run one phase in a child Python; returns its measurements."""
    command = [sys.executable, "-m", "bench.build", phase, str(data_dir)]
    command += [str(config)] if config else []
    command += ["--profile", str(profile)] if profile else []
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench phase {phase} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = time.perf_counter() - started
    return result


def segment_words(data_dir: Path) -> int:
    """Words of all live segment text: what a build indexes, for words/s."""
    db = store.open_readonly(data_dir)
    sql = "select s.text from segments s join items i on i.id = s.item_id where i.status = 'live'"
    total = sum(len(text.split()) for (text,) in db.execute(sql))
    db.close()
    return total


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def index_bytes(data_dir: Path) -> int:
    """Size on disk of the live generation."""
    return folder_bytes(index_root(data_dir) / live_name(data_dir))


def _usage() -> dict:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_s": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
        "peak_rss_mb": max(_own_peak_kib(), children.ru_maxrss) / 1024,  # Linux reports KiB
    }


def _own_peak_kib() -> int:
    """This process's peak RSS. Not RUSAGE_SELF's ru_maxrss: Linux carries that over from the
    process that started us (the bench, with a whole index open), while VmHWM starts afresh."""
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))


def _build(data_dir: Path) -> dict:
    from indexer import build

    db = store.open_for_writing(data_dir)
    name = build.build_generation(db, data_dir)
    build.publish(data_dir, name)
    return {"generation": name}


def _nightly(data_dir: Path, config: Path) -> dict:
    from indexer.config import load_config
    from indexer.run import reindex

    report = reindex(load_config(config), data_dir)
    counts = {key: sum(getattr(s, key) for s in report.sources) for key in ("new", "updated", "unchanged", "failed")}
    return {**counts, "published": report.published, "errors": len(report.errors) + len(report.problems)}


def _main(argv: list[str]) -> None:
    phase, data_dir, rest = argv[0], Path(argv[1]), argv[2:]
    profile = Path(rest[rest.index("--profile") + 1]) if "--profile" in rest else None
    config = Path(rest[0]) if rest and rest[0] != "--profile" else None
    profiler = cProfile.Profile() if profile else None
    before = _usage()["cpu_s"]
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = _build(data_dir) if phase == "build" else _nightly(data_dir, config)
    if profiler:
        profiler.disable()
        profile.write_text(top_functions(profiler))
    wall = time.perf_counter() - started
    usage = _usage()
    cpu = usage["cpu_s"] - before
    print(
        json.dumps({**result, "wall_s": wall, "cpu_s": cpu, "cores": cpu / wall, "peak_rss_mb": usage["peak_rss_mb"]})
    )


def top_functions(profiler: cProfile.Profile, count: int = 20) -> str:
    """The `count` functions with the most cumulative time, as pstats prints them."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(count)
    return out.getvalue()


if __name__ == "__main__":
    _main(sys.argv[1:])
