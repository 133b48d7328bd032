"""An opened Whoosh index: parsed query in, item ids, moments, facets and total out.

Ranking, moments and positions are its parts (see catalog.engine.whoosh.ranking and
.moments); everything it returns is the plain data of `catalog.engine.contract`.
"""

from __future__ import annotations

import heapq
import threading
import time
from functools import cached_property

from whoosh import query as wq
from whoosh.index import Index
from whoosh.searching import Searcher

from catalog.engine.contract import TIME_BUDGET, EngineResult
from catalog.engine.whoosh import moments, ranking
from catalog.engine.whoosh.facets import FacetTable
from catalog.engine.whoosh.kept import KeptFrequencies
from catalog.engine.whoosh.ranking import ItemStats
from catalog.engine.whoosh.reads import SearchReads
from catalog.engine.whoosh.schema import FIELD_WEIGHTS
from catalog.search.query import ParsedQuery
from catalog.text.analysis import FUNCTION_TERMS

MAX_FACET_VALUES = 40


class WhooshIndex:
    """One generation's Whoosh index, shared by a worker's threads.

    Each thread reuses one searcher: opening a searcher costs tens of milliseconds on a
    large index, searching with one does not. The facet table and ranking statistics are
    read once, since the index never changes under a generation, and the frequencies of the
    words searched most recently are kept for the searches after (see kept.py).
    """

    def __init__(self, index: Index):
        self._index = index
        self._local = threading.local()
        self._opened: list[Searcher] = []
        self._lock = threading.Lock()
        self._kept = KeptFrequencies()

    @property
    def searcher(self) -> Searcher:
        """This thread's searcher; the index closes it."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._index.searcher()
            with self._lock:
                self._opened.append(searcher)
        return searcher

    @cached_property
    def facet_table(self) -> FacetTable:
        return FacetTable(self.searcher.reader())

    @cached_property
    def item_stats(self) -> ItemStats:
        return ItemStats.load(self.searcher)

    def search(
        self,
        parsed: ParsedQuery,
        filters: dict[str, str],
        page: int = 1,
        per_page: int = 10,
        newest_first: bool = False,
        budget: float = TIME_BUDGET,
    ) -> EngineResult:
        return search(
            self.searcher,
            parsed,
            filters,
            page,
            per_page,
            newest_first,
            budget,
            self.facet_table,
            self.item_stats,
            self._kept,
        )

    def terms_beginning(self, prefix: str, limit: int) -> list[str]:
        return terms_beginning(self.searcher, prefix, limit)

    def holds(self, term: str) -> bool:
        # doc_frequency still counts an extended generation's deleted documents; the postings
        # (read once, kept for the search that follows) do not.
        reader = self.searcher.reader()
        return any(reader.doc_frequency(field, term) and self._kept.get(reader, field, term) for field in FIELD_WEIGHTS)

    def related(self, item_id: str, own_kind: str, tags: list[str], limit: int = 4) -> list[str]:
        return related(self.searcher, item_id, own_kind, tags, limit)

    def doc_count(self) -> int:
        return self.searcher.doc_count()

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for searcher in opened:
            searcher.close()
        self._local = threading.local()


def search(
    searcher: Searcher,
    parsed: ParsedQuery,
    filters: dict[str, str],
    page: int,
    per_page: int,
    newest_first: bool,
    budget: float,
    facet_table: FacetTable,
    stats: ItemStats,
    kept: KeptFrequencies,
) -> EngineResult:
    """Rank items, count facets over every match, then find the moments of this page's items.

    Ranking is exact over the item documents (see catalog.engine.whoosh.ranking). Past `budget` seconds it
    stops checking further phrases and reading further query words, and answers with what it
    has, marked partial, so one pathological query cannot hold a worker. Totals and facets
    count every match.
    """
    deadline = time.monotonic() + budget
    read = SearchReads(searcher, kept)
    allowed, phrases_partial = _allowed(read, parsed, filters, deadline)
    phrase_words = [word for phrase in parsed.phrases for word in phrase]
    scored = [*parsed.scored_terms, *(word for word in phrase_words if word not in FUNCTION_TERMS)]
    ranked = ranking.rank(
        searcher,
        read,
        stats,
        parsed,
        words=list(dict.fromkeys(scored or phrase_words)),  # "to the": a phrase of stop words scores by them
        allowed=allowed,
        limit=page * per_page,
        newest_first=newest_first,
        deadline=deadline,
    )
    page_docs = ranked.top[(page - 1) * per_page :]
    stored = [read.stored(docnum) for docnum in page_docs]
    found, weights = {}, {}
    if not parsed.is_empty:
        units = [(docnum, fields["item_id"], fields["units"]) for docnum, fields in zip(page_docs, stored, strict=True)]
        found = moments.of_items(read, units, parsed, filters.get("speaker"), ranked.held_in)
        weights = moments.term_weights(searcher.reader(), parsed)
    return EngineResult(
        total=len(ranked.matched),
        item_ids=[fields["item_id"] for fields in stored],
        moments=found,
        facets=facet_table.count(ranked.matched, MAX_FACET_VALUES),
        partial=ranked.partial or phrases_partial,
        term_weights=weights,
    )


def _allowed(
    read: SearchReads, parsed: ParsedQuery, filters: dict[str, str], deadline: float
) -> tuple[set[int] | None, bool]:
    """The documents the filters allow, narrowed to those holding every quoted phrase in
    some field (None when anything goes), and whether the deadline cut the phrases short."""
    terms = [wq.Term(name, value) for name, value in sorted(filters.items()) if value]
    allowed = set(read.searcher.docs_for_query(wq.And(terms))) if terms else None
    for number, phrase in enumerate(parsed.phrases):
        if number and time.monotonic() > deadline:  # the first phrase always counts
            return allowed, True
        held = set().union(*(read.docs_with_phrase(name, phrase) for name in FIELD_WEIGHTS))
        allowed = held if allowed is None else allowed & held
    return allowed, False


def terms_beginning(searcher: Searcher, prefix: str, limit: int) -> list[str]:
    """The index terms that begin with `prefix` (a typed number such as "4x40"), those most
    items hold first."""
    reader = searcher.reader()
    found = {_text(term) for field in FIELD_WEIGHTS for term in reader.expand_prefix(field, prefix)}
    held = {term: max(reader.doc_frequency(field, term) for field in FIELD_WEIGHTS) for term in found}
    return heapq.nlargest(limit, held, key=lambda term: (held[term], term))


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def related(searcher: Searcher, item_id: str, own_kind: str, tags: list[str], limit: int) -> list[str]:
    """Items sharing the most tags with this one, other kinds first (a video's workout,
    the article on the same topic), at most two of a kind."""
    keys = [t.replace(",", " ").strip().lower() for t in tags if t.strip()]
    if not keys:
        return []
    query = wq.Or([wq.Term("tag", key) for key in keys])
    hits = searcher.search(query, limit=limit * 5, mask=wq.Term("item_id", item_id))
    kind_of = searcher.reader().column_reader("kind")
    found = sorted(((hit["item_id"], kind_of[hit.docnum]) for hit in hits), key=lambda pair: pair[1] == own_kind)
    chosen: list[str] = []
    per_kind: dict[str, int] = {}
    for found_id, kind in found:
        if per_kind.get(kind, 0) < 2 and len(chosen) < limit:
            chosen.append(found_id)
            per_kind[kind] = per_kind.get(kind, 0) + 1
    return chosen
