"""`catalog reindex --dry-run` reads every source and reports, and writes nothing at all."""

from __future__ import annotations

import shutil
from pathlib import Path

from catalog.storage import store
from indexer.cli import cli

from .conftest import SAMPLE

TABLES = ("runs", "sources", "items", "segments", "chapters", "raw")


def catalog(runner, data_dir: Path, *args: str):
    return runner.invoke(cli, ["--data", str(data_dir), *args])


def snapshot(data_dir: Path) -> dict[str, list]:
    db = store.open_readonly(data_dir)
    return {table: db.execute(f"select * from {table} order by 1").fetchall() for table in TABLES}


def test_a_dry_run_leaves_the_catalog_exactly_as_it_was(runner, fresh_data, tmp_path):
    media = tmp_path / "media"
    shutil.copytree(SAMPLE, media)
    config = str(media / "sources.toml")
    assert catalog(runner, fresh_data, "reindex", "--config", config).exit_code == 0
    (media / "workouts" / "hills.md").write_text("---\ntitle: Hill sprints\n---\nEight short hill sprints.\n")
    (media / "articles" / "threshold-and-tempo-runs-explained.md").unlink()
    before = snapshot(fresh_data)

    result = catalog(runner, fresh_data, "reindex", "--config", config, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "workouts: 1 new, 0 updated, 3 unchanged" in result.output
    assert result.output.splitlines()[-1] == "dry run: nothing was written"
    assert snapshot(fresh_data) == before


def test_a_dry_run_on_an_empty_data_folder_creates_nothing(runner, fresh_data):
    result = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"), "--dry-run")
    assert result.exit_code == 0 and "videos: 3 new" in result.output
    assert not fresh_data.exists()
