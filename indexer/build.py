"""Build an index generation from SQLite alone, check it, and publish it atomically."""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from catalog import engine
from catalog.generations.live import (
    check_opens,
    history,
    index_root,
    live_name,
    open_generation,
    write_history,
    write_pointer,
)
from catalog.generations.manifest import write_manifest
from catalog.search.query import parse
from catalog.search.suggest import write_suggestions
from catalog.storage import store
from catalog.text.spelling import count_words, write_words
from indexer.config import GoldenQuery

log = logging.getLogger(__name__)

KEEP_GENERATIONS = 3  # the live one and two to roll back to


def _new_name() -> str:
    return datetime.now(UTC).strftime("gen-%Y%m%dT%H%M%S%fZ")


def build_generation(db: Database, data_dir: Path) -> str:
    """Write every live item of the catalog into a new generation folder; returns its name."""
    name = _new_name()
    folder = index_root(data_dir) / name
    folder.mkdir(parents=True)
    with _removed_unless_finished(folder):
        engine.build(folder, store.live_items(db))
        _write_lexicon(db, folder)
    return name


def update_generation(db: Database, data_dir: Path, base: str, changed: set[str]) -> str:
    """A new generation: the `base` one plus the changed items re-entered (or removed); the
    base generation stays intact."""
    name = _new_name()
    folder = index_root(data_dir) / name
    with _removed_unless_finished(folder):
        engine.extend(index_root(data_dir) / base, folder, changed, store.live_items(db, sorted(changed)))
        _write_lexicon(db, folder)
    return name


@contextmanager
def _removed_unless_finished(folder: Path) -> Iterator[None]:
    """Remove a generation folder whose build raised (a full disk, a bad row): a half-built
    folder must not stay to fill the disk, or the next build fails again for want of room."""
    try:
        yield
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def extendable(data_dir: Path, name: str | None) -> str | None:
    """`name` if the live generation can take changed items, else None (build in full):
    none is live yet, or it cannot be opened, or an older version built it."""
    if name is None:
        return None
    try:
        check_opens(data_dir, name)
    except Exception as exc:  # a full build replaces it; saying why is enough
        log.warning("live generation %s cannot be extended (%s); building in full", name, exc)
        return None
    return name


def _write_lexicon(db: Database, folder: Path) -> None:
    """The files beside the index (catalog words for typo tolerance, autocomplete entries),
    then the manifest of the finished folder."""
    phrases: Counter = Counter()
    write_words(count_words(store.live_texts(db), phrases), folder)
    write_suggestions(db, folder, phrases)
    write_manifest(folder)


def check_generation(data_dir: Path, name: str, min_share: float, golden: tuple[GoldenQuery, ...]) -> list[str]:
    """Problems that forbid publishing `name`: too few documents, or a golden query lost."""
    problems = []
    with closing(open_generation(data_dir, name).index) as new:
        new_count = new.doc_count()
        live = live_name(data_dir)
        if live and live != name:
            live_count = _doc_count(data_dir, live)
            if live_count and new_count < min_share * live_count:
                problems.append(
                    f"new generation has {new_count} documents, under {min_share:.0%} of the live {live_count}"
                )
        for check in golden:
            found = new.search(parse(check.query), {}, per_page=check.within)
            if check.expect not in found.item_ids:
                problems.append(f"golden query {check.query!r} no longer finds {check.expect}")
    return problems


def _doc_count(data_dir: Path, name: str) -> int | None:
    try:
        with closing(open_generation(data_dir, name).index) as index:
            return index.doc_count()
    except Exception:  # a damaged live generation is no yardstick; the new one may replace it
        return None


def publish(data_dir: Path, name: str) -> None:
    """Make `name` the live generation, then drop generations beyond the rollback window."""
    published = ([n for n in history(data_dir) if n != name] + [name])[-KEEP_GENERATIONS:]
    write_history(data_dir, published)
    write_pointer(data_dir, name)
    prune(data_dir, keep=published)


def prune(data_dir: Path, keep: list[str]) -> None:
    """Remove generation folders not kept, including half-built ones left by a crash."""
    for folder in index_root(data_dir).glob("gen-*"):
        if folder.name not in keep and folder.name != live_name(data_dir):
            shutil.rmtree(folder, ignore_errors=True)


class NothingToRollBack(LookupError):
    """There is no earlier generation to return to."""


def rollback(db: Database, data_dir: Path) -> tuple[str, str]:
    """Make the previous generation live again; returns (abandoned, restored).

    The abandoned generation leaves the history, and the run is recorded as a change
    not yet published, so the next `catalog reindex` rebuilds the index from SQLite.
    """
    names, live = history(data_dir), live_name(data_dir)
    if live not in names or names.index(live) == 0:
        raise NothingToRollBack(f"no generation before {live or 'none'} to roll back to")
    restored = names[names.index(live) - 1]
    check_opens(data_dir, restored)
    write_history(data_dir, names[: names.index(restored) + 1])
    write_pointer(data_dir, restored)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    db.table("runs").insert({"started": now, "finished": now, "status": "rollback", "changed": 1})
    return live, restored


def discard(data_dir: Path, name: str) -> None:
    """Remove a generation that was not published (never the live one)."""
    if name != live_name(data_dir):
        shutil.rmtree(index_root(data_dir) / name, ignore_errors=True)
