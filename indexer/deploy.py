"""Backups, and moving a published catalog to other web nodes.

- `backup`: SQLite's online backup API, safe while the site serves and a run writes.
- `pack`: the live generation plus a consistent snapshot of catalog.db, in one tar file
  whose manifest carries a SHA-256 per file.
- `install`: unpack aside, check every digest, then swap the catalog and the pointer, so
  a web node picks up the new generation the way it picks up a local re-index.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from catalog import store
from catalog.generations import index_root, live_name
from catalog.manifest import DamagedGeneration, check_manifest, write_manifest
from indexer import build

PACK_INFO = "PACK.json"


class DeployError(RuntimeError):
    """A pack cannot be made or installed; the message says why."""


def backup(data_dir: Path, dest: Path) -> Path:
    """Copy catalog.db to `dest` (a file, or a folder to put catalog.db in) online."""
    source = store.db_path(data_dir)
    if not source.exists():
        raise DeployError(f"no catalog at {source}")
    target = dest / store.DB_NAME if dest.is_dir() else dest
    partial = target.with_name(target.name + ".partial")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(partial)) as copy:
        live.backup(copy)
        if copy.execute("pragma integrity_check").fetchone() != ("ok",):
            raise DeployError(f"the backup at {partial} failed its integrity check")
    os.replace(partial, target)
    return target


def pack(data_dir: Path, dest: Path) -> str:
    """Write the live generation and a catalog snapshot to the tar file `dest`; returns the generation."""
    name = live_name(data_dir)
    if name is None:
        raise DeployError("nothing to pack: no generation is live")
    with tempfile.TemporaryDirectory() as work:
        staging = Path(work) / "pack"
        shutil.copytree(index_root(data_dir) / name, staging / name)
        snapshot = backup(data_dir, staging / store.DB_NAME)
        with closing(sqlite3.connect(snapshot)) as db:  # a web node only reads: no WAL files to carry
            db.execute("pragma journal_mode = delete")
        write_manifest(staging)
        (staging / PACK_INFO).write_text(json.dumps({"generation": name}))
        with tarfile.open(dest, "w") as tar:
            tar.add(staging, arcname=".")
    return name


def install(pack_path: Path, data_dir: Path) -> str:
    """Install a pack made by `pack`; nothing changes unless every digest matches."""
    index_root(data_dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir) as work:
        staging = Path(work)
        try:
            with tarfile.open(pack_path) as tar:
                tar.extractall(staging, filter="data")
            name = json.loads((staging / PACK_INFO).read_text())["generation"]
            check_manifest(staging, digests=True)
            check_manifest(staging / name, digests=True)
        except (OSError, tarfile.TarError, ValueError, KeyError, DamagedGeneration) as exc:
            raise DeployError(f"{pack_path}: not a good pack ({exc})") from None
        target = index_root(data_dir) / name
        if not target.exists():
            os.replace(staging / name, target)
        os.replace(staging / store.DB_NAME, store.db_path(data_dir))
    build.publish(data_dir, name)
    return name
