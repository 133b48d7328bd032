"""Shared fixtures: the vendored real files, and a guard that keeps every test on 127.0.0.1."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
CORPUS = FIXTURES / "corpus"  # real public files, vendored with their licences (fixtures/SOURCES.md)
YTDLP_SITE = FIXTURES / "ytdlp-site"
SAMPLE = REPO / "data" / "sample"

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(sock: socket.socket, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        if host not in _LOOPBACK and not str(host).startswith("127."):
            raise AssertionError(f"test tried to reach {address!r}; tests stay on 127.0.0.1")


def _guarded_connect(self, address):
    _check_address(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real public captions, feeds and posts vendored under tests/fixtures/corpus."""
    return CORPUS


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory) -> Path:
    """A data folder holding the bundled sample, indexed once for the whole session.

    Tests must not write to it; tests that re-index use `fresh_data`.
    """
    from indexer.config import load_config
    from indexer.run import reindex

    data_dir = tmp_path_factory.mktemp("sample-data")
    report = reindex(load_config(SAMPLE / "sources.toml"), data_dir)
    assert report.exit_code == 0, report.errors
    return data_dir


@pytest.fixture
def fresh_data(tmp_path) -> Path:
    """An empty data folder of this test's own."""
    return tmp_path / "data"


@pytest.fixture
def app(sample_data):
    from app import create_app

    return create_app({"DATA_DIR": str(sample_data), "TESTING": True, "RATELIMIT_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def fixture_server():
    """An HTTP server on 127.0.0.1 with canned routes; see tests/fixture_server.py."""
    from tests.fixture_server import FixtureServer

    with FixtureServer() as server:
        yield server


@pytest.fixture
def refused_url() -> str:
    """A 127.0.0.1 URL where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
