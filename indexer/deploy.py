"""Backups and restores, and moving a published catalog to other web nodes.

- `backup`: SQLite's online backup API, safe while the site serves and a run writes; the copy is
  one self-contained file in rollback-journal mode, with no -wal beside it.
- `restore`: a backup that passes its checks becomes the catalog, with an index built from it.
- `pack`: the live generation plus a catalog snapshot in one tar file, whose PACK.json lists
  every other file in it with its size and SHA-256.
- `install`: unpack aside, check everything the pack holds, then swap the catalog and the pointer,
  so a web node picks up the new generation the way it picks up a local re-index.

`install` and `restore` hold the run lock and change nothing until everything is checked. A run
killed while writing leaves `catalog.db-wal` beside the old catalog, and SQLite would replay it
into a new file put in its place, so the swap folds that WAL into the old file and removes it first.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path, PurePosixPath

from sqlite_utils import Database

from catalog.atomic import replace_durably
from catalog.engine import UnreadableIndex
from catalog.generations.live import check_opens, index_root, live_name
from catalog.generations.manifest import (
    MANIFEST,
    DamagedGeneration,
    check_files,
    check_manifest,
    describe,
    is_plain_relative,
    read_manifest,
)
from catalog.storage import store
from catalog.storage.migrations import migrations
from indexer import build
from indexer.lock import run_lock

log = logging.getLogger(__name__)

PACK_INFO = "PACK.json"
# The folder names indexer/build.py gives generations (gen-%Y%m%dT%H%M%S%fZ); nothing else is one.
GENERATION_NAME = re.compile(r"gen-\d{8}T\d{12}Z")
# Every catalog since the first schema has these tables; the index, the pages and /status read them.
CATALOG_TABLES = frozenset({"items", "segments", "chapters", "raw", "runs", "sources"})
SIDECARS = ("-wal", "-shm", "-journal")  # SQLite's files beside catalog.db
INCOMING = ".incoming-"  # scratch folders of install and restore inside the data folder


class DeployError(RuntimeError):
    """A backup, restore, pack or install cannot be done; the message says why."""


class Refused(ValueError):
    """A backup or pack fails a check; the message names the check."""


def backup(data_dir: Path, dest: Path) -> Path:
    """Copy catalog.db to `dest` (a file, or a folder to put catalog.db in) online."""
    source = store.db_path(data_dir)
    if not source.exists():
        raise DeployError(f"no catalog at {source}")
    target = dest / store.DB_NAME if dest.is_dir() else dest
    if not target.parent.is_dir():
        raise DeployError(f"cannot write a backup to {target}: there is no folder {target.parent}")
    try:
        _copy_catalog(source, target)
    except (OSError, sqlite3.Error, Refused) as exc:
        raise DeployError(f"cannot write a backup to {target}: {exc}") from None
    return target


def restore(backup_file: Path, data_dir: Path) -> tuple[str, int]:
    """Make a checked backup the catalog, with a generation built from it; returns (generation, live items).

    The backup is copied aside and checked, and the index is built from that copy, before the
    live catalog is touched: if anything fails, the old catalog and generation stay."""
    with run_lock(data_dir, "restore"), _incoming(data_dir) as work:
        prepared = work / store.DB_NAME
        try:
            _ensure_room(data_dir, backup_file.stat().st_size, f"the backup {backup_file}")
            items = _copy_catalog(backup_file, prepared)
            name = _generation_from(prepared, data_dir)
        except (OSError, sqlite3.Error, Refused, DamagedGeneration, UnreadableIndex) as exc:
            raise DeployError(f"{backup_file} not restored: {exc}; the live catalog and generation stay") from None
        _swap_catalog(data_dir, prepared)
        build.publish(data_dir, name)
    return name, items


def pack(data_dir: Path, dest: Path) -> str:
    """Write the live generation and a catalog snapshot to the tar file `dest`; returns the generation."""
    name = live_name(data_dir)
    if name is None:
        raise DeployError("nothing to pack: no generation is live")
    if not dest.parent.is_dir():
        raise DeployError(f"cannot write a pack to {dest}: there is no folder {dest.parent}")
    generation = index_root(data_dir) / name
    partial = dest.with_name(dest.name + ".partial")
    try:
        check_manifest(generation, digests=True)  # a damaged generation is never shipped
        with tempfile.TemporaryDirectory() as work, tarfile.open(partial, "w") as tar:
            snapshot = Path(work) / store.DB_NAME
            _copy_catalog(store.db_path(data_dir), snapshot)
            files = {f"{name}/{file}": entry for file, entry in read_manifest(generation).items()}  # checked above
            files |= {f"{name}/{MANIFEST}": describe(generation / MANIFEST), store.DB_NAME: describe(snapshot)}
            info = json.dumps({"generation": name, "files": files}, indent=1).encode()
            header = tarfile.TarInfo(PACK_INFO)
            header.size = len(info)
            tar.addfile(header, io.BytesIO(info))
            tar.add(snapshot, arcname=store.DB_NAME)
            for path in sorted(files.keys() - {store.DB_NAME}):
                tar.add(index_root(data_dir) / path, arcname=path)
        replace_durably(partial, dest)
    except (OSError, sqlite3.Error, Refused, DamagedGeneration) as exc:
        raise DeployError(f"cannot write a pack to {dest}: {exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return name


def install(pack_path: Path, data_dir: Path) -> str:
    """Install a pack made by `pack`; nothing changes unless every file of it passes its checks."""
    with run_lock(data_dir, "install"), _incoming(data_dir) as staging:
        try:
            _unpack(pack_path, staging, data_dir)
            name = _check_pack(staging)
            _place_generation(data_dir, staging / name)
        except (OSError, tarfile.TarError, sqlite3.Error, Refused, DamagedGeneration) as exc:
            raise DeployError(f"{pack_path} not installed: {exc}; the live catalog and generation stay") from None
        _swap_catalog(data_dir, staging / store.DB_NAME)
        build.publish(data_dir, name)
    return name


def check_catalog(path: Path, label: str | None = None) -> int:
    """The number of live items of the catalog at `path`, which must pass SQLite's integrity
    check and have the catalog's tables (Refused says which check failed, naming `label`)."""
    label = label or path.name
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            verdict = [row[0] for row in db.execute("pragma integrity_check")]
            if verdict != ["ok"]:
                raise Refused(f"{label} fails SQLite's integrity check: {verdict[0]}")
            tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
            if not CATALOG_TABLES <= tables:
                raise Refused(f"{label} is not a catalog: no table {', '.join(sorted(CATALOG_TABLES - tables))}")
            return db.execute("select count(*) from items where status = 'live'").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise Refused(f"{label} cannot be read by SQLite: {exc}") from None


def _copy_catalog(source: Path, target: Path) -> int:
    """Copy a catalog with SQLite's backup API, which reads the source as SQLite does (its WAL
    included), into one rollback-journal file written aside and checked before it lands at
    `target`. Returns its number of live items."""
    partial = target.with_name(target.name + ".partial")
    try:
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as original,
            closing(sqlite3.connect(partial)) as copy,
        ):
            try:
                original.backup(copy)
            except sqlite3.DatabaseError as exc:
                if exc.sqlite_errorname in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
                    raise Refused(f"{source.name} cannot be read by SQLite: {exc}") from None
                raise
            copy.execute("pragma journal_mode = delete")
        items = check_catalog(partial, label=source.name)
        replace_durably(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return items


def _generation_from(catalog_file: Path, data_dir: Path) -> str:
    """A generation built from the catalog at `catalog_file` (brought to this version's schema
    first) that opens and searches. If the build fails (a full disk), what it wrote goes again;
    the caller holds the run lock, so every new generation folder is this build's."""
    existing = set(index_root(data_dir).glob("gen-*"))
    db = Database(catalog_file)
    try:
        migrations.apply(db)
        name = build.build_generation(db, data_dir)
        check_opens(data_dir, name)
    except (OSError, sqlite3.Error, DamagedGeneration, UnreadableIndex):
        for folder in set(index_root(data_dir).glob("gen-*")) - existing:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        db.close()
    return name


def _unpack(pack_path: Path, staging: Path, data_dir: Path) -> None:
    """Extract a plain (uncompressed) tar of regular files, if the data folder has room for them."""
    with tarfile.open(pack_path, "r:") as tar:
        members = tar.getmembers()
        strange = next((member.name for member in members if not (member.isfile() or member.isdir())), None)
        if strange is not None:
            raise Refused(f"{strange} is a link or a device, not a file")
        needed = max(pack_path.stat().st_size, sum(member.size for member in members))
        _ensure_room(data_dir, needed, f"the pack {pack_path.name}")
        tar.extractall(staging, members=members, filter="data")


def _check_pack(staging: Path) -> str:
    """Check an unpacked pack against its PACK.json; returns the generation it carries.

    PACK.json must list every other file, each under a plain relative name: catalog.db, and
    the files of one generation folder named as the indexer names them. Every digest must
    match, the generation's own manifest must cover its folder, and catalog.db must be a
    whole catalog."""
    try:
        info = json.loads((staging / PACK_INFO).read_text())
    except (OSError, ValueError) as exc:
        raise Refused(f"no readable {PACK_INFO} ({exc})") from None
    if not isinstance(info, dict) or not isinstance(info.get("files"), dict):
        raise Refused(f"{PACK_INFO} lists no files (a pack made by an older `catalog pack`: make it again)")
    name, files = info.get("generation"), info["files"]
    if not all(isinstance(entry, dict) and entry.keys() >= {"size", "sha256"} for entry in files.values()):
        raise Refused(f"{PACK_INFO} lists a file without its size and sha256")
    if not isinstance(name, str) or not GENERATION_NAME.fullmatch(name):
        raise Refused(f"{PACK_INFO} names the generation {name!r}, not a name like gen-20250131T020000123456Z")
    misplaced = sorted(path for path in files if not _belongs_in_pack(path, name))
    if misplaced:
        raise Refused(f"{PACK_INFO} lists {misplaced[0]!r}, which has no place in a pack")
    present = {path.relative_to(staging).as_posix() for path in staging.rglob("*") if not path.is_dir()}
    unlisted = sorted(present - set(files) - {PACK_INFO})
    if unlisted:
        raise Refused(f"{unlisted[0]} is in the pack but not in {PACK_INFO}")
    for required in (store.DB_NAME, f"{name}/{MANIFEST}"):
        if required not in files:
            raise Refused(f"{PACK_INFO} does not list {required}")
    check_files(staging, files, digests=True, label="pack")
    check_manifest(staging / name, digests=True, complete=True)
    check_catalog(staging / store.DB_NAME)
    return name


def _belongs_in_pack(path: str, generation: str) -> bool:
    parts = PurePosixPath(path).parts
    return path == store.DB_NAME or (is_plain_relative(path) and len(parts) == 2 and parts[0] == generation)


def _place_generation(data_dir: Path, unpacked: Path) -> None:
    """Move the checked generation beside the others (kept if a copy is there already) and open it."""
    target = index_root(data_dir) / unpacked.name
    placed = not target.exists()
    if placed:
        index_root(data_dir).mkdir(parents=True, exist_ok=True)
        replace_durably(unpacked, target)
    try:
        check_opens(data_dir, target.name)
    except UnreadableIndex as exc:
        if placed:
            build.discard(data_dir, target.name)
        raise Refused(str(exc)) from None


def _swap_catalog(data_dir: Path, prepared: Path) -> None:
    """Make `prepared` the live catalog.db; the caller holds the run lock, so nothing writes.

    A run killed while writing leaves its WAL (and SHM) beside the old file; SQLite would
    replay that WAL into any new file put in its place. So the old file takes its WAL in first
    (it is then whole by itself, should this stop before the rename), the sidecars go, and the
    new file is renamed over the old one. A reader that opens the old file between the two
    makes an empty WAL, which is harmless beside the new one."""
    live = store.db_path(data_dir)
    if live.exists():
        try:
            with closing(sqlite3.connect(live)) as old:
                old.execute("pragma wal_checkpoint(TRUNCATE)")
        except sqlite3.DatabaseError as exc:
            log.warning("the old catalog cannot take in its WAL (%s); it is replaced anyway", exc)
    for suffix in SIDECARS:
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    replace_durably(prepared, live)


def _ensure_room(data_dir: Path, needed: int, what: str) -> None:
    free = shutil.disk_usage(data_dir).free
    if needed > free:
        raise Refused(f"not enough free space in {data_dir}: {what} needs {_mb(needed)}, {_mb(free)} are free")


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


@contextmanager
def _incoming(data_dir: Path) -> Iterator[Path]:
    """A scratch folder inside the data folder (one file system, so moving out of it is a rename),
    removed afterwards; the caller holds the run lock, so any left by a killed install go first."""
    for leftover in Path(data_dir).glob(INCOMING + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=INCOMING) as work:
        yield Path(work)
