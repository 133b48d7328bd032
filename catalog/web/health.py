"""`GET /healthz` for load balancers: is a generation served, how did the last run go, and has
any source been failing for too long.

`degraded` (still 200, so a load balancer keeps the node: it serves what it has) means an
older generation is served because the one `CURRENT` names is damaged, or a source has failed
every run for longer than `CATALOG_STALE_AFTER` (default 2d; "36h", "90m" and a number of
seconds work too); `stale_sources` then says which. The age is a web setting, read from the
`sources` table the indexer writes: the web never reads sources.toml.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify
from flask.blueprints import BlueprintSetupState

from catalog.durations import BadDuration, seconds_of
from catalog.storage import runs, store
from catalog.web.resources import get_db, live_index, run_live

bp = Blueprint("health", __name__)
DEFAULT_STALE_AFTER = "2d"


@bp.record_once
def _read_settings(state: BlueprintSetupState) -> None:
    """A stale-after age the app cannot read stops it at start, like any unusable setting."""
    config = state.app.config
    config.setdefault("STALE_AFTER", DEFAULT_STALE_AFTER)
    try:
        config["STALE_AFTER_SECONDS"] = seconds_of(config["STALE_AFTER"])
    except BadDuration as exc:
        raise ValueError(f"CATALOG_STALE_AFTER: {exc}") from None


@bp.get("/healthz")
def healthz():
    """200 while a generation is served (even if last night's run failed: the site is up),
    503 before the first one. The body says which, with counts and the last run's age."""
    # Not the app's bare 503: before the first generation the body still says what the catalog
    # holds and how the last run went, which is why there is none.
    generation = run_live(lambda live: live.name, otherwise=None)
    pointer = live_index().pointer
    db = get_db()
    latest = runs.last_runs(db, limit=1)
    last = latest[0] if latest else None
    stale = stale_sources(db, current_app.config["STALE_AFTER_SECONDS"])
    body = {
        "status": ("ok" if generation == pointer and not stale else "degraded") if generation else "no-index",
        "generation": generation,
        "items": store.counts(db),
        "last_run": _run_summary(last) if last else None,
    }
    if stale:
        body["stale_sources"] = stale
    return jsonify(body), 200 if generation else 503


def stale_sources(db, older_than: float) -> list[dict]:
    """Sources failing for more than `older_than` seconds: name, since when, runs in a row.
    Their errors are left out: they quote URLs and paths, and /healthz answers anyone."""
    return [
        {"name": source["name"], "failing_since": source["failing_since"], "failures": source["failures"]}
        for source in runs.failing_sources(db)
        if source["failing_since"] and _age(source["failing_since"]) > older_than
    ]


def _age(stamp: str) -> float:
    return (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()


def _run_summary(run: dict) -> dict:
    finished = run.get("finished")
    return {
        "id": run["id"],
        "status": run["status"],
        "finished": finished,
        "age_seconds": round(_age(finished)) if finished else None,
        "errors": len(run["errors"]),
    }
