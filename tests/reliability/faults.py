"""Faults on the way in: a killed run's WAL beside the catalog, hostile packs, a run holding the
lock, a bad backup, a full disk. Each is tried through the real `catalog` command (a process of
its own, as an operator runs it) on a node that already serves a generation, and becomes one row
of a table: the fault, what the live site kept (the generation served, its documents, the live
items in SQLite, SQLite's integrity check) and the one line the command reported.

The full-disk rows mount a small tmpfs (root only); where the mount is refused, the row says so.

    python -m tests.reliability.faults
"""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import requests

from catalog.generations.live import LiveIndex, NoGeneration, index_root, live_name
from catalog.generations.manifest import MANIFEST, describe
from indexer.lock import run_lock
from tests.reliability import REPO, SAMPLE_SOURCES, Gunicorn, write_videos

PACK_INFO = "PACK.json"
WORKOUTS = f'[sources.workouts]\nkind = "workouts"\npath = "{REPO / "data" / "sample" / "workouts"}"\n'
BROWSED = (
    "/api/search?q=relay",
    "/api/search?q=mile+repeats",
    "/search?q=hill",
    "/items/workout:mile-repeats-sub-5-effort",
    "/status",
)
# Writes to the catalog the way a run does (WAL, no checkpoint yet) and dies by SIGKILL mid-run,
# leaving catalog.db-wal and catalog.db-shm with committed frames beside the catalog.
KILLED_WRITER = """
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("pragma journal_mode = wal")
db.execute("pragma wal_autocheckpoint = 0")
with db:
    db.execute("update items set title = title || ' (edited by the killed run)'")
    db.execute("insert into runs (started, status) values ('killed', 'running')")
os.kill(os.getpid(), signal.SIGKILL)
"""


def leave_stale_wal(data_dir: Path) -> int:
    """Leave a killed run's WAL beside data_dir/catalog.db; returns its size in bytes."""
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(data_dir / "catalog.db")], capture_output=True)
    wal = data_dir / "catalog.db-wal"
    if done.returncode != -signal.SIGKILL or not wal.exists() or wal.stat().st_size <= 32:
        raise RuntimeError(f"the killed writer left no WAL with frames (exit {done.returncode}: {done.stderr!r})")
    return wal.stat().st_size


# ---- hostile packs: a good pack, unpacked, changed, and tarred again ----


@dataclass(frozen=True)
class HostilePack:
    name: str
    edit: Callable[[Path, dict, Path], None]  # (the unpacked pack, its PACK.json, the node's data folder)
    expect: str  # what the refusal must say
    resign: bool = True  # list every file again with its true size and digest, as a careful forger would


def forge(pack: Path, dest: Path, hostile: HostilePack, node: Path) -> Path:
    """Write `dest`: `pack` with `hostile.edit` applied, for installing on `node`."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        with tarfile.open(pack) as tar:
            tar.extractall(root, filter="data")
        info = json.loads((root / PACK_INFO).read_text())
        hostile.edit(root, info, node)
        if hostile.resign:
            info["files"] = {name: describe(root / name) for name in _files(root) - {PACK_INFO}}
        (root / PACK_INFO).write_text(json.dumps(info))
        with tarfile.open(dest, "w") as tar:
            for name in sorted(_files(root)):
                tar.add(root / name, arcname=name)
    return dest


def _files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if not path.is_dir()}


def _generation(root: Path, info: dict) -> Path:
    return root / info["generation"]


def _garbage_catalog(root: Path, info: dict, node: Path) -> None:
    (root / "catalog.db").write_bytes(b"not a catalog at all " * 2000)


def _unlisted_garbage_catalog(root: Path, info: dict, node: Path) -> None:
    _garbage_catalog(root, info, node)
    info["files"] = {}


def _catalog_without_tables(root: Path, info: dict, node: Path) -> None:
    (root / "catalog.db").unlink()
    with closing(sqlite3.connect(root / "catalog.db")) as db:
        db.execute("create table notes (text)")
        db.commit()


def _damaged_catalog(root: Path, info: dict, node: Path) -> None:
    """Zero the middle third of the catalog's pages: a file that opens but is not whole."""
    path = root / "catalog.db"
    data = bytearray(path.read_bytes())
    third = len(data) // 3
    data[third : 2 * third] = bytes(third)
    path.write_bytes(bytes(data))


def _truncate_segment(root: Path, info: dict, node: Path) -> None:
    segment = max(_generation(root, info).glob("*.pst"), key=lambda p: p.stat().st_size)
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def _truncated_segment_emptied_manifest(root: Path, info: dict, node: Path) -> None:
    _truncate_segment(root, info, node)
    (_generation(root, info) / MANIFEST).write_text(json.dumps({"files": {}}))


def _generation_named(name: Callable[[Path, str], str]) -> Callable[[Path, dict, Path], None]:
    def edit(root: Path, info: dict, node: Path) -> None:
        info["generation"] = name(node, info["generation"])

    return edit


def _unlisted_file(root: Path, info: dict, node: Path) -> None:
    (_generation(root, info) / "notes.txt").write_text("not in the manifest")


def _listed_file_missing(root: Path, info: dict, node: Path) -> None:
    (_generation(root, info) / "words.tsv").unlink()


def _path_climbing_out(root: Path, info: dict, node: Path) -> None:
    info["files"]["../catalog.db"] = info["files"]["catalog.db"]


def _symlink(root: Path, info: dict, node: Path) -> None:
    (_generation(root, info) / "words-link.tsv").symlink_to("words.tsv")


HOSTILE_PACKS = (
    HostilePack(
        "PACK.json lists nothing, catalog.db is garbage",
        _unlisted_garbage_catalog,
        "catalog.db is in the pack but not in PACK.json",
        resign=False,
    ),
    HostilePack("catalog.db is garbage, every digest matches", _garbage_catalog, "catalog.db cannot be read by SQLite"),
    HostilePack("catalog.db is damaged inside, every digest matches", _damaged_catalog, "catalog.db"),
    HostilePack("catalog.db has none of the catalog's tables", _catalog_without_tables, "catalog.db is not a catalog"),
    HostilePack(
        "generation manifest emptied, a segment truncated",
        _truncated_segment_emptied_manifest,
        "is not in MANIFEST.json",
    ),
    HostilePack("a segment truncated, PACK.json re-signed", _truncate_segment, "bytes, expected"),
    HostilePack("generation named '.'", _generation_named(lambda node, real: "."), "not a name like gen-"),
    HostilePack("generation named './'", _generation_named(lambda node, real: "./"), "not a name like gen-"),
    HostilePack("generation named ''", _generation_named(lambda node, real: ""), "not a name like gen-"),
    HostilePack(
        "generation named by an absolute path",
        _generation_named(lambda node, real: str(index_root(node) / (live_name(node) or real))),
        "not a name like gen-",
    ),
    HostilePack(
        "generation named '../gen-…'", _generation_named(lambda node, real: f"../{real}"), "not a name like gen-"
    ),
    HostilePack(
        "a file PACK.json does not list", _unlisted_file, "notes.txt is in the pack but not in PACK.json", resign=False
    ),
    HostilePack("a file PACK.json lists is missing", _listed_file_missing, "words.tsv is missing", resign=False),
    HostilePack(
        "PACK.json lists '../catalog.db'",
        _path_climbing_out,
        "'../catalog.db', which has no place in a pack",
        resign=False,
    ),
    HostilePack("a symlink inside the generation", _symlink, "is a link or a device, not a file"),
)


# ---- what the live site kept ----


@dataclass(frozen=True)
class SiteState:
    generation: str | None  # the one LiveIndex serves
    documents: int
    items: int  # live items in SQLite
    integrity: str
    folders: frozenset[str]  # generation folders on disk

    @classmethod
    def of(cls, data_dir: Path) -> SiteState:
        try:
            generation = LiveIndex(data_dir).current()
            name, documents = generation.name, generation.index.doc_count()
        except NoGeneration:
            name, documents = None, 0
        try:
            with closing(sqlite3.connect(f"file:{data_dir / 'catalog.db'}?mode=ro", uri=True)) as db:
                integrity = db.execute("pragma integrity_check").fetchone()[0]
                items = db.execute("select count(*) from items where status = 'live'").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            integrity, items = str(exc), -1
        folders = frozenset(folder.name for folder in index_root(data_dir).glob("gen-*"))
        return cls(name, documents, items, integrity, folders)

    def describe(self, before: SiteState) -> str:
        same = "same" if self.generation == before.generation else "new"
        return f"{same} generation, {self.documents} docs, {self.items} items, integrity {self.integrity}"


# ---- the rows ----


@dataclass
class Row:
    fault: str
    kept: str
    reported: str
    problem: str = ""  # empty when the row held
    not_tried: str = ""  # why the fault could not be made on this machine


@dataclass
class FaultFigures:
    rows: list[Row] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"{row.fault}: {row.problem}" for row in self.rows if row.problem]

    def summary(self) -> str:
        tried = [row for row in self.rows if not row.not_tried]
        skipped = "".join(f"; not tried: {row.fault} ({row.not_tried})" for row in self.rows if row.not_tried)
        return f"{len(tried) - len(self.problems)}/{len(tried)} kept the site and said why{skipped}"

    def lines(self) -> list[str]:
        width = max(len(row.fault) for row in self.rows)
        kept_width = max(len(row.kept) for row in self.rows)
        lines = [f"  {'':4}  {'fault':{width}}  {'live site kept':{kept_width}}  reported"]
        for row in self.rows:
            verdict = "FAIL" if row.problem else "skip" if row.not_tried else "ok  "
            lines.append(f"  {verdict}  {row.fault:{width}}  {row.kept:{kept_width}}  {row.reported}")
        return ["faults on the way in:", *lines, f"faults: {self.summary()}"]


def catalog(data_dir: Path, *args: str) -> tuple[int, str]:
    """Run `catalog --data DATA ARGS` as a process; returns (exit status, the last line it printed,
    with the scratch folder holding DATA shown as `…`)."""
    command = [sys.executable, "-m", "indexer", "--data", str(data_dir), *args]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    output = (done.stdout + done.stderr).replace(str(data_dir.parent), "…")
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith("{")]
    traceback = next((line for line in reversed(lines) if not line.startswith(" ")), "")
    if "Traceback (most recent call last):" in output:
        return done.returncode, f"a traceback: {traceback}"
    return done.returncode, lines[-1] if lines else "(nothing)"


class Nodes:
    """Data folders made once and copied per row: a node serving the sample's workouts alone
    (so a successful install visibly changes it), the full sample's pack and backup, and the
    small node's pack."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        config = workdir / "sources.toml"
        config.write_text(SAMPLE_SOURCES + WORKOUTS)
        self.source = workdir / "source"
        self.small = workdir / "small-node"
        for data, only in ((self.source, ()), (self.small, ("--source", "workouts"))):
            status, said = catalog(data, "reindex", "--config", str(config), *only)
            if status != 0:
                raise RuntimeError(f"could not index {data}: {said}")
        self.pack, self.backup, self.small_pack = workdir / "catalog.tar", workdir / "backup.db", workdir / "small.tar"
        for data, command, dest in (
            (self.source, "pack", self.pack),
            (self.source, "backup", self.backup),
            (self.small, "pack", self.small_pack),
        ):
            status, said = catalog(data, command, str(dest))
            if status != 0:
                raise RuntimeError(f"catalog {command} failed: {said}")
        self.count = 0

    def node(self) -> Path:
        """A fresh copy of the small node."""
        self.count += 1
        copy = self.workdir / f"node-{self.count}"
        shutil.copytree(self.small, copy)
        return copy


def _row(fault: str, before: SiteState, after: SiteState, reported: str, checks: dict[str, bool]) -> Row:
    """A row that held if every check did; the problem names those that did not."""
    problem = "; ".join(message for message, held in checks.items() if not held)
    return Row(fault, after.describe(before), reported, problem)


def _refused_and_kept(fault: str, data: Path, before: SiteState, status: int, said: str, expect: str) -> Row:
    after = SiteState.of(data)
    return _row(
        fault,
        before,
        after,
        said,
        {
            f"exit {status}, expected 1": status == 1,
            f"the message lacks {expect!r}": expect in said,
            "the site changed": (after.generation, after.documents, after.items, after.integrity)
            == (before.generation, before.documents, before.items, before.integrity),
            f"generation folders removed: {sorted(before.folders - after.folders)}": before.folders <= after.folders,
        },
    )


def stale_wal_install(nodes: Nodes) -> Row:
    data = nodes.node()
    leave_stale_wal(data)
    before = SiteState.of(data)
    status, said = catalog(data, "install", str(nodes.pack))
    after, packed = SiteState.of(data), SiteState.of(nodes.source)
    return _row(
        "stale WAL + install",
        before,
        after,
        said,
        {
            f"exit {status}": status == 0,
            "the pack's generation is not served": after.generation == packed.generation,
            f"{after.items} live items, the pack has {packed.items}": after.items == packed.items,
            f"integrity {after.integrity}": after.integrity == "ok",
        },
    )


def stale_wal_restore(nodes: Nodes) -> Row:
    data = nodes.node()
    leave_stale_wal(data)
    before = SiteState.of(data)
    status, said = catalog(data, "restore", str(nodes.backup))
    after = SiteState.of(data)
    expected = SiteState.of(nodes.source).items
    return _row(
        "stale WAL + restore",
        before,
        after,
        said,
        {
            f"exit {status}": status == 0,
            "the old generation is still served": after.generation != before.generation,
            f"{after.items} live items, the backup has {expected}": after.items == expected == after.documents,
            f"integrity {after.integrity}": after.integrity == "ok",
        },
    )


def swaps_while_serving(nodes: Nodes, swaps: int = 9, clients: int = 4) -> Row:
    """Installs and restores, each over a killed run's WAL, while gunicorn answers searches and pages."""
    fault = f"{swaps} installs and restores over killed runs' WALs under {clients} clients"
    data = nodes.node()
    before = SiteState.of(data)
    commands = [("install", nodes.pack), ("install", nodes.small_pack), ("restore", nodes.backup)]
    stop, answers, failures, said = threading.Event(), Counter(), [], []

    def browse(url: str) -> None:
        with requests.Session() as session:
            while not stop.is_set():
                for path in BROWSED:
                    status = session.get(url + path, timeout=10).status_code
                    answers[status] += 1
                    if status not in (200, 404):  # an item of the other catalog is a 404
                        failures.append(f"{path}: {status}")

    with Gunicorn(data, nodes.workdir / "gunicorn.log") as web:
        browsers = [threading.Thread(target=browse, args=(web.url,)) for _ in range(clients)]
        for browser in browsers:
            browser.start()
        try:
            for number in range(swaps):
                leave_stale_wal(data)
                command, source = commands[number % len(commands)]
                said.append(catalog(data, command, str(source)))
        finally:
            stop.set()
            for browser in browsers:
                browser.join()
    after = SiteState.of(data)
    row = _row(
        fault,
        before,
        after,
        said[-1][1],
        {
            f"a command failed: {[line for status, line in said if status]}": all(status == 0 for status, _ in said),
            f"{len(failures)} failed requests: {failures[:3]}": not failures,
            f"integrity {after.integrity}": after.integrity == "ok",
            f"{after.documents} docs for {after.items} items": after.documents == after.items,
        },
    )
    row.kept = f"{sum(answers.values())} answers, {len(failures)} failed; {row.kept}"
    return row


def install_during_reindex(nodes: Nodes) -> Row:
    """A run holds the lock and is half-way through building a generation when install starts."""
    data = nodes.node()
    before = SiteState.of(data)
    half_built = index_root(data) / "gen-29991231T235959000000Z"
    with run_lock(data):
        half_built.mkdir()
        status, said = catalog(data, "install", str(nodes.pack))
    row = _refused_and_kept("install during a reindex", data, before, status, said, "another catalog reindex")
    if not half_built.is_dir():
        row.problem = "; ".join(filter(None, [row.problem, "the run's half-built generation was removed"]))
    return row


def hostile_pack(nodes: Nodes, hostile: HostilePack) -> Row:
    data = nodes.node()
    before = SiteState.of(data)
    forged = forge(nodes.pack, nodes.workdir / f"hostile-{nodes.count}.tar", hostile, data)
    status, said = catalog(data, "install", str(forged))
    return _refused_and_kept(f"pack: {hostile.name}", data, before, status, said, hostile.expect)


def garbage_backup(nodes: Nodes) -> Row:
    data = nodes.node()
    before = SiteState.of(data)
    garbage = nodes.workdir / "garbage.db"
    garbage.write_bytes(b"not a backup " * 1000)
    status, said = catalog(data, "restore", str(garbage))
    return _refused_and_kept("restore from a garbage file", data, before, status, said, "cannot be read by SQLite")


def backup_nowhere(nodes: Nodes) -> Row:
    data = nodes.node()
    before = SiteState.of(data)
    status, said = catalog(data, "backup", "/nonexistent/catalog.db")
    checks = {f"exit {status}, expected 2": status == 2, "no clear message": "there is no folder /nonexistent" in said}
    return _row("backup to /nonexistent/catalog.db", before, SiteState.of(data), said, checks)


class MountRefused(RuntimeError):
    """This machine does not let us mount a tmpfs."""


@contextmanager
def small_disk(folder: Path, kilobytes: int) -> Iterator[Path]:
    """`folder` on a tmpfs of `kilobytes`, unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        raise MountRefused(
            f"mount -t tmpfs refused: {(mounted.stderr or mounted.stdout).strip() or mounted.returncode}"
        )
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def _used_kb(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) // 1024 + 64


def _on_a_small_disk(nodes: Nodes, fault: str, spare_kb: int, attempt: Callable[[Path, SiteState], Row]) -> Row:
    """Run `attempt` on a copy of the small node, on a tmpfs with about `spare_kb` free."""
    node = nodes.node()
    try:
        with small_disk(nodes.workdir / f"small-disk-{nodes.count}", _used_kb(node) + spare_kb) as data:
            shutil.copytree(node, data, dirs_exist_ok=True)
            return attempt(data, SiteState.of(data))
    except MountRefused as exc:
        return _not_tried(fault, str(exc))


def pack_bigger_than_the_disk(nodes: Nodes) -> Row:
    fault = "disk full: install a pack bigger than the free space"

    def attempt(data: Path, before: SiteState) -> Row:
        status, said = catalog(data, "install", str(nodes.pack))
        return _refused_and_kept(fault, data, before, status, said, "not enough free space")

    return _on_a_small_disk(nodes, fault, nodes.pack.stat().st_size // 2048, attempt)


def restore_on_a_full_disk(nodes: Nodes) -> Row:
    """Room for the backup's copy, not for the index built from it."""
    fault = "disk full: restore, while building the index"

    def attempt(data: Path, before: SiteState) -> Row:
        status, said = catalog(data, "restore", str(nodes.backup))
        return _refused_and_kept(fault, data, before, status, said, "No space left on device")

    return _on_a_small_disk(nodes, fault, nodes.backup.stat().st_size // 1024 + 128, attempt)


def reindex_on_a_full_disk(nodes: Nodes) -> Row:
    """The disk fills while a run saves 600 new videos and builds their index; then room is made."""
    fault = "disk full: reindex of 600 new videos"
    videos, config = nodes.workdir / "more-videos", nodes.workdir / "more.toml"
    write_videos(videos, range(600), revision=1)
    config.write_text(WORKOUTS + f'\n[sources.more]\nkind = "ytdlp-folder"\npath = "{videos}"\n')

    def attempt(data: Path, before: SiteState) -> Row:
        status, said = catalog(data, "reindex", "--config", str(config))
        after = SiteState.of(data)
        subprocess.run(["mount", "-o", "remount,size=64m", str(data)], check=True)
        again, said_again = catalog(data, "reindex", "--config", str(config))
        recovered = SiteState.of(data)
        row = _row(
            fault,
            before,
            after,
            said,
            {
                f"exit {status}, expected 1": status == 1,
                "the run's failure is a traceback, not a one-line message": not said.startswith("a traceback"),
                "the live generation changed": after.generation == before.generation,
                f"integrity {after.integrity}": after.integrity == "ok",
                f"with room again, the next run exited {again}: {said_again}": again == 0
                and recovered.documents == recovered.items == 603,
            },
        )
        row.kept = f"{after.describe(before)}; with room: {recovered.documents} docs"
        return row

    return _on_a_small_disk(nodes, fault, 2048, attempt)


def _not_tried(fault: str, reason: str) -> Row:
    return Row(fault, "(not tried)", f"not tried: {reason}", not_tried=reason)


ROWS: tuple[Callable[[Nodes], Row], ...] = (
    stale_wal_install,
    stale_wal_restore,
    swaps_while_serving,
    install_during_reindex,
    *[partial(hostile_pack, hostile=hostile) for hostile in HOSTILE_PACKS],
    garbage_backup,
    backup_nowhere,
    pack_bigger_than_the_disk,
    restore_on_a_full_disk,
    reindex_on_a_full_disk,
)


def run_faults(workdir: Path) -> FaultFigures:
    nodes = Nodes(workdir)
    return FaultFigures([row(nodes) for row in ROWS])


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="reliability-faults-") as workdir:
        figures = run_faults(Path(workdir))
    print("\n".join(figures.lines()))
    print("\n".join(f"FAILED: {problem}" for problem in figures.problems) or "faults: passed")
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
