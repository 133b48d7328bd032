"""The record of runs and sources: what each nightly run did, and how each source fared.

Written by the indexer, read by /status and /healthz.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

NO_ITEMS = {"manual": 0, "auto": 0, "none": 0}  # live items by caption source


def source_state(db: Database, name: str) -> dict:
    row = db.execute("select state from sources where name = ?", [name]).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def source_notes(db: Database, name: str) -> dict:
    """The notes kept for a source: {"items": {item id: [notes]}, "run": [notes], "checks": [notes]}
    (notes on its items, on its last good read, and from the checks at the end of the last run)."""
    rows = list(db.query("select * from sources where name = ?", [name]))  # `*`: an older catalog has no notes
    return json.loads(rows[0]["notes"]) if rows and rows[0].get("notes") else {}


def save_source(
    db: Database,
    name: str,
    kind: str,
    run_id: int | None,
    error: str | None,
    state: dict | None,
    now: str,
    notes: dict | None = None,
) -> None:
    """Record how a source fared in a run (at `now`, when it started reading): its failures
    in a row and since when, its last success; its state and notes are only replaced after
    a good run."""
    before = db.execute("select failures, failing_since from sources where name = ?", [name]).fetchone()
    failures, failing_since = before if before else (0, None)
    row = {
        "name": name,
        "kind": kind,
        "last_run": run_id,
        "last_status": "failed" if error else "ok",
        "last_error": error,
        "failures": (failures or 0) + 1 if error else 0,
        "failing_since": (failing_since or now) if error else None,
    }
    if not error:
        row["last_success"] = now
    if state is not None:
        row["state"] = json.dumps(state)
    if notes is not None:
        row["notes"] = json.dumps(notes)
    db.table("sources").upsert(row, pk="name")


def save_check_notes(db: Database, name: str, notes: list[dict]) -> None:
    """The notes of the checks at the end of this run (collection links, caption coverage),
    in place of the last run's."""
    stored = source_notes(db, name)
    if stored.get("checks", []) != notes:
        db.execute("update sources set notes = ? where name = ?", [json.dumps({**stored, "checks": notes}), name])


def forget_sources(db: Database, keep: set[str]) -> None:
    """Drop the records of sources no longer configured, so one removed while it was failing
    does not keep /healthz degraded for ever. Their items stay as they are."""
    for (name,) in db.execute("select name from sources").fetchall():
        if name not in keep:
            db.execute("delete from sources where name = ?", [name])


def record_coverage(db: Database, names: list[str]) -> dict[str, tuple[dict, dict]]:
    """Store each source's caption coverage after this run beside the one after the last run;
    returns {name: (before, now)}."""
    live = coverage(db)
    changes = {}
    for name in names:
        row = db.execute("select coverage from sources where name = ?", [name]).fetchone()
        if row is None:
            continue
        before, now = json.loads(row[0]) if row[0] else None, live.get(name, dict(NO_ITEMS))
        db.execute(
            "update sources set coverage = ?, coverage_before = ? where name = ?",
            [json.dumps(now), json.dumps(before) if before else None, name],
        )
        changes[name] = (before, now)
    return changes


def coverage(db: Database) -> dict[str, dict[str, int]]:
    """Live items by caption source (manual, auto, none), per source."""
    found: dict[str, dict[str, int]] = {}
    for source, captions, n in db.execute(
        "select source, captions, count(*) from items where status = 'live' group by source, captions"
    ):
        found.setdefault(source, dict(NO_ITEMS))[captions] = n
    return found


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
    """Each source's last outcome, its failures in a row, its caption coverage and the change
    since the run before, and the notes it carries (what /status shows)."""
    live = coverage(db)
    rows = {
        row["name"]: dict(row)
        for row in db.query("select s.*, r.started as last_run_at from sources s left join runs r on r.id = s.last_run")
    }
    for name in live.keys() - rows.keys():  # items of a source no longer configured
        rows[name] = {"name": name}
    statuses = []
    for name, row in sorted(rows.items()):
        captions = live.get(name, dict(NO_ITEMS))
        before = json.loads(row["coverage_before"]) if row.get("coverage_before") else None
        notes = json.loads(row["notes"]) if row.get("notes") else {}
        statuses.append(
            {
                "name": name,
                "kind": row.get("kind"),
                "last_run_at": row.get("last_run_at"),
                "last_status": row.get("last_status"),
                "last_error": row.get("last_error"),
                "last_success": row.get("last_success"),
                "failing_since": row.get("failing_since"),
                "failures": row.get("failures") or 0,
                "captions": captions,
                "captions_change": {key: captions[key] - before.get(key, 0) for key in captions} if before else None,
                "notes": [
                    *(note for item_notes in (notes.get("items") or {}).values() for note in item_notes),
                    *(notes.get("run") or []),
                    *(notes.get("checks") or []),
                ],
            }
        )
    return statuses


def distinct_errors(runs: list[dict], shown_elsewhere: set[tuple[str, str]] = frozenset()) -> list[dict]:
    """Each error of these runs once (newest first), with when it last happened and in how many
    of them; a source's own failure already shown as its state (`shown_elsewhere`) is left out."""
    found: dict[tuple, dict] = {}
    for run in runs:
        for error in run["errors"]:
            key = (error.get("source"), error.get("item"), error.get("reason"))
            if error.get("item") is None and (key[0], key[2]) in shown_elsewhere:
                continue
            if key in found:
                found[key]["runs"] += 1
            else:
                found[key] = {**error, "last_seen": run["started"], "runs": 1}
    return list(found.values())


def failing_sources(db: Database) -> list[dict]:
    """Sources whose last run failed: name, since when, how many runs in a row, and why."""
    return [
        {key: row.get(key) for key in ("name", "failing_since", "failures", "last_error")}
        for row in db.query("select * from sources order by name")
        if row.get("failures")
    ]
