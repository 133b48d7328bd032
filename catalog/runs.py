"""The record of runs and sources: what each nightly run did, and how each source fared.

Written by the indexer, read by /status and /healthz.
"""

from __future__ import annotations

import json

from sqlite_utils import Database


def source_state(db: Database, name: str) -> dict:
    row = db.execute("select state from sources where name = ?", [name]).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def save_source(db: Database, name: str, kind: str, run_id: int, error: str | None, state: dict | None) -> None:
    """Record how a source fared in a run; its state is only replaced after a good run."""
    row = {
        "name": name,
        "kind": kind,
        "last_run": run_id,
        "last_status": "failed" if error else "ok",
        "last_error": error,
    }
    if state is not None:
        row["state"] = json.dumps(state)
    db.table("sources").upsert(row, pk="name")


def index_behind(db: Database, current_run: int | None = None) -> bool:
    """True when an earlier run changed the catalog after the last generation was published
    (its checks failed, or it was killed), so this run must rebuild even if nothing new
    arrives; the current run's own changes do not count, it knows them."""
    row = db.execute(
        "select exists(select 1 from runs where changed = 1 and id != ? and id > "
        "(select coalesce(max(id), 0) from runs where generation is not null))",
        [current_run or 0],
    ).fetchone()
    return bool(row[0])


def last_runs(db: Database, limit: int = 10) -> list[dict]:
    """The latest runs, newest first, with their summaries and errors decoded."""
    rows = db.query("select * from runs order by id desc limit ?", [limit])
    return [
        {**row, "summary": json.loads(row["summary"] or "[]"), "errors": json.loads(row["errors"] or "[]")}
        for row in rows
    ]


def source_statuses(db: Database) -> list[dict]:
    """Each source's last outcome and its caption coverage (live items by caption source)."""
    coverage: dict[str, dict[str, int]] = {}
    for source, captions, n in db.execute(
        "select source, captions, count(*) from items where status = 'live' group by source, captions"
    ):
        coverage.setdefault(source, {"manual": 0, "auto": 0, "none": 0})[captions] = n
    rows = {
        row["name"]: dict(row) for row in db.query("select name, kind, last_run, last_status, last_error from sources")
    }
    for name in coverage.keys() - rows.keys():
        rows[name] = {"name": name, "kind": None, "last_run": None, "last_status": None, "last_error": None}
    return [
        {**row, "captions": coverage.get(name, {"manual": 0, "auto": 0, "none": 0})}
        for name, row in sorted(rows.items())
    ]
