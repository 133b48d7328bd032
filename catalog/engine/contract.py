"""What the catalog asks of a search engine, and what it gets back: plain data only.

A generation folder holds one engine's index of the catalog's items. The indexer builds it
from `Item`s; the read side opens it and asks it questions with a `ParsedQuery`. Nothing
outside `catalog.engine` sees an engine's own objects, so a second engine (FTS5 or tantivy,
for a larger catalog) means one new subpackage implementing `SearchIndex`, `build`,
`extend`, chosen in `catalog.engine`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from catalog.search.query import ParsedQuery
from catalog.storage.models import Item

FACETS = ("kind", "tag", "person", "year", "duration", "captions")  # counted over every match
FILTERS = (*FACETS, "speaker")  # what `/api/search` filters by
TIME_BUDGET = 2.0  # seconds one search may take before it answers with what it has, marked partial


class UnreadableIndex(Exception):
    """A folder holds no index this engine can open."""


class OutdatedIndex(UnreadableIndex):
    """An index built by an older version of the analysis or schema: only a rebuild replaces it."""


@dataclass(frozen=True)
class Moment:
    """A segment (or chapter) of an item that answers the query."""

    item_id: str
    seq: int
    start: float | None
    is_chapter: bool
    score: float = 0.0  # how well the unit answers the query; an item's moments come best first


@dataclass(frozen=True)
class EngineResult:
    total: int
    item_ids: list[str]
    moments: dict[str, list[Moment]] = field(default_factory=dict)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    partial: bool = False  # the time budget ran out: some query words or phrases were left out
    term_weights: dict[str, float] = field(default_factory=dict)  # query word -> weight inside a moment


class SearchIndex(Protocol):
    """One opened index. Safe to share between threads; `close` when done with it."""

    def search(
        self,
        parsed: ParsedQuery,
        filters: dict[str, str],
        page: int = 1,
        per_page: int = 10,
        newest_first: bool = False,
        budget: float = TIME_BUDGET,
    ) -> EngineResult:
        """Items ranked for the query (within the filters, one page of them), each with its
        best moments, the total, and facet counts over every match."""
        ...

    def terms_beginning(self, prefix: str, limit: int) -> list[str]:
        """Index terms beginning with `prefix`, those most items hold first."""
        ...

    def holds(self, term: str) -> bool:
        """Whether any item holds the index term in a searched field."""
        ...

    def related(self, item_id: str, own_kind: str, tags: list[str], limit: int = 4) -> list[str]:
        """Ids of items sharing the most tags with this one, other kinds first."""
        ...

    def doc_count(self) -> int:
        """How many items the index holds."""
        ...

    def close(self) -> None: ...


class Engine(Protocol):
    """How an engine writes and opens the index in a generation folder."""

    def build(self, folder: Path, items: Iterable[Item]) -> None:
        """Write a new index of `items` into `folder`."""
        ...

    def extend(self, base: Path, folder: Path, changed: set[str], items: Iterable[Item]) -> None:
        """Write into `folder` the index in `base` with the `changed` ids removed and `items`
        (the changed ones still live) added; `base` must stay intact."""
        ...

    def open(self, folder: Path) -> SearchIndex:
        """The index in `folder`; UnreadableIndex (or OutdatedIndex) if it cannot be searched."""
        ...
