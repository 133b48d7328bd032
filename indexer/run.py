"""`catalog reindex`: read every source, record what changed, and publish a checked generation.

A source that fails keeps its items as they were; an item that fails keeps its old
version. The index is rebuilt only when something changed, and the new generation goes
live only after `build.check_generation` passes.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from catalog import runs, store
from catalog.generations import live_name
from indexer import build
from indexer.config import Config, SourceConfig
from indexer.fetch import FetchPolicy
from indexer.lock import run_lock
from indexer.progress import progress
from indexer.sources import reader
from indexer.sources.base import ItemFailure, Notice, SourceContext, SourceError, SourceUnchanged, Unchanged

log = logging.getLogger("catalog.reindex")
RECENT_DAYS = 7
CAPTION_WAIT_DAYS = 30
REFRESH_CYCLE_DAYS = 90


@dataclass
class SourceReport:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    unavailable: int = 0
    failed: int = 0
    error: str | None = None  # the whole source failed
    notices: list[dict] = field(default_factory=list)  # {item, message}: worth knowing, not failures

    @property
    def changed(self) -> int:
        return self.new + self.updated + self.unavailable

    def line(self) -> str:
        status = f"FAILED: {self.error}" if self.error else "ok"
        notes = f", {len(self.notices)} notes" if self.notices else ""
        return (
            f"{self.name}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.unavailable} unavailable, {self.failed} failed{notes} — {status}"
        )


@dataclass
class RunReport:
    run_id: int
    sources: list[SourceReport] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {source, item, reason}
    changed_ids: set[str] = field(default_factory=set)  # items new, updated or hidden this run
    generation: str | None = None
    published: bool = False
    problems: list[str] = field(default_factory=list)  # why a generation was not published

    @property
    def changed(self) -> bool:
        return any(s.changed for s in self.sources)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.problems else 0

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "partial" if self.errors else "ok"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def reindex(
    config: Config,
    data_dir: Path,
    only: tuple[str, ...] = (),
    full: bool = False,
    dry_run: bool = False,
) -> RunReport:
    """The nightly job. Raises LockBusy if another run holds the data folder."""
    with run_lock(data_dir):
        db = store.open_for_writing(data_dir)
        run_id = db.table("runs").insert({"started": now_iso(), "status": "running"}).last_pk
        report = RunReport(run_id=run_id)
        for source in config.sources:
            if not only or source.name in only:
                report.sources.append(_ingest(db, source, report, dry_run))
        base = None if full or runs.index_behind(db, run_id) else build.extendable(data_dir, live_name(data_dir))
        if not dry_run and (report.changed or base is None):
            _rebuild(db, data_dir, config, report, base)
        _record(db, report, dry_run)
        return report


def _ingest(db: Database, source: SourceConfig, run: RunReport, dry_run: bool) -> SourceReport:
    report, errors = SourceReport(source.name), run.errors
    context = _context(db, source)
    seen: set[str] = set()
    now = now_iso()
    try:
        for result in progress(reader(source.kind).read(source, context), desc=source.name):
            if isinstance(result, Notice):
                report.notices.append({"item": result.item, "message": result.message})
                log.info("%s: %s: %s", source.name, result.item, result.message)
            elif isinstance(result, ItemFailure):
                report.failed += 1
                errors.append({"source": source.name, "item": result.item, "reason": result.reason})
                log.warning(
                    "%s: %s: %s",
                    source.name,
                    result.item,
                    result.reason,
                    extra={"fields": {"source": source.name, "item": result.item, "reason": result.reason}},
                )
            elif isinstance(result, Unchanged | SourceUnchanged):
                ids = context.known if isinstance(result, SourceUnchanged) else {result.item_id}
                report.unchanged += len(ids - seen)
                seen |= ids
            else:
                seen.add(result.id)
                change = store.change_kind(db, result) if dry_run else store.save_item(db, result, now)
                setattr(report, change, getattr(report, change) + 1)
                if change != "unchanged":
                    _note_change(db, run, {result.id})
    except SourceError as exc:
        _source_failed(report, errors, str(exc))
    except ImportError as exc:
        _source_failed(report, errors, f"the {source.kind} reader cannot be loaded: {exc} (is a dependency missing?)")
    except Exception as exc:  # the boundary around one source: its crash never costs the others
        log.debug("%s crashed", source.name, exc_info=True)
        _source_failed(report, errors, f"crashed: {type(exc).__name__}: {exc}".splitlines()[0])
    if dry_run:
        return report
    store.touch(db, seen & context.known, now)
    if not report.failed and not report.error:
        hidden = store.mark_missing(db, source.name, seen, source.options["gone_after"])
        report.unavailable = len(hidden)
        _note_change(db, run, hidden)
    runs.save_source(db, source.name, source.kind, run.run_id, report.error, None if report.error else context.state)
    return report


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


def _rebuild(db: Database, data_dir: Path, config: Config, report: RunReport, base: str | None) -> None:
    """Build (from `base` plus the changed items, or from scratch), check, then publish."""
    log.info("building a new index generation (%s)", f"{len(report.changed_ids)} items changed" if base else "full")
    if base is None:
        name = build.build_generation(db, data_dir)
    else:
        name = build.update_generation(db, data_dir, base, report.changed_ids)
    report.generation = name
    report.problems = build.check_generation(
        data_dir,
        name,
        min_share=config.min_doc_share,
        golden=config.golden,
    )
    if report.problems:
        build.discard(data_dir, name)
        for problem in report.problems:
            log.error("generation %s not published: %s", name, problem, extra={"fields": {"generation": name}})
        return
    log.info("publishing index generation %s", name, extra={"fields": {"generation": name}})
    build.publish(data_dir, name)
    report.published = True


def _record(db: Database, report: RunReport, dry_run: bool) -> None:
    db.table("runs").update(
        report.run_id,
        {
            "finished": now_iso(),
            "status": "dry-run" if dry_run else report.status,
            "changed": int(bool(report.changed_ids)),
            "generation": report.generation if report.published else None,
            "summary": json.dumps([asdict(s) for s in report.sources]),
            "errors": json.dumps(
                report.errors + [{"source": None, "item": None, "reason": p} for p in report.problems]
            ),
        },
    )


def rebuild_index(data_dir: Path) -> str:
    """Rebuild and publish the index from SQLite alone, with no source and no network."""
    with run_lock(data_dir):
        db = store.open_for_writing(data_dir)
        name = build.build_generation(db, data_dir)
        build.publish(data_dir, name)
        return name
