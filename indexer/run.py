"""`catalog reindex`: read every source, record what changed, and publish a checked generation.

A source that fails keeps its items as they were; an item that fails keeps its old
version. The index is rebuilt only when something changed, and the new generation goes
live only after `build.check_generation` passes. Items gone upstream are hidden in the
same step, so the checks weigh them too.

Three boundaries catch everything, each recording the cause in one line and going on: one
item (`indexer.sources.base.item_results`, used by every reader), one source
(`indexer.ingest.ingest`) and the build (`_build_and_publish`). Whatever happens, the run
ends with its summary and a final status in its row.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from sqlite_utils import Database

from catalog.generations.live import live_name
from catalog.storage import runs, store
from indexer import build, collection_links, corrections
from indexer.config import Config
from indexer.ingest import ingest, now_iso
from indexer.lock import run_lock
from indexer.report import RunReport
from indexer.sources.base import failure_reason

log = logging.getLogger("catalog.reindex")


def reindex(
    config: Config,
    data_dir: Path,
    only: tuple[str, ...] = (),
    full: bool = False,
    dry_run: bool = False,
    accept_empty: tuple[str, ...] = (),
) -> RunReport:
    """The nightly job. Raises LockBusy if another run holds the data folder.

    A dry run reads every source and reports, and writes nothing: no lock file, no run row.
    A source named in `accept_empty` that lists nothing has its items hidden at once.
    """
    sources = [source for source in config.sources if not only or source.name in only]
    sharing = corrections.sharing(config.sources)
    if dry_run:
        report = RunReport(run_id=None)
        db = store.open_for_dry_run(data_dir)
        report.sources = [ingest(db, s, report, dry_run=True, sharing=sharing.get(s.name, ())) for s in sources]
        return report
    with run_lock(data_dir):
        db = store.open_for_writing(data_dir)
        report = RunReport(run_id=db.table("runs").insert({"started": now_iso(), "status": "running"}).last_pk)
        report.sources = [
            ingest(db, s, report, accept_empty=s.name in accept_empty, sharing=sharing.get(s.name, ())) for s in sources
        ]
        base = None if full or runs.index_behind(db, report.run_id) else build.extendable(data_dir, live_name(data_dir))
        if report.changed or base is None:
            with _kept_only_if_published(db, report):
                _build_and_publish(db, data_dir, config, report, base)
        _check_after_publishing(db, report, keep={s.name for s in config.sources} if not only else None)
        _record(db, report)
        return report


def _check_after_publishing(db: Database, report: RunReport, keep: set[str] | None) -> None:
    """What can only be judged once the catalog is as visitors see it: collection links that do
    not resolve, and caption coverage that dropped. Notes of the sources they concern; a full
    run also forgets the sources no longer configured (`keep`)."""
    try:
        if keep is not None:
            runs.forget_sources(db, keep)
        notes = collection_links.refresh(db)
        for name, (before, now) in runs.record_coverage(db, [s.name for s in report.sources]).items():
            drop = coverage_drop(before, now)
            if drop:
                notes[name].append({"item": "captions", "message": drop})
        by_name = {s.name: s for s in report.sources}
        for name in {*by_name, *notes}:
            runs.save_check_notes(db, name, notes.get(name, []))
            if name in by_name:
                by_name[name].notices.extend(notes.get(name, []))
        db.conn.commit()
    except sqlite3.Error as exc:  # a full disk: the run still records itself if it can
        log.error("the checks after publishing could not be recorded: %s", exc)
        report.problems.append(f"the checks after publishing could not be recorded: {exc}")


def coverage_drop(before: dict | None, now: dict) -> str | None:
    """A warning when a smaller share of a source's live items has captions than after the last run."""
    if not before:
        return None
    had, has = before["manual"] + before["auto"], now["manual"] + now["auto"]
    of_before, of_now = sum(before.values()), sum(now.values())
    if not of_before or has * of_before >= had * of_now:  # has/of_now >= had/of_before, without dividing by 0
        return None
    return (
        f"caption coverage dropped: {has} of {of_now} live items have captions, {had} of {of_before} after the last run"
    )


@contextmanager
def _kept_only_if_published(db: Database, report: RunReport) -> Iterator[None]:
    """What is written inside (items hidden) is committed only if the generation is published:
    until then visitors see those items, so SQLite must go on saying they are live."""
    db.execute("SAVEPOINT publish")
    try:
        yield
    finally:
        if not report.published:
            db.execute("ROLLBACK TO SAVEPOINT publish")
        db.execute("RELEASE SAVEPOINT publish")


def _build_and_publish(db: Database, data_dir: Path, config: Config, report: RunReport, base: str | None) -> None:
    """Hide the items gone upstream, build (from `base` plus the changed items, or from
    scratch), check, then publish.

    Whatever the build raises (a full disk, a bug) leaves the live generation as it was and
    removes the new one; the run goes on to record itself."""
    log.info("building a new index generation (%s)", f"{len(report.changed_ids)} items changed" if base else "full")
    name, failure = None, None
    try:
        store.hide(db, report.hiding)
        if base is None:
            name = build.build_generation(db, data_dir)
        else:
            name = build.update_generation(db, data_dir, base, report.changed_ids)
        report.problems = build.check_generation(data_dir, name, min_share=config.min_doc_share, golden=config.golden)
        if not report.problems:
            log.info("publishing index generation %s", name, extra={"fields": {"generation": name}})
            build.publish(data_dir, name)
    except Exception as exc:  # the boundary around the build: the run still ends with its summary
        log.debug("the index build failed", exc_info=True)
        failure = f"index build failed: {failure_reason(exc, named=True)}"
    report.generation = name
    report.published = name is not None and live_name(data_dir) == name
    if failure and not report.published:
        report.problems.append(failure)
    if name and not report.published:
        build.discard(data_dir, name)
    for problem in report.problems:
        log.error("generation %s not published: %s", name, problem, extra={"fields": {"generation": name}})


def _record(db: Database, report: RunReport) -> None:
    """The run's final row. If even that cannot be written (a full disk), the summary says so."""
    try:
        db.table("runs").update(
            report.run_id,
            {
                "finished": now_iso(),
                "status": report.status,
                "changed": int(bool(report.changed_ids)),
                "generation": report.generation if report.published else None,
                "summary": json.dumps([asdict(s) for s in report.sources]),
                "errors": json.dumps(
                    report.errors + [{"source": None, "item": None, "reason": p} for p in report.problems]
                ),
            },
        )
    except sqlite3.Error as exc:
        log.error("the run could not be recorded: %s", exc)
        report.problems.append(f"the run could not be recorded: {exc}")


def rebuild_index(data_dir: Path) -> str:
    """Rebuild and publish the index from SQLite alone, with no source and no network."""
    with run_lock(data_dir, "rebuild-index"):
        db = store.open_for_writing(data_dir)
        name = build.build_generation(db, data_dir)
        build.publish(data_dir, name)
        return name
