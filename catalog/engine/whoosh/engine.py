"""Writing and opening the Whoosh index of a generation folder (see catalog.engine.contract)."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.index import IndexError as WhooshIndexError

from catalog.engine.contract import OutdatedIndex, UnreadableIndex
from catalog.engine.whoosh.index import WhooshIndex
from catalog.engine.whoosh.schema import build_schema, built_by_this_version, document
from catalog.storage.models import Item

# Whoosh's compound segment files are read into memory whole by every reader (tens of MB per
# worker at 1,000 hours); plain files are read where needed and shared in the page cache.
WRITER_OPTIONS = {"limitmb": 256, "compound": False}
INDEX_NAME = "MAIN"  # Whoosh's files are `_MAIN_<n>.toc` and `MAIN_<segment>.<ext>`
OUTDATED = "was built by an older version of the index; run `catalog rebuild-index`"


def build(folder: Path, items: Iterable[Item]) -> None:
    ix = index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    with ix.writer(**WRITER_OPTIONS) as writer:
        for item in items:
            writer.add_document(**document(item))


def extend(base: Path, folder: Path, changed: set[str], items: Iterable[Item]) -> None:
    """Whoosh never rewrites a segment file once written (deletions live in the new TOC), so
    the base's files are hard-linked, not copied, and the base stays intact."""
    folder.mkdir(parents=True)
    for path in base.iterdir():
        if _owns(path.name) and "LOCK" not in path.name:
            os.link(path, folder / path.name)
    ix = _open(folder)
    with ix.writer(**WRITER_OPTIONS) as writer:
        for item_id in sorted(changed):
            writer.delete_by_term("item_id", item_id)
        for item in items:
            writer.add_document(**document(item))


def open(folder: Path) -> WhooshIndex:  # noqa: A001 - the contract's name
    """The index in `folder`, checked to be this version's and searchable."""
    opened = WhooshIndex(_open(folder))
    opened.doc_count()
    return opened


def _owns(name: str) -> bool:
    return name.startswith((INDEX_NAME + "_", f"_{INDEX_NAME}_"))


def _open(folder: Path) -> index.Index:
    try:
        ix = index.open_dir(str(folder), indexname=INDEX_NAME)
    except WhooshIndexError as exc:
        raise UnreadableIndex(f"{folder.name} holds no readable index: {exc}") from None
    except (pickle.UnpicklingError, AttributeError, ImportError) as exc:  # its schema names classes since moved
        raise OutdatedIndex(f"{folder.name} {OUTDATED} ({exc})") from None
    if not built_by_this_version(ix.schema):
        raise OutdatedIndex(f"{folder.name} {OUTDATED}")
    return ix
