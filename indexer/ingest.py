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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from catalog.storage import runs, store
from catalog.storage.models import Item
from indexer import corrections, corrections_file
from indexer.config import SourceConfig
from indexer.fetch import FetchPolicy
from indexer.progress import progress
from indexer.report import RunReport, SourceReport
from indexer.source_notes import SourceNotes
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
    db: Database,
    source: SourceConfig,
    run: RunReport,
    dry_run: bool = False,
    accept_empty: bool = False,
    sharing: tuple[str, ...] = (),
) -> SourceReport:
    """Read one source and store what it brought. Whatever goes wrong in it fails this source
    alone, with one line; its items stay as they were. `sharing` names the sources reading its
    corrections file, in the run's order (each corrects its own items)."""
    report = SourceReport(source.name)
    seen: set[str] = set()
    now = now_iso()
    notes = SourceNotes.carried_over(runs.source_notes(db, source.name))
    try:
        context = _context(db, source)
        corrector = _corrector(source, sharing)
        as_of = now if not dry_run else None
        this = _Run(report, run, notes, corrector)
        _read(db, source, context, this, seen, as_of)
        if corrector:
            _correct_stored(db, source, this, seen, as_of)
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
            runs.save_source(db, source.name, source.kind, run.run_id, None, context.state, now, notes.stored(seen))
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
    if not dry_run:
        store.save_source_title(db, source.name, source.options.get("title"))
    return report


@dataclass(frozen=True)
class _Run:
    """What reading one source adds to: its report, the run's, its notes, and its corrections."""

    report: SourceReport
    run: RunReport
    notes: SourceNotes
    corrector: corrections.Corrector | None
    read: set[str] = field(default_factory=set)  # ids the reader gave in full

    def note(self, notice: Notice, about_the_run: bool = False) -> None:
        entry = {"item": notice.item, "message": notice.message}
        self.report.notices.append(entry)
        if about_the_run:
            self.notes.add_to_run(entry)
        else:
            self.notes.add(entry)
        log.info("%s: %s: %s", self.report.name, notice.item, notice.message)


def _read(
    db: Database, source: SourceConfig, context: SourceContext, this: _Run, seen: set[str], now: str | None
) -> None:
    """Take in what the source's reader yields, storing items as of `now` (None: a dry run,
    which stores nothing); `seen` collects the ids the source still lists."""
    for result in progress(reader(source.kind).read(source, context), desc=source.name):
        if isinstance(result, Notice):
            this.note(result)
        elif isinstance(result, ItemFailure):
            this.notes.item_skipped()
            _item_failed(this.report, this.run, result)
        elif isinstance(result, Unchanged | SourceUnchanged):
            this.notes.item_skipped()
            ids = context.known if isinstance(result, SourceUnchanged) else {result.item_id}
            this.report.unchanged += len(ids - seen)
            seen |= ids
        else:
            seen.add(result.id)
            this.read.add(result.id)
            this.notes.item_read(result.id)
            change = _store(db, result, this, now)
            setattr(this.report, change, getattr(this.report, change) + 1)


def _store(db: Database, item: Item, this: _Run, now: str | None, read: bool = True) -> str:
    """Save one item (after the coach's corrections) as `read` from its source or not; returns
    what that changed."""
    if this.corrector:
        item, notices = this.corrector.apply(item)
        for notice in notices:
            this.note(notice, about_the_run=True)
    change = store.save_item(db, item, now, read) if now else store.change_kind(db, item)
    if change != "unchanged" and now:
        _note_change(db, this.run, {item.id})
    return change


def _corrector(source: SourceConfig, sharing: tuple[str, ...]) -> corrections.Corrector | None:
    if "corrections" not in source.options:
        return None
    try:
        return corrections.Corrector(corrections_file.load(source.path("corrections")), sharing or (source.name,))
    except corrections_file.CorrectionsError as exc:  # applying none would undo the coach's corrections
        raise SourceError(f"corrections {exc}") from None


def _correct_stored(db: Database, source: SourceConfig, this: _Run, seen: set[str], now: str | None) -> None:
    """Correct again the items the reader did not read this run, so an edited corrections file
    takes effect tonight and a correction that stopped matching is reported every night."""
    for result in corrections.stored_items(db, this.corrector, source.name, this.read):
        if isinstance(result, Notice):
            this.note(result, about_the_run=True)
        elif _store(db, result, this, now, read=False) == "updated":
            this.report.updated += 1
            this.report.unchanged -= result.id in seen  # counted as unchanged when the reader listed it


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
        runs.save_source(db, source.name, source.kind, run_id, error, None, now)
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
