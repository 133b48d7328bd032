"""Index generations: immutable folders under `<data>/index/`, and the pointer to the live one.

The indexer builds a generation aside, checks it, then replaces the `CURRENT` file in
one `os.replace`, so a reader sees either the old generation or the new one, never half.
Each web worker keeps its open index and reopens only when `CURRENT` names another folder.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from whoosh import index
from whoosh.index import Index
from whoosh.searching import Searcher

from catalog.facets import FacetTable
from catalog.index_schema import built_by_this_version
from catalog.manifest import check_manifest
from catalog.ranking import ItemStats
from catalog.spelling import Vocabulary
from catalog.suggest import Suggestions

log = logging.getLogger(__name__)

POINTER = "CURRENT"
RESULT_CACHE_SIZE = 1024
T = TypeVar("T")
HISTORY = "HISTORY"


class NoGeneration(LookupError):
    """No index generation has been published yet: run `catalog reindex`."""


class OutdatedGeneration(LookupError):
    """A generation built by an older version of the index: `catalog rebuild-index` replaces it."""


def index_root(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def live_name(data_dir: Path) -> str | None:
    try:
        name = (index_root(data_dir) / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    return name or None


def history(data_dir: Path) -> list[str]:
    """Published generations, oldest first; the last one is live unless rolled back."""
    try:
        lines = (index_root(data_dir) / HISTORY).read_text().split()
    except FileNotFoundError:
        return []
    return lines


def write_pointer(data_dir: Path, name: str) -> None:
    """Point readers at generation `name` atomically: write aside, fsync, rename."""
    root = index_root(data_dir)
    tmp = root / f".{POINTER}.{os.getpid()}"
    with open(tmp, "w") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / POINTER)
    directory = os.open(root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@dataclass(eq=False)
class Generation:
    """One published index folder: the Whoosh index and the files built beside it.

    A worker keeps its generation open and reuses one searcher per thread: opening a
    searcher costs tens of milliseconds on a large index, searching with one does not.
    """

    name: str
    folder: Path
    index: Index

    def __post_init__(self) -> None:
        self._local = threading.local()
        self._results: OrderedDict = OrderedDict()
        self._results_lock = threading.Lock()

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A result computed once per generation: the index does not change under it, so
        a repeated query (the popular ones, a visitor paging back) costs a dict lookup."""
        with self._results_lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
        value = compute()
        with self._results_lock:
            self._results[key] = value
            if len(self._results) > RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        return value

    def forget(self, key: Hashable) -> None:
        with self._results_lock:
            self._results.pop(key, None)

    def searcher(self) -> Searcher:
        """A searcher for one-off use; close it (use `with`)."""
        return self.index.searcher()

    @property
    def shared_searcher(self) -> Searcher:
        """This thread's long-lived searcher; never close it."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.index.searcher()
        return searcher

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.load(self.folder)

    @cached_property
    def facet_table(self) -> FacetTable:
        return FacetTable(self.shared_searcher.reader())

    @cached_property
    def item_stats(self) -> ItemStats:
        return ItemStats.load(self.shared_searcher)

    @cached_property
    def suggestions(self) -> Suggestions:
        return Suggestions.load(self.folder)


def open_generation(data_dir: Path, name: str) -> Generation:
    """Open one generation and check it: its files match the manifest and it can be searched."""
    folder = index_root(data_dir) / name
    check_manifest(folder)
    ix = index.open_dir(str(folder))
    if not built_by_this_version(ix.schema):
        raise OutdatedGeneration(f"{name} was built by an older version of the index; run `catalog rebuild-index`")
    with ix.searcher() as searcher:
        searcher.doc_count()
    return Generation(name=name, folder=folder, index=ix)


class LiveIndex:
    """The live generation of one process, reopened when the pointer moves.

    If the pointed-to generation cannot be opened, the one already open stays in
    use (or an older published one), and the failure is logged.
    """

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.generation: Generation | None = None  # the generation actually open
        self._pointer: str | None = None  # the pointer value it was chosen for
        self._lock = threading.Lock()

    def current(self) -> Generation:
        wanted = live_name(self.data_dir)
        if wanted != self._pointer or self.generation is None:
            with self._lock:
                if wanted != self._pointer or self.generation is None:
                    self._switch(wanted)
                    self._pointer = wanted
        if self.generation is None:
            raise NoGeneration("no index generation has been published yet")
        return self.generation

    def _switch(self, wanted: str | None) -> None:
        candidates = [wanted] if wanted else []
        candidates += [n for n in reversed(history(self.data_dir)) if n not in candidates]
        for name in candidates:
            if self.generation is not None and name == self.generation.name:
                return
            try:
                self.generation = open_generation(self.data_dir, name)
            except Exception as exc:  # a damaged generation must not take the site down
                log.error("index generation %s cannot be opened (%s); trying an older one", name, exc)
                continue
            if name != wanted:
                log.warning("serving generation %s instead of %s", name, wanted)
            return
