"""One source read into SQLite: what its reader yields is stored, counted and reported.

Whatever goes wrong inside a source fails that source alone (`ingest` is the boundary); an
item's own failures come from its reader (`indexer.sources.base.item_results`). A source
that lists nothing although it has items in the catalog fails too, unless the maintainer
accepts that it is empty now.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from catalog import runs, store
from indexer.config import SourceConfig
from indexer.fetch import FetchPolicy
from indexer.progress import progress
from indexer.report import RunReport, SourceReport
from indexer.sources import reader
from indexer.sources.base import (
    ItemFailure,
    Notice,
    SourceContext,
    SourceError,
    SourceUnchanged,
    Unchanged,
    failure_reason,
)

log = logging.getLogger("catalog.reindex")
RECENT_DAYS = 7
CAPTION_WAIT_DAYS = 30
REFRESH_CYCLE_DAYS = 90


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ingest(
    db: Database, source: SourceConfig, run: RunReport, dry_run: bool = False, accept_empty: bool = False
) -> SourceReport:
    """Read one source and store what it brought. Whatever goes wrong in it fails this source
    alone, with one line; its items stay as they were."""
    report = SourceReport(source.name)
    seen: set[str] = set()
    now = now_iso()
    try:
        context = _context(db, source)
        _read(db, source, context, report, run, seen, now if not dry_run else None)
        if not seen and context.known and not report.failed and not accept_empty:
            raise SourceError(
                f"it listed no items, though {len(context.known)} are in the catalog; they stay live "
                f"(if it is really empty now, run `catalog reindex --accept-empty {source.name}`)"
            )
        if not dry_run:
            store.touch(db, seen & context.known, now)
            if not report.failed:
                gone_after = 1 if accept_empty and not seen else source.options["gone_after"]
                gone = store.count_missing(db, source.name, seen, gone_after)
                report.unavailable = len(gone)
                run.hiding |= gone
                _note_change(db, run, gone)
            runs.save_source(db, source.name, source.kind, run.run_id, None, context.state)
    except SourceError as exc:
        _source_failed(report, run.errors, str(exc))
    except ImportError as exc:
        _source_failed(
            report, run.errors, f"the {source.kind} reader cannot be loaded: {exc} (is a dependency missing?)"
        )
    except Exception as exc:  # the boundary around one source: its crash never costs the others
        log.debug("%s crashed", source.name, exc_info=True)
        _source_failed(report, run.errors, f"crashed: {failure_reason(exc, named=True)}")
    if report.error and not dry_run:
        _record_failed_source(db, source, run.run_id, report.error, seen, now)
    return report


def _read(
    db: Database,
    source: SourceConfig,
    context: SourceContext,
    report: SourceReport,
    run: RunReport,
    seen: set[str],
    now: str | None,
) -> None:
    """Take in what the source's reader yields, storing items as of `now` (None: a dry run,
    which stores nothing); `seen` collects the ids the source still lists."""
    for result in progress(reader(source.kind).read(source, context), desc=source.name):
        if isinstance(result, Notice):
            report.notices.append({"item": result.item, "message": result.message})
            log.info("%s: %s: %s", source.name, result.item, result.message)
        elif isinstance(result, ItemFailure):
            _item_failed(report, run, result)
        elif isinstance(result, Unchanged | SourceUnchanged):
            ids = context.known if isinstance(result, SourceUnchanged) else {result.item_id}
            report.unchanged += len(ids - seen)
            seen |= ids
        else:
            seen.add(result.id)
            change = store.save_item(db, result, now) if now else store.change_kind(db, result)
            setattr(report, change, getattr(report, change) + 1)
            if change != "unchanged" and now:
                _note_change(db, run, {result.id})


def _item_failed(report: SourceReport, run: RunReport, failure: ItemFailure) -> None:
    report.failed += 1
    run.errors.append({"source": report.name, "item": failure.item, "reason": failure.reason})
    log.warning(
        "%s: %s: %s",
        report.name,
        failure.item,
        failure.reason,
        extra={"fields": {"source": report.name, "item": failure.item, "reason": failure.reason}},
    )


def _record_failed_source(
    db: Database, source: SourceConfig, run_id: int | None, error: str, seen: set[str], now: str
) -> None:
    """Remember that the source failed (its state from the last good run stays), and that the
    items it listed before failing are still there."""
    try:
        store.touch(db, seen, now)
        runs.save_source(db, source.name, source.kind, run_id, error, None)
    except sqlite3.Error as exc:  # the catalog cannot be written (a full disk): the summary still says it
        log.error("%s: its failure could not be recorded: %s", source.name, exc)


def _source_failed(report: SourceReport, errors: list[dict], reason: str) -> None:
    """The whole source failed this run: say so once; its items stay as they were."""
    report.error = reason
    errors.append({"source": report.name, "item": None, "reason": reason})
    log.error(
        "%s: %s; its items stay as they were",
        report.name,
        reason,
        extra={"fields": {"source": report.name, "reason": reason}},
    )


def _note_change(db: Database, run: RunReport, item_ids: set[str]) -> None:
    """Remember changed items; the first change is written to the run's row at once, so a
    run killed before it publishes still tells the next run that the index is behind."""
    if item_ids and not run.changed_ids:
        db.execute("update runs set changed = 1 where id = ?", [run.run_id])
        db.conn.commit()
    run.changed_ids |= item_ids


def _context(db: Database, source: SourceConfig) -> SourceContext:
    items = store.source_items(db, source.name)
    return SourceContext(
        policy=FetchPolicy.from_options(source.options),
        known={row["id"] for row in items},
        due=due_for_refresh(items, date.today()),
        state=runs.source_state(db, source.name),
        max_new=source.options.get("max_new"),
    )


def due_for_refresh(items: list[dict], today: date) -> set[str]:
    """Known items to fetch again tonight, so late captions and edits arrive.

    Everything published in the last RECENT_DAYS, anything still without captions from
    the last CAPTION_WAIT_DAYS (live replays get theirs late), and a rolling share of the
    rest, about 1/REFRESH_CYCLE_DAYS of them, those checked longest ago first.
    """
    recent = (today - timedelta(days=RECENT_DAYS)).isoformat()
    caption_wait = (today - timedelta(days=CAPTION_WAIT_DAYS)).isoformat()
    due = {
        row["id"]
        for row in items
        if (row["published"] or "") >= recent
        or (row["captions"] == "none" and (row["published"] or "") >= caption_wait)
    }
    older = sorted((row for row in items if row["id"] not in due), key=lambda row: row["checked_at"] or "")
    share = math.ceil(len(items) / REFRESH_CYCLE_DAYS)
    return due | {row["id"] for row in older[:share]}
