"""Search one index generation: parsed query in, item ids, moments, facets and total out.

This is the only module of the read side that builds Whoosh queries; everything it
returns is plain data, so the views never touch Whoosh objects.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from whoosh import collectors, sorting
from whoosh import query as wq
from whoosh.searching import Searcher, TimeLimit

from catalog import moments
from catalog.facets import FacetTable
from catalog.index_schema import FIELD_WEIGHTS
from catalog.moments import NEAR_BOOST, NEAR_SLOP, Moment
from catalog.query import ParsedQuery

TIME_BUDGET = 2.0  # seconds for one item search
MAX_FACET_VALUES = 40
NEAR_FIELDS = ("title", "chapters", "description")


@dataclass(frozen=True)
class EngineResult:
    total: int
    item_ids: list[str]
    moments: dict[str, list[Moment]] = field(default_factory=dict)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    partial: bool = False  # the time budget ran out: ranking saw only part of the matches


def search(
    searcher: Searcher,
    parsed: ParsedQuery,
    filters: dict[str, str],
    page: int = 1,
    per_page: int = 10,
    newest_first: bool = False,
    budget: float = TIME_BUDGET,
    facet_table: FacetTable | None = None,
) -> EngineResult:
    """Rank items, count facets over every match, then find the moments of this page's items.

    Ranking is an exact top-k over the item documents. It stops after `budget` seconds; what
    was found by then is returned, marked partial, so one pathological query cannot hold a
    worker. Totals and facets come from the same pass: the collector sees every match.
    """
    query, allowed = _item_query(parsed), _filter_query(filters)
    # Exact top-k: whoosh3's matcher replacement (TopCollector's default replace=10) drops
    # better hits for these And/Or/AndMaybe queries, so page 1 missed the best items and pages
    # overlapped; block-quality skipping would hide matches from the totals. There is one
    # document per item, so visiting every match is cheap.
    if newest_first:
        collector: collectors.Collector = collectors.SortingCollector(
            sorting.FieldFacet("published", reverse=True), limit=page * per_page
        )
    else:
        collector = collectors.TopCollector(page * per_page, usequality=False, replace=0)
    if allowed is not None:
        collector = collectors.FilterCollector(collector, allow=allowed)
    timed = DeadlineCollector(collector, deadline=time.monotonic() + budget)
    partial = False
    try:
        searcher.search_with_collector(query, timed)
    except TimeLimit:
        partial = True
    hits = timed.results()[(page - 1) * per_page : page * per_page]
    table = facet_table or FacetTable(searcher.reader())
    found = {} if parsed.is_empty else _moments(searcher, parsed, hits, filters.get("speaker"))
    return EngineResult(
        total=len(timed.matched),
        item_ids=[hit["item_id"] for hit in hits],
        moments=found,
        facets=table.count(timed.matched, MAX_FACET_VALUES),
        partial=partial,
    )


class DeadlineCollector(collectors.WrappingCollector):
    """Stops collecting once the clock passes `deadline` (raising TimeLimit), and keeps the
    document number of every match it passes on (after filters), for totals and facets.

    Whoosh's TimeLimitCollector flips a flag from a timer thread; checking the clock per
    document costs as little, needs no thread per search, and is exact.
    """

    def __init__(self, child: collectors.Collector, deadline: float):
        super().__init__(child)
        self.deadline = deadline
        self.matched: list[int] = []

    def collect_matches(self) -> None:
        matched, offset = self.matched, self.offset
        for docnum in self.child.matches():
            if time.monotonic() > self.deadline:
                raise TimeLimit
            matched.append(offset + docnum)
            self.child.collect(docnum)


def _on_fields(term: str, fields: dict[str, float]) -> wq.Query:
    return wq.Or([wq.Term(name, term, boost=weight) for name, weight in fields.items()])


def _phrase_on_fields(words: tuple[str, ...], fields: dict[str, float]) -> wq.Query:
    if len(words) == 1:
        return _on_fields(words[0], fields)
    return wq.Or([wq.Phrase(name, list(words), boost=weight) for name, weight in fields.items()])


def _near(terms: tuple[str, ...], fields: dict[str, float]) -> wq.Query | None:
    """Rewards neighbouring query words that stand close together, in order, in one field:
    "strength work" said together beats "strength" and "work" a minute apart."""
    pairs = list(zip(terms, terms[1:], strict=False))
    if not pairs:
        return None
    return wq.Or(
        [
            wq.Phrase(name, [first, second], slop=NEAR_SLOP, boost=weight * NEAR_BOOST)
            for first, second in pairs
            for name, weight in fields.items()
        ]
    )


def _item_query(parsed: ParsedQuery) -> wq.Query:
    parts = [_on_fields(term, FIELD_WEIGHTS) for term in parsed.terms]
    parts += [_phrase_on_fields(phrase, FIELD_WEIGHTS) for phrase in parsed.phrases]
    query: wq.Query = wq.And(parts) if parts else wq.Every()
    # Closeness counts in the short fields only: positions in a whole transcript are costly to
    # match, and the moments (15-40 s segments) reward closeness within the transcript anyway.
    near = _near(parsed.terms, {name: FIELD_WEIGHTS[name] for name in NEAR_FIELDS})
    if near is not None:
        query = wq.AndMaybe(query, near)
    if parsed.excluded:
        query = wq.AndNot(query, wq.Or([_on_fields(t, FIELD_WEIGHTS) for t in parsed.excluded]))
    return query


def _filter_query(filters: dict[str, str]) -> wq.Query | None:
    terms = [wq.Term(name, value) for name, value in sorted(filters.items()) if value]
    return wq.And(terms) if terms else None


def _moments(searcher: Searcher, parsed: ParsedQuery, hits: list, speaker: str | None) -> dict[str, list[Moment]]:
    """The best segments and chapters of this page's items, read from their own documents."""
    page = [(hit.docnum, hit["item_id"], hit["units"]) for hit in hits]
    return moments.of_items(searcher.reader(), page, parsed, speaker)


def related(searcher: Searcher, item_id: str, own_kind: str, tags: list[str], limit: int = 4) -> list[str]:
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
