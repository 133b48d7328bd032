"""Item ranking: Whoosh's BM25F over the item documents' postings, a word at a time.

Whoosh's matchers score one document at a time through a tree of Python objects, a few
microseconds per posting per field: most of a query's time at a thousand hours. There is
one document per item, so each word's postings are short; reading each once and summing
the same BM25F terms in plain loops gives Whoosh's own scores (`tests/test_ranking.py`
checks them against its searcher) at a fraction of the cost. Whoosh still analyses,
stores and reads the index.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from catalog.index_schema import FIELD_WEIGHTS
from catalog.positions import NEAR_BOOST, holding, near_starts, positions
from catalog.query import ParsedQuery

K1, B = 1.2, 0.75  # Whoosh's BM25F defaults
NEAR_FIELDS = ("title", "chapters", "description")  # closeness counts in the short fields only


@dataclass(frozen=True)
class ItemStats:
    """What every ranking reads per document: built once per generation, read by all threads."""

    lengths: dict[str, list[float]]  # field -> its length in each document (as Whoosh stores it)
    live: frozenset[int]  # documents not deleted
    published: list[str]  # each document's date, for newest-first

    @classmethod
    def load(cls, searcher: Searcher) -> ItemStats:
        reader = searcher.reader()
        count = reader.doc_count_all()
        published = reader.column_reader("published")
        return cls(
            lengths={
                field: [reader.doc_field_length(d, field, 1) or 1 for d in range(count)] for field in FIELD_WEIGHTS
            },
            live=frozenset(reader.all_doc_ids()),
            published=[published[d] for d in range(count)],
        )


@dataclass(frozen=True)
class Ranking:
    top: list[int]  # the best `limit` documents, best first
    matched: list[int]  # every matching document
    partial: bool  # the deadline passed: words not yet read were left out


def rank(
    searcher: Searcher,
    stats: ItemStats,
    parsed: ParsedQuery,
    words: list[str],
    allowed: set[int] | None,
    limit: int,
    newest_first: bool,
    deadline: float,
) -> Ranking:
    """Documents holding any of the words (and allowed; none holding an excluded word), best first.

    As in Meilisearch's "words" ranking rule, an item holding more of the query's words
    comes first, so a visitor whose every word matches nowhere together still gets the items
    that hold most of them; among items holding as many, BM25F over all fields plus a bonus
    for neighbouring query words close together in a short field.
    """
    live = stats.live if allowed is None else allowed & stats.live
    scores: dict[int, float] = {}
    held: dict[int, int] = {}  # how many of the words each document holds
    per_field: dict[tuple[str, str], dict[int, float]] = {}
    partial = False
    for position, word in enumerate(words):
        if position and time.monotonic() > deadline:  # the first word always counts
            partial = True
            break
        of_word: dict[int, float] = {}
        for field, weight in FIELD_WEIGHTS.items():
            found = per_field[field, word] = _field_scores(searcher, stats, field, word, weight)
            for docnum, score in found.items():
                of_word[docnum] = of_word.get(docnum, 0.0) + score
        for docnum in of_word.keys() & live:
            scores[docnum] = scores.get(docnum, 0.0) + of_word[docnum]
            held[docnum] = held.get(docnum, 0) + 1
    candidates = set(scores) if words else set(live)
    for word in parsed.excluded:
        for field in FIELD_WEIGHTS:
            candidates -= holding(searcher.reader(), field, word)
    if newest_first:
        top = heapq.nlargest(limit, candidates, key=lambda d: (stats.published[d], -d))
    else:
        _add_closeness(searcher, parsed, per_field, candidates, scores)
        top = heapq.nlargest(limit, candidates, key=lambda d: (held.get(d, 0), scores.get(d, 0.0), -d))
    return Ranking(top=top, matched=sorted(candidates), partial=partial)


def _field_scores(searcher: Searcher, stats: ItemStats, field: str, word: str, weight: float) -> dict[int, float]:
    """BM25F of `word` in `field` for each document holding it, times the field's weight."""
    try:
        postings = searcher.reader().postings(field, word)
    except TermNotFound:
        return {}
    lengths = stats.lengths[field]
    scale = weight * searcher.idf(field, word) * (K1 + 1)
    fixed, per_length = K1 * (1 - B), K1 * B / (searcher.avg_field_length(field) or 1)
    scores = {}
    while postings.is_active():
        docnum, tf = postings.id(), postings.weight()
        scores[docnum] = scale * tf / (tf + fixed + per_length * lengths[docnum])
        postings.next()
    return scores


def _add_closeness(
    searcher: Searcher,
    parsed: ParsedQuery,
    per_field: dict[tuple[str, str], dict[int, float]],
    candidates: set[int],
    scores: dict[int, float],
) -> None:
    """ "strength work" said together beats "strength" and "work" a minute apart."""
    reader = searcher.reader()
    for first, second in zip(parsed.terms, parsed.terms[1:], strict=False):
        for field in NEAR_FIELDS:
            held_first, held_second = per_field.get((field, first), {}), per_field.get((field, second), {})
            both = sorted(candidates & held_first.keys() & held_second.keys())
            if not both:
                continue
            at_first, at_second = positions(reader, field, first, both), positions(reader, field, second, both)
            for docnum in both:
                close = len(near_starts(at_first[docnum], at_second[docnum]))
                if close:
                    bonus = held_first[docnum] + held_second[docnum]
                    scores[docnum] += NEAR_BOOST * bonus * close / (close + K1)
