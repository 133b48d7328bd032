"""Over HTTP: gunicorn as `catalog serve` runs it, on the bench catalog, loaded by wrk.

wrk (Debian's package) runs a Lua script that cycles through the query log's
`/api/search` URLs and prints its own percentiles, in two workloads: "repeated", the log
as it is (after one pass every query has been asked before), and "first time", where each
request's `q` starts with a different number of spaces ("+"), which the query parser
drops, so that no two requests look alike to a result cache. The load runs on the same
machine as the server, so wrk's thread takes some of the CPU the workers would have.
The per-client API rate limit is lifted (all the load comes from one client).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError

from bench.queries import Query
from indexer.cli import gunicorn_args

REPO = Path(__file__).resolve().parents[1]
LEVELS = (1, 8, 32)
WORKERS = 2
WORKLOADS = ("first time", "repeated")
NO_RATE_LIMIT = {"CATALOG_RATELIMIT_API": "1000000 per second"}
LUA = """
local paths = {PATHS}
local next_path, pass, pad = 0, 0, false
init = function(args)
  pass, pad = tonumber(args[1]), args[2] == "pad"
end
request = function()
  next_path = next_path % #paths + 1
  if next_path == 1 then pass = pass + 1 end
  local path = paths[next_path]
  if pad then path = "/api/search?q=" .. string.rep("+", pass) .. path:sub(15) end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %.0f %.0f %.0f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


class LoadToolMissing(RuntimeError):
    """wrk is not installed and could not be installed."""


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's package first when missing and we are root."""
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
            subprocess.run(install, env=env, capture_output=True, check=False)
    found = shutil.which("wrk")
    if not found:
        raise LoadToolMissing("wrk is not installed (install it with `apt-get install -y wrk`); HTTP figures skipped")
    return found


@dataclass(frozen=True)
class Server:
    pid: int
    url: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(data_dir: Path, log_path: Path) -> Iterator[Server]:
    """gunicorn serving `data_dir` on a free local port, stopped on leaving the block."""
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", *gunicorn_args(f"127.0.0.1:{port}", WORKERS)]
    env = {**os.environ, **NO_RATE_LIMIT, "CATALOG_DATA": str(data_dir)}
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            server = Server(process.pid, f"http://127.0.0.1:{port}")
            _wait_ready(server, process, log_path)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=60)


def _wait_ready(server: Server, process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}): {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/api/search?q=mile", timeout=30) as response:
                if response.status == 200:
                    return
        except (URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s: {log_path.read_text()[-2000:]}")


def write_script(queries: list[Query], path: Path) -> Path:
    assert all(q.path.startswith("/api/search?q=") for q in queries), "the Lua padding expects q first"
    paths = ", ".join(f'"{q.path}"' for q in queries)  # urlencoded: plain ASCII, no quotes
    path.write_text(LUA.replace("{PATHS}", "{" + paths + "}"))
    return path


def run_wrk(wrk: str, server: Server, script: Path, clients: int, seconds: float, pad_from: int | None) -> dict:
    """One load level: requests/s, latency percentiles in ms, and failed requests.

    `pad_from`: pad each pass through the log with one more space than the last,
    starting there (None: no padding, the log repeats as it is)."""
    command = [
        wrk,
        "-t1",
        f"-c{clients}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        server.url,
        "--",
        str(pad_from or 0),
        "pad" if pad_from is not None else "as-is",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_RESULT")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    requests, micros, socket_errors, bad_status, p50, p95, p99 = (float(x) for x in line.split()[1:])
    return {
        "clients": clients,
        "requests": int(requests),
        "rps": requests / (micros / 1e6),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "errors": int(socket_errors + bad_status),
    }


def worker_rss_mb(master_pid: int) -> list[float]:
    """VmRSS of each gunicorn worker (the master's children), in MB."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master_pid:
                status = (stat.parent / "status").read_text()
                kib = next(int(ln.split()[1]) for ln in status.splitlines() if ln.startswith("VmRSS:"))
                sizes.append(kib / 1024)
        except (OSError, IndexError, StopIteration, ValueError):
            continue  # a process that ended while we looked
    return sorted(sizes)


def load(data_dir: Path, queries: list[Query], seconds: float) -> dict:
    """Start gunicorn, warm it, run every workload at every load level, read the workers' RSS,
    stop it. The repeated workload is warmed for long enough that both workers have answered
    each query of the log, judged by the first-time rate at one client."""
    wrk = ensure_wrk()
    work = Path(data_dir).parent
    script = write_script(queries, work / "queries.lua")
    levels, passes = [], 0
    with gunicorn(data_dir, work / "gunicorn.log") as server:
        run_wrk(wrk, server, script, 2, min(seconds, 3), None)  # each worker opens the index
        for workload in WORKLOADS:
            padded = workload == "first time"
            if not padded:  # let both workers meet every query of the log a few times first
                first_rps = levels[0]["rps"] or 1
                run_wrk(wrk, server, script, 2, min(120, max(3, 6 * len(queries) / (2 * first_rps))), None)
            for clients in LEVELS:
                level = run_wrk(wrk, server, script, clients, seconds, passes if padded else None)
                passes += level["requests"] // len(queries) + 2 if padded else 0
                levels.append({**level, "workload": workload})
        rss = worker_rss_mb(server.pid)
        failing = next((lv for lv in levels if lv["errors"]), None)
        probe = _status(server, queries[0]) if failing else None
    return {"levels": levels, "worker_rss_mb": rss, "seconds": seconds, "probe": probe}


def _status(server: Server, query: Query) -> str:
    """What one request answers now, to say what the errors were."""
    try:
        with urllib.request.urlopen(server.url + query.path, timeout=30) as response:
            return f"{query.path} answers {response.status}"
    except HTTPError as exc:
        return f"{query.path} answers {exc.code} {exc.reason}"
