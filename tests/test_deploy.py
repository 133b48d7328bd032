"""Backups and restores; packing a generation for another web node and installing it there."""

import io
import sqlite3
import tarfile

from app import create_app
from indexer.cli import cli

from .conftest import SAMPLE


def catalog(runner, data, *args):
    result = runner.invoke(cli, ["--data", str(data), *args])
    return result


def indexed(runner, data):
    assert catalog(runner, data, "reindex", "--config", str(SAMPLE / "sources.toml")).exit_code == 0


def test_backup_then_restore_as_documented(runner, fresh_data, tmp_path):
    indexed(runner, fresh_data)
    result = catalog(runner, fresh_data, "backup", str(tmp_path / "backup.db"))
    assert result.exit_code == 0 and "backed up" in result.output
    with sqlite3.connect(tmp_path / "backup.db") as db:
        assert db.execute("select count(*) from items").fetchone() == (11,)
    # Restore (README): stop the timer, put the backup in place as catalog.db, rebuild the index.
    restored = tmp_path / "restored"
    restored.mkdir()
    (tmp_path / "backup.db").rename(restored / "catalog.db")
    assert catalog(runner, restored, "rebuild-index").exit_code == 0
    assert "youtube:smplIntrv01?t=134" in catalog(runner, restored, "search", "4x400 relay").output


def test_backup_of_nothing_is_a_usage_error(runner, fresh_data, tmp_path):
    result = catalog(runner, fresh_data, "backup", str(tmp_path / "b.db"))
    assert result.exit_code == 2 and "no catalog" in result.output


def test_a_second_node_serves_the_same_results_from_an_installed_pack(runner, fresh_data, tmp_path):
    indexed(runner, fresh_data)
    pack = tmp_path / "catalog.tar"
    assert catalog(runner, fresh_data, "pack", str(pack)).exit_code == 0
    node = tmp_path / "node-2"
    installed = catalog(runner, node, "install", str(pack))
    assert installed.exit_code == 0, installed.output
    first = create_app({"DATA_DIR": str(fresh_data), "RATELIMIT_ENABLED": False}).test_client()
    second = create_app({"DATA_DIR": str(node), "RATELIMIT_ENABLED": False}).test_client()
    for query in ["4x400 relay", "strides before a race", "relya", "fuelling speaker:vega"]:
        assert (
            first.get("/api/search", query_string={"q": query}).get_json()
            == second.get("/api/search", query_string={"q": query}).get_json()
        )
    assert second.get("/items/youtube:smplIntrv01?t=134").status_code == 200


def test_a_tampered_pack_is_refused_and_changes_nothing(runner, fresh_data, tmp_path):
    indexed(runner, fresh_data)
    pack = tmp_path / "catalog.tar"
    catalog(runner, fresh_data, "pack", str(pack))
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
