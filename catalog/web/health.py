"""`GET /healthz` for load balancers: is a generation served, and how did the last run go."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, jsonify

from catalog import runs, store
from catalog.generations import NoGeneration
from catalog.web import get_db, live_index

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 while a generation is served (even if last night's run failed: the site is up),
    503 before the first one. The body says which, with counts and the last run's age;
    `degraded` while an older generation is served because the one `CURRENT` names is damaged."""
    index = live_index()
    try:
        generation = index.current().name
    except NoGeneration:
        generation = None
    db = get_db()
    latest = runs.last_runs(db, limit=1)
    last = latest[0] if latest else None
    body = {
        "status": ("ok" if generation == index.pointer else "degraded") if generation else "no-index",
        "generation": generation,
        "items": store.counts(db),
        "last_run": _run_summary(last) if last else None,
    }
    return jsonify(body), 200 if generation else 503


def _run_summary(run: dict) -> dict:
    finished = run.get("finished")
    age = None
    if finished:
        age = round((datetime.now(UTC) - datetime.fromisoformat(finished)).total_seconds())
    return {
        "id": run["id"],
        "status": run["status"],
        "finished": finished,
        "age_seconds": age,
        "errors": len(run["errors"]),
    }
