"""Index generations: immutable folders under `<data>/index/`, and the pointer to the live one.

The indexer builds a generation aside, checks it, then replaces the `CURRENT` file in
one `os.replace`, so a reader sees either the old generation or the new one, never half.
Each web worker keeps its open index and reopens only when `CURRENT` names another folder.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from catalog import engine
from catalog.atomic import write_atomically
from catalog.engine import SearchIndex
from catalog.generations.manifest import DamagedGeneration, check_manifest
from catalog.search.suggest import Suggestions
from catalog.text.spelling import Vocabulary

log = logging.getLogger(__name__)

POINTER = "CURRENT"
RESULT_CACHE_SIZE = 1024
T = TypeVar("T")
HISTORY = "HISTORY"
_FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a plain folder name: no path, no `..`


class NoGeneration(LookupError):
    """No index generation has been published yet: run `catalog reindex`."""


def index_root(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def live_name(data_dir: Path) -> str | None:
    """The generation `CURRENT` names, or None when there is none or it names no plain folder."""
    names = _names_in(index_root(data_dir) / POINTER)
    return names[0] if len(names) == 1 else None


def history(data_dir: Path) -> list[str]:
    """Published generations, oldest first; the last one is live unless rolled back."""
    return _names_in(index_root(data_dir) / HISTORY)


def _names_in(path: Path) -> list[str]:
    """The generation names a pointer file lists. An unreadable file, bytes that are not
    ASCII and words that are not plain folder names count as nothing: a damaged pointer
    must leave readers on a published generation, never fail every request."""
    try:
        words = path.read_bytes().decode("ascii").split()
    except (OSError, UnicodeDecodeError):
        return []
    return [word for word in words if _FOLDER_NAME.fullmatch(word)]


def write_pointer(data_dir: Path, name: str) -> None:
    """Point readers at generation `name` atomically."""
    write_atomically(index_root(data_dir) / POINTER, name + "\n")


def write_history(data_dir: Path, names: list[str]) -> None:
    write_atomically(index_root(data_dir) / HISTORY, "".join(f"{n}\n" for n in names))


@dataclass(eq=False)
class Generation:
    """One published index folder: the engine's index and the files built beside it
    (catalog words for typo tolerance, autocomplete entries). A worker keeps it open."""

    name: str
    folder: Path
    index: SearchIndex

    def __post_init__(self) -> None:
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

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.load(self.folder)

    @cached_property
    def suggestions(self) -> Suggestions:
        return Suggestions.load(self.folder)


def open_generation(data_dir: Path, name: str, digests: bool = False) -> Generation:
    """Open one generation and check it: its files match the manifest (their sizes, and with
    `digests` their SHA-256 too) and its index is this version's and can be searched
    (DamagedGeneration, UnreadableIndex or OutdatedIndex if not)."""
    folder = index_root(data_dir) / name
    check_manifest(folder, digests=digests)
    return Generation(name=name, folder=folder, index=engine.open_index(folder))


def check_opens(data_dir: Path, name: str) -> None:
    """Raise as `open_generation` does if generation `name` cannot be searched; keep nothing open."""
    open_generation(data_dir, name).index.close()


class LiveIndex:
    """The live generation of one process, reopened when the pointer moves.

    A generation is opened only if every file matches its SHA-256 (read once per process and
    generation: about a second per GB, paid by the first request after a publish). If the
    pointed-to generation cannot be opened, the one already open stays in use (or an older
    published one), and the failure is logged.
    """

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.generation: Generation | None = None  # the generation actually open
        self._pointer: str | None = None  # the pointer value it was chosen for
        self._refused: set[str] = set()  # generations that failed to open or were found damaged
        self._checked: dict[str, tuple] = {}  # each open generation's files as they were when their digests matched
        self._lock = threading.Lock()

    @property
    def pointer(self) -> str | None:
        """The generation `CURRENT` named when this process last looked."""
        return self._pointer

    def current(self) -> Generation:
        wanted = live_name(self.data_dir)
        if wanted != self._pointer or self.generation is None:
            with self._lock:
                if wanted != self._pointer or self.generation is None:
                    self._switch(wanted)
                    self._pointer = wanted
        if self.generation is None:
            if self._refused:
                raise NoGeneration("no index generation can be opened (see the log); run `catalog rebuild-index`")
            raise NoGeneration("no index generation has been published yet")
        return self.generation

    def run(self, work: Callable[[Generation], T]) -> T:
        """`work(generation)` on the live generation.

        A file changed after its generation was opened (same size, other bytes) surfaces as
        whatever error the reader meets. If `work` fails and a file changed since its digests
        were checked, and no longer matches them, the generation is dropped and `work` runs
        again on the next good one. A failure on an unchanged generation is a bug and
        propagates (without rereading the index, so it cannot be used to make us hash it).
        NoGeneration when no generation is left.
        """
        while True:
            generation = self.current()
            try:
                return work(generation)
            except Exception:
                if not self._drop_if_damaged(generation):
                    raise

    def _drop_if_damaged(self, generation: Generation) -> bool:
        files = _files_as_they_are(generation.folder)
        if files == self._checked.get(generation.name):
            return False
        try:
            check_manifest(generation.folder, digests=True)
        except DamagedGeneration as exc:
            log.error("index generation %s is damaged (%s); serving an older one", generation.name, exc)
            with self._lock:
                self._refused.add(generation.name)
                if self.generation is generation:
                    self.generation = None
            return True
        self._checked[generation.name] = files  # touched, not changed
        return False

    def _switch(self, wanted: str | None) -> None:
        """Open `wanted`, else the newest published generation that opens. A generation that
        failed is not tried again (not on every request) until the pointer moves."""
        if wanted != self._pointer:
            self._refused.clear()
        candidates = [wanted] if wanted else []
        candidates += [n for n in reversed(history(self.data_dir)) if n not in candidates]
        for name in candidates:
            if name in self._refused:
                continue
            if self.generation is not None and name == self.generation.name:
                return
            try:
                files = _files_as_they_are(index_root(self.data_dir) / name)
                self.generation = open_generation(self.data_dir, name, digests=True)
            except Exception as exc:  # a damaged generation must not take the site down
                log.error("index generation %s cannot be opened (%s); trying an older one", name, exc)
                self._refused.add(name)
                continue
            self._checked = {name: files}
            if name != wanted:
                log.warning("serving generation %s instead of %s", name, wanted or "the one CURRENT should name")
            return


def _files_as_they_are(folder: Path) -> tuple:
    """Name, size, modification time and inode of each file: any rewrite, replacement or
    removal changes it, for the price of a few stat calls."""
    try:
        stats = [(path.name, path.stat()) for path in folder.iterdir()]
    except OSError:  # the folder or a file went away meanwhile
        return ()
    return tuple(sorted((name, st.st_size, st.st_mtime_ns, st.st_ino) for name, st in stats))
