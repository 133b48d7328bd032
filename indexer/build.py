"""Build an index generation from SQLite alone, check it, and publish it atomically."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database
from whoosh import index

from catalog import engine, store
from catalog.generations import HISTORY, history, index_root, live_name, open_generation, write_pointer
from catalog.index_schema import build_schema, documents
from catalog.query import parse
from indexer.config import GoldenQuery

KEEP_GENERATIONS = 3  # the live one and two to roll back to


def build_generation(db: Database, data_dir: Path) -> str:
    """Write every live item of the catalog into a new generation folder; returns its name."""
    name = datetime.now(UTC).strftime("gen-%Y%m%dT%H%M%S%fZ")
    folder = index_root(data_dir) / name
    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), build_schema())
    with ix.writer(limitmb=256) as writer:
        for item in store.live_items(db):
            for doc in documents(item):
                writer.add_document(**doc)
    return name


def check_generation(
    data_dir: Path, name: str, min_share: float, golden: tuple[GoldenQuery, ...]
) -> list[str]:
    """Problems that forbid publishing `name`: too few documents, or a golden query lost."""
    problems = []
    with open_generation(data_dir, name).searcher() as new:
        new_count = new.doc_count()
        live = live_name(data_dir)
        if live and live != name:
            live_count = _doc_count(data_dir, live)
            if live_count and new_count < min_share * live_count:
                problems.append(
                    f"new generation has {new_count} documents, under {min_share:.0%} of the live {live_count}"
                )
        for check in golden:
            found = engine.search(new, parse(check.query), {}, per_page=check.within)
            if check.expect not in found.item_ids:
                problems.append(f"golden query {check.query!r} no longer finds {check.expect}")
    return problems


def _doc_count(data_dir: Path, name: str) -> int | None:
    try:
        with open_generation(data_dir, name).searcher() as searcher:
            return searcher.doc_count()
    except Exception:  # a damaged live generation is no yardstick; the new one may replace it
        return None


def publish(data_dir: Path, name: str) -> None:
    """Make `name` the live generation, then drop generations beyond the rollback window."""
    published = ([n for n in history(data_dir) if n != name] + [name])[-KEEP_GENERATIONS:]
    _write_history(data_dir, published)
    write_pointer(data_dir, name)
    prune(data_dir, keep=published)


def _write_history(data_dir: Path, names: list[str]) -> None:
    tmp = index_root(data_dir) / f".{HISTORY}.tmp"
    tmp.write_text("".join(f"{n}\n" for n in names))
    tmp.replace(index_root(data_dir) / HISTORY)


def prune(data_dir: Path, keep: list[str]) -> None:
    """Remove generation folders not kept, including half-built ones left by a crash."""
    for folder in index_root(data_dir).glob("gen-*"):
        if folder.name not in keep and folder.name != live_name(data_dir):
            shutil.rmtree(folder, ignore_errors=True)


def discard(data_dir: Path, name: str) -> None:
    shutil.rmtree(index_root(data_dir) / name, ignore_errors=True)
