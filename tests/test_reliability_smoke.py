"""CI-sized versions of the reliability checks; `make check-reliability` runs them at full size.

- no downtime: 8 clients for about 10 s against gunicorn while two generations are published;
- crash safety: one SIGKILL of `catalog reindex` in each phase (fetch, SQLite writes, index
  build, swap), each followed by the checks of the site and a recovery run.
"""

from __future__ import annotations

import random

import pytest

from tests.reliability.kills import PHASES, run_kills
from tests.reliability.load import run_load

# Slow: gunicorn under load and SIGKILLed `catalog reindex` processes. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow


def test_no_request_fails_or_stalls_while_generations_are_published(tmp_path):
    figures = run_load(tmp_path, clients=8, seconds=10, publishes=2, items=200)
    print("\n".join(figures.lines()))
    problems = figures.problems(min_publishes=2)
    assert problems == [], "\n".join(figures.lines() + problems)


def test_sigkill_in_every_phase_leaves_the_live_generation_and_the_next_run_publishes(tmp_path):
    seed = random.randrange(1 << 30)  # printed, so a failure can be replayed with --seed
    figures = run_kills(tmp_path, kills=len(PHASES), items=150, episodes=6, seed=seed)
    print(f"seed {seed}\n" + "\n".join(figures.lines()))
    assert figures.problems == [], f"seed {seed}: " + "\n".join(figures.problems)
    # Four kills aimed at four phases; a short phase (the SQLite writes, when most files are
    # unchanged and skipped) is sometimes over before its kill lands. The full check fires 20.
    assert len(set(figures.hit)) >= len(PHASES) - 1, figures.lines()
