"""A disk that fills up while a generation is written: the live generation stays, the run says so in
one line after its per-source lines, its row gets a final status, and the half-built folder goes.

The fault is injected where Whoosh writes its files (every index file goes through
`StructFile.write`), as a real full disk raises it: OSError ENOSPC. SQLite is left alone.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from whoosh.filedb.structfile import StructFile

from catalog.generations.live import index_root, live_name
from catalog.storage import store
from indexer.cli import cli

from .conftest import SAMPLE
from .helpers import live_ids

FULL = os.strerror(errno.ENOSPC)


def catalog(runner, data_dir: Path, *args: str):
    return runner.invoke(cli, ["--data", str(data_dir), *args])


@pytest.fixture
def full_disk(monkeypatch):
    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, FULL)

    def fill_up():
        monkeypatch.setattr(StructFile, "write", no_space)

    return fill_up


def test_a_full_disk_during_the_build_keeps_the_live_generation_and_says_so(runner, fresh_data, full_disk):
    config = str(SAMPLE / "sources.toml")
    assert catalog(runner, fresh_data, "reindex", "--config", config).exit_code == 0
    live = live_name(fresh_data)
    full_disk()

    result = catalog(runner, fresh_data, "reindex", "--config", config, "--full")

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stdout.splitlines()
    assert "videos: 0 new, 0 updated, 3 unchanged, 0 unavailable, 0 failed — ok" in lines
    assert lines[-1] == (
        f"index NOT updated, the live generation stays: index build failed: OSError: [Errno {errno.ENOSPC}] {FULL}"
    )
    assert live_name(fresh_data) == live
    assert [p.name for p in index_root(fresh_data).glob("gen-*")] == [live], "the half-built generation is gone"
    db = store.open_readonly(fresh_data)
    assert [row[0] for row in db.execute("select status from runs order by id")] == ["ok", "failed"]
    assert "youtube:smplIntrv01" in live_ids(fresh_data, "4x400 relay")


def test_rebuild_index_on_a_full_disk_fails_in_one_line_and_cleans_up(runner, fresh_data, full_disk, monkeypatch):
    assert catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml")).exit_code == 0
    live = live_name(fresh_data)
    full_disk()

    result = catalog(runner, fresh_data, "rebuild-index")

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"index NOT rebuilt, the live generation stays: OSError: [Errno {errno.ENOSPC}] {FULL}"
    ]
    assert [p.name for p in index_root(fresh_data).glob("gen-*")] == [live]

    monkeypatch.undo()  # room again: the next rebuild works
    result = catalog(runner, fresh_data, "rebuild-index")
    assert result.exit_code == 0 and live_name(fresh_data) != live
