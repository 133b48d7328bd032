"""`make check-reliability`: the heavy reliability checks at full size, then a summary table.

1. load: gunicorn under concurrent clients while `catalog reindex` publishes (load.py);
2. kills: `catalog reindex` SIGKILLed in every phase (kills.py);
3. faults on the way in: a killed run's WAL under install and restore, hostile packs, install
   during a reindex, a bad backup, a full disk (faults.py), one table row each;
4. hostile content: tests/test_hostile_content.py and tests/browser/test_hostile_browser.py,
   run by pytest;
5. fuzzing: schemathesis over every operation of /api/openapi.json, on the app and schema
   tests/test_fuzz.py builds, with more examples per operation than CI runs.

    python -m tests.reliability.check [--seconds 60] [--clients 8] [--kills 20] [--fuzz-examples 300]

Exit status 1 if any check failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.reliability import REPO
from tests.reliability.faults import run_faults
from tests.reliability.kills import PHASES, run_kills
from tests.reliability.load import run_load
from tests.reliability.xss_vectors import VECTORS

HOSTILE_TESTS = {
    "hostile content": "tests/test_hostile_content.py",
    "hostile browser": "tests/browser/test_hostile_browser.py",
}


def run_hostile() -> list[tuple[str, str, bool]]:
    """Run the hostile-content tests (each asserts that every vector was checked in every place);
    returns (row name, pytest's last line, passed) for each file."""
    rows = []
    for name, path in HOSTILE_TESTS.items():
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path]
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
        last = (done.stdout.strip().splitlines() or ["no output"])[-1]
        rows.append((name, f"{len(VECTORS)} vectors: {last.strip('= ')}"[:200], done.returncode == 0))
    return rows


def run_fuzz(examples: int) -> tuple[int, int, list[str]]:
    """Schemathesis over every API operation; returns (operations, cases run, failures)."""
    from tests.test_fuzz import schema  # the app and schema CI fuzzes (it indexes the sample on import)

    cases, failures, operations = 0, [], [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def fuzz(case) -> None:
            nonlocal cases
            cases += 1
            case.call_and_validate()

        try:
            fuzz()
        except (AssertionError, ExceptionGroup) as exc:  # schemathesis raises a group of failed checks
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc).strip().splitlines()[0][:200]}")
    return len(operations), cases, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--fuzz-examples", type=int, default=300)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reliability-") as workdir:
        (Path(workdir) / "load").mkdir()
        (Path(workdir) / "kills").mkdir()
        load = run_load(Path(workdir) / "load", args.clients, args.seconds, args.publishes)
        print("\n".join(load.lines()), flush=True)
        kills = run_kills(Path(workdir) / "kills", args.kills)
        print("\n".join(kills.lines()), flush=True)
        (Path(workdir) / "faults").mkdir()
        faults = run_faults(Path(workdir) / "faults")
        print(f"faults: {faults.summary()} (table below)", flush=True)
    hostile = run_hostile()
    operations, cases, fuzz_failures = run_fuzz(args.fuzz_examples)
    load_problems = load.problems(args.publishes)
    rows = [
        ("requests", f"{len(load.latencies_ms)} from {load.clients} clients in {load.seconds:.0f} s", True),
        ("failed requests", str(len(load.failures)), not load.failures),
        (
            "latency p99 / max",
            f"{load.percentile(0.99):.0f} / {max(load.latencies_ms, default=0):.0f} ms",
            max(load.latencies_ms, default=0) < 1000,
        ),
        (
            "generations switched",
            f"{load.switches} seen in /healthz, {len(load.published)} published",
            not load_problems,
        ),
        (
            "worker pids",
            f"{sorted(load.pids_before)} -> {sorted(load.pids_after)}",
            load.pids_before == load.pids_after,
        ),
        ("kills survived", ", ".join(f"{p} {kills.survived[p]}/{kills.hit[p]}" for p in PHASES), not kills.problems),
        ("faults held", faults.summary(), not faults.problems),
        *hostile,
        ("fuzz cases run", f"{cases} over {operations} operations, {len(fuzz_failures)} failed", not fuzz_failures),
    ]
    problems = (
        load_problems
        + kills.problems
        + faults.problems
        + fuzz_failures
        + [f"{name}: {figure}" for name, figure, passed in hostile if not passed]
    )
    print("\n" + "\n".join(faults.lines()))
    print(f"\nreliability summary ({time.monotonic() - started:.0f} s)")
    for name, figure, passed in rows:
        print(f"  {'ok  ' if passed else 'FAIL'}  {name:22} {figure}")
    print("\n".join(f"FAILED: {problem}" for problem in problems) or "all reliability checks passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
