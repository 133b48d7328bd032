"""Backups and restores; packing a generation for another web node and installing it there.

Each command runs through the real CLI. The hostile packs and the killed run's WAL are the ones
`make check-reliability` tries (tests/reliability/faults.py)."""

import io
import sqlite3
import tarfile
from contextlib import closing
from types import SimpleNamespace

import pytest

from app import create_app
from catalog.generations.live import index_root, live_name
from indexer import deploy
from indexer.cli import cli
from indexer.lock import run_lock
from tests.reliability.faults import HOSTILE_PACKS, forge, leave_stale_wal

from .conftest import SAMPLE


def catalog(runner, data, *args):
    return runner.invoke(cli, ["--data", str(data), *args])


def indexed(runner, data, *only):
    result = catalog(runner, data, "reindex", "--config", str(SAMPLE / "sources.toml"), *only)
    assert result.exit_code == 0, result.output


def live_items(data) -> list[tuple[str, str]]:
    """(id, title) of the live items, read as the web reads them; fails if the catalog is not whole."""
    with closing(sqlite3.connect(f"file:{data / 'catalog.db'}?mode=ro", uri=True)) as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        return db.execute("select id, title from items where status = 'live' order by id").fetchall()


def site(data) -> tuple:
    """What a visitor's answers depend on: the generation served, the generation folders, the items."""
    return live_name(data), sorted(p.name for p in index_root(data).glob("gen-*")), live_items(data)


@pytest.fixture(scope="module")
def pack(sample_data, tmp_path_factory):
    """A pack of the whole sample (12 items)."""
    from click.testing import CliRunner

    path = tmp_path_factory.mktemp("pack") / "catalog.tar"
    result = CliRunner().invoke(cli, ["--data", str(sample_data), "pack", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def node(runner, tmp_path):
    """A web node serving the sample's workouts alone (3 items), so an install visibly changes it."""
    data = tmp_path / "node"
    indexed(runner, data, "--source", "workouts")
    assert len(live_items(data)) == 3
    return data


def test_a_backup_is_one_self_contained_file(runner, fresh_data, tmp_path):
    indexed(runner, fresh_data)
    result = catalog(runner, fresh_data, "backup", str(tmp_path / "backup.db"))
    assert result.exit_code == 0 and "backed up" in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == ["backup.db"]
    with closing(sqlite3.connect(tmp_path / "backup.db")) as db:
        assert db.execute("pragma journal_mode").fetchone() == ("delete",)  # no -wal needed beside it
        assert db.execute("select count(*) from items").fetchone() == (12,)


@pytest.mark.parametrize("command", ["backup", "pack"])
def test_writing_into_a_missing_folder_is_a_clear_error(runner, fresh_data, tmp_path, command):
    indexed(runner, fresh_data)
    dest = tmp_path / "no-such-folder" / "catalog.out"
    result = catalog(runner, fresh_data, command, str(dest))
    assert result.exit_code == 2, result.exception
    assert f"there is no folder {dest.parent}" in result.output


def test_backup_of_nothing_is_a_usage_error(runner, fresh_data, tmp_path):
    result = catalog(runner, fresh_data, "backup", str(tmp_path / "b.db"))
    assert result.exit_code == 2 and "no catalog" in result.output


def test_restore_puts_a_backup_back_over_a_killed_runs_wal(runner, fresh_data, node, tmp_path):
    indexed(runner, fresh_data)
    assert catalog(runner, fresh_data, "backup", str(tmp_path / "backup.db")).exit_code == 0
    leave_stale_wal(node)
    result = catalog(runner, node, "restore", str(tmp_path / "backup.db"))
    assert result.exit_code == 0, result.output
    assert "(12 live items) and published index generation" in result.output
    assert live_items(node) == live_items(fresh_data)  # nothing of the killed run's WAL replayed into it
    assert "youtube:smplIntrv01?t=134" in catalog(runner, node, "search", "4x400 relay").output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not a backup " * 1000, "backup.db cannot be read by SQLite: file is not a database"),
        ("no tables", "backup.db is not a catalog: no table chapters, items, raw, runs, segments, sources"),
    ],
    ids=["garbage", "not-a-catalog"],
)
def test_restore_refuses_a_bad_backup_and_keeps_the_catalog(runner, node, tmp_path, content, said):
    backup = tmp_path / "backup.db"
    if isinstance(content, bytes):
        backup.write_bytes(content)
    else:
        with closing(sqlite3.connect(backup)) as db:
            db.execute("create table notes (text)")
            db.commit()
    before = site(node)
    result = catalog(runner, node, "restore", str(backup))
    assert result.exit_code == 1
    assert said in result.output and "the live catalog and generation stay" in result.output
    assert site(node) == before
    assert not list(node.glob(".incoming-*"))


def test_a_second_node_serves_the_same_results_from_an_installed_pack(runner, sample_data, pack, tmp_path):
    node = tmp_path / "node-2"
    installed = catalog(runner, node, "install", str(pack))
    assert installed.exit_code == 0, installed.output
    first = create_app({"DATA_DIR": str(sample_data), "RATELIMIT_ENABLED": False}).test_client()
    second = create_app({"DATA_DIR": str(node), "RATELIMIT_ENABLED": False}).test_client()
    for query in ["4x400 relay", "strides before a race", "relya", "fuelling speaker:vega"]:
        assert (
            first.get("/api/search", query_string={"q": query}).get_json()
            == second.get("/api/search", query_string={"q": query}).get_json()
        )
    assert second.get("/items/youtube:smplIntrv01?t=134").status_code == 200


def test_install_over_a_killed_runs_wal_installs_the_packs_catalog(runner, sample_data, pack, node):
    leave_stale_wal(node)
    result = catalog(runner, node, "install", str(pack))
    assert result.exit_code == 0, result.output
    assert live_items(node) == live_items(sample_data)
    web = create_app({"DATA_DIR": str(node), "RATELIMIT_ENABLED": False}).test_client()
    assert web.get("/items/youtube:smplIntrv01?t=134").status_code == 200


def test_install_while_a_reindex_runs_is_refused_and_spares_its_half_built_generation(runner, pack, node):
    before = site(node)
    half_built = index_root(node) / "gen-29991231T235959000000Z"
    with run_lock(node):
        half_built.mkdir()
        result = catalog(runner, node, "install", str(pack))
        assert result.exit_code == 1 and "another catalog reindex is running" in result.output
        assert half_built.is_dir()
    half_built.rmdir()
    assert site(node) == before


def test_a_tampered_pack_is_refused_and_changes_nothing(runner, pack, tmp_path):
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(pack) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name.endswith("words.tsv"):
                content = data.read().replace(b"relay", b"rel4y")
                member.size = len(content)
                target.addfile(member, io.BytesIO(content))
            else:
                target.addfile(member, data)
    node = tmp_path / "node"
    result = catalog(runner, node, "install", str(tampered))
    assert result.exit_code == 1 and "does not match its SHA-256" in result.output
    assert not (node / "catalog.db").exists()


@pytest.mark.parametrize("hostile", HOSTILE_PACKS, ids=[hostile.name for hostile in HOSTILE_PACKS])
def test_a_hostile_pack_is_refused_and_changes_nothing(runner, pack, node, tmp_path, hostile):
    before = site(node)
    forged = forge(pack, tmp_path / "hostile.tar", hostile, node)
    result = catalog(runner, node, "install", str(forged))
    assert result.exit_code == 1, result.output
    assert hostile.expect in result.output and "the live catalog and generation stay" in result.output
    assert site(node) == before
    assert not list(node.glob(".incoming-*"))


def test_a_pack_bigger_than_the_free_space_is_refused_before_unpacking(runner, pack, node, monkeypatch):
    before = site(node)
    free = pack.stat().st_size // 2
    monkeypatch.setattr(deploy.shutil, "disk_usage", lambda path: SimpleNamespace(total=10**9, used=10**9, free=free))
    result = catalog(runner, node, "install", str(pack))
    assert result.exit_code == 1
    assert f"not enough free space in {node}: the pack catalog.tar needs" in result.output
    assert site(node) == before


def test_a_damaged_live_generation_is_never_packed(runner, fresh_data, tmp_path):
    indexed(runner, fresh_data)
    words = index_root(fresh_data) / live_name(fresh_data) / "words.tsv"
    words.write_text(words.read_text().replace("relay", "rel4y"))
    result = catalog(runner, fresh_data, "pack", str(tmp_path / "catalog.tar"))
    assert result.exit_code == 2 and "words.tsv does not match its SHA-256" in result.output
    assert not list(tmp_path.glob("catalog.tar*"))
