"""Item ranking: BM25F over the item documents' postings, a word at a time.

Whoosh's matchers score one document at a time through a tree of Python objects, a few
microseconds per posting per field: most of a query's time at a thousand hours. There is
one document per item, so each word's postings are short; reading each once and summing
BM25F terms in plain loops costs a fraction of that. Whoosh still analyses, stores and
reads the index. Two choices differ from Whoosh's own BM25F, both measured on the judged
real-material queries (`python -m bench.relevance`, figures in the README):

- One idf per word for the whole item (the items holding it in any field), in BM25's own
  form `log(1 + (N - n + 0.5) / (n + 0.5))`: a word most items hold ("run", in a running
  catalog) weighs almost nothing. Whoosh's idf per field made such a word weigh a lot
  wherever a field seldom holds it (a title), so items titled "…Running…" won every question.
- Meilisearch's "words" rule, made soft: the score is multiplied by the square of the share
  of the query's weight (its words' idf) an item holds. Sorting strictly by how many of the
  words an item holds favoured hour-long transcripts, which hold every common word somewhere.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass

from whoosh.searching import Searcher

from catalog.engine.whoosh import passages
from catalog.engine.whoosh.positions import NEAR_BOOST, near_starts
from catalog.engine.whoosh.reads import SearchReads
from catalog.engine.whoosh.schema import FIELD_WEIGHTS
from catalog.search.query import ParsedQuery

K1, B = 1.2, 0.75  # BM25's usual constants (Whoosh's defaults too)
NEAR_FIELDS = ("title", "chapters", "description")  # closeness counts in the short fields only
COVERAGE_POWER = 2  # how hard a missing query word (by its weight) pulls an item down


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
    held_in: dict[tuple[str, str], dict[int, float]]  # (field, word) -> the documents holding it there


def rank(
    searcher: Searcher,
    read: SearchReads,
    stats: ItemStats,
    parsed: ParsedQuery,
    words: list[str],
    allowed: set[int] | None,
    limit: int,
    newest_first: bool,
    deadline: float,
) -> Ranking:
    """Documents holding any of the words (and allowed; none holding an excluded word), best
    first: BM25F plus a bonus for neighbouring query words close together in a short field,
    times the square of the share of the query's weight the document holds; then the first
    passages.POOL again, times the share their best passage holds (see passages)."""
    live = stats.live if allowed is None else allowed & stats.live
    scores: dict[int, float] = {}
    held: dict[int, float] = {}  # the weight (idf) of the words each document holds, summed
    weights: dict[str, float] = {}  # the weight (idf) of every word read
    per_field: dict[tuple[str, str], dict[int, float]] = {}
    partial = False
    for position, word in enumerate(words):
        if position and time.monotonic() > deadline:  # the first word always counts
            partial = True
            break
        frequencies = {field: read.frequencies(field, parsed.alternatives(word)) for field in FIELD_WEIGHTS}
        weights[word] = weight = item_idf(stats, set().union(*frequencies.values()))
        of_word: dict[int, float] = {}
        for field, found in frequencies.items():
            per_field[field, word] = in_field = _bm25(searcher, stats, field, found, weight)
            for docnum, score in in_field.items():
                of_word[docnum] = of_word.get(docnum, 0.0) + score
        for docnum in of_word.keys() & live:
            scores[docnum] = scores.get(docnum, 0.0) + of_word[docnum]
            held[docnum] = held.get(docnum, 0.0) + weight
    candidates = set(scores) if words else set(live)
    for word in parsed.excluded:
        for field in FIELD_WEIGHTS:
            candidates -= read.frequencies(field, (word,)).keys()
    if newest_first:
        top = heapq.nlargest(limit, candidates, key=lambda d: (stats.published[d], -d))
    else:
        _add_closeness(read, parsed, per_field, candidates, scores)
        wanted = sum(weights.values())
        if wanted:
            for docnum in candidates:
                scores[docnum] *= (held[docnum] / wanted) ** COVERAGE_POWER
        top = heapq.nlargest(max(limit, passages.POOL), candidates, key=lambda d: (scores.get(d, 0.0), -d))
        top = passages.rerank(read, top, scores, weights, per_field, parsed, limit)
    return Ranking(top=top, matched=sorted(candidates), partial=partial, held_in=per_field)


def item_idf(stats: ItemStats, holders: set[int]) -> float:
    """BM25's idf of a word that the documents `holders` hold, over every live item."""
    return idf(len(stats.live), len(holders & stats.live))


def idf(documents: int, holding: int) -> float:
    """BM25's inverse document frequency: near 0 for a word every document holds."""
    return math.log(1 + (documents - holding + 0.5) / (holding + 0.5))


def _bm25(
    searcher: Searcher, stats: ItemStats, field: str, frequencies: dict[int, float], idf: float
) -> dict[int, float]:
    """BM25F of one word in `field`, for each document holding it, times the field's weight."""
    lengths = stats.lengths[field]
    scale = FIELD_WEIGHTS[field] * idf * (K1 + 1)
    fixed, per_length = K1 * (1 - B), K1 * B / (searcher.avg_field_length(field) or 1)
    return {docnum: scale * tf / (tf + fixed + per_length * lengths[docnum]) for docnum, tf in frequencies.items()}


def _add_closeness(
    read: SearchReads,
    parsed: ParsedQuery,
    per_field: dict[tuple[str, str], dict[int, float]],
    candidates: set[int],
    scores: dict[int, float],
) -> None:
    """ "strength work" said together beats "strength" and "work" a minute apart."""
    for first, second in zip(parsed.terms, parsed.terms[1:], strict=False):
        for field in NEAR_FIELDS:
            held_first, held_second = per_field.get((field, first), {}), per_field.get((field, second), {})
            both = sorted(candidates & held_first.keys() & held_second.keys())
            if not both:
                continue
            at_first, at_second = read.positions(field, (first,), both), read.positions(field, (second,), both)
            for docnum in both:
                close = len(near_starts(at_first[docnum], at_second[docnum]))
                if close:
                    bonus = held_first[docnum] + held_second[docnum]
                    scores[docnum] += NEAR_BOOST * bonus * close / (close + K1)
