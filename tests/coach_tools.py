"""What the tests of the coach's and maintainer's tools share: the CLI, the web, a sample to change."""

from __future__ import annotations

import shutil
from pathlib import Path

from app import create_app
from indexer.cli import cli

from .conftest import SAMPLE


def catalog(runner, data_dir: Path, *args: str):
    """`catalog --data DATA ARGS…` through the real command line."""
    return runner.invoke(cli, ["--data", str(data_dir), *args])


def reindexed(runner, data_dir: Path, config: Path, *args: str):
    result = catalog(runner, data_dir, "reindex", "--config", str(config), *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def client_for(data_dir: Path, **config):
    return create_app({"DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False, **config}).test_client()


def sample_copy(folder: Path) -> Path:
    """The bundled sample copied to `folder`, to be changed by a test; returns its sources.toml."""
    shutil.copytree(SAMPLE, folder)
    return folder / "sources.toml"


def notes(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("note: ")]
