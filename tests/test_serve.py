"""`catalog serve` against slow and odd clients: the real gunicorn it starts, on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.conftest import REPO

# Slow: the real gunicorn, started by `catalog serve`. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

CATALOG = Path(sys.executable).with_name("catalog")
TOKEN = "status-token-for-the-serve-test"


class Served:
    def __init__(self, url: str, log: Path):
        self.url, self.log = url, log


@pytest.fixture(scope="module")
def served(sample_data, tmp_path_factory) -> Iterator[Served]:
    """`catalog serve` with its defaults, over the sample catalog."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(CATALOG), "--data", str(sample_data), "serve", "--port", str(port)],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Served(url, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"catalog serve exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url + "/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still busy starting
            pass
        time.sleep(0.2)
    pytest.fail(f"catalog serve did not answer within 60 s:\n{log.read_text()[-3000:]}")


class SlowClient:
    """A connection that sends a request's headers one byte every half second, never finishing."""

    def __init__(self, url: str):
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        for byte in b"X-Slow: " + b"a" * 1000:
            if self.stop.wait(0.5):
                return
            try:
                self.sock.send(bytes([byte]))
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def test_two_slow_clients_do_not_hold_up_a_third(served):
    slow = [SlowClient(served.url) for _ in range(2)]
    try:
        time.sleep(1)  # both are being read by now
        started = time.monotonic()
        try:
            response = requests.get(served.url + "/api/search?q=relay", timeout=10)
        except requests.Timeout:
            pytest.fail("a normal request waited more than 10 s behind two slow clients")
        waited = time.monotonic() - started
    finally:
        for client in slow:
            client.close()
    assert response.status_code == 200 and waited < 3, f"answered {response.status_code} after {waited:.1f} s"


def test_a_link_our_pages_make_from_a_long_query_is_answered_by_the_app(served):
    """500 characters of a three-byte letter are 4,500 characters in a URL: past gunicorn's
    default request-line limit, whose own bare 414 carries none of the security headers."""
    response = requests.get(served.url + "/search?q=" + quote("—" * 500), timeout=10)
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_the_logs_keep_no_status_token(served):
    requests.get(f"{served.url}/status?token={TOKEN}", timeout=10)
    requests.get(f"{served.url}/healthz", timeout=10)  # one more line after it, so the first is written
    time.sleep(0.5)
    log = served.log.read_text()
    assert "/status" in log and TOKEN not in log
