"""Passages: a second look at the best items of the first pass, at the grain the catalog answers in.

BM25F and the words rule read an item as one bag of words, so an hour-long transcript that
says "rest", "days", "training" and "plan" an hour apart outranks the episode whose
description says "include rest in your training plan". The first POOL items of the first
pass are re-ordered by their score times the share of the query's weight held by their best
passage: one unit of the transcript (a 15–40 s segment, a paragraph of an article), or the
title, chapters, tags, people or description, each read as a passage of its own. Meilisearch
ranks by proximity after its words rule for the same reason. Measured on the judged
real-material queries (`python -m bench.relevance`).

The pool is the same for every page, so page 2 goes on where page 1 stopped.
"""

from __future__ import annotations

from bisect import bisect_right

from whoosh.searching import Searcher

from catalog.engine.whoosh.positions import PositionReader
from catalog.search.query import ParsedQuery

POOL = 20  # items of the first pass looked at again: twice the default page
SHORT_FIELDS = ("title", "chapters", "tags_text", "people_text", "description")


def best_shares(
    searcher: Searcher,
    read: PositionReader,
    docnums: list[int],
    weights: dict[str, float],
    held_in: dict[tuple[str, str], dict[int, float]],
    parsed: ParsedQuery,
) -> dict[int, float]:
    """For each document, the largest share of the words' weight that one passage holds.

    `weights` is each query word's weight (its idf over the items); `held_in[field, word]`
    holds the documents whose `field` holds the word, as the first pass read them.
    """
    wanted = sum(weights.values())
    if not wanted:
        return dict.fromkeys(docnums, 1.0)
    at = {word: read.of_any("transcript", parsed.alternatives(word), docnums) for word in weights}
    shares = {}
    for docnum in docnums:
        passages = [{word for word in weights if docnum in held_in.get((field, word), {})} for field in SHORT_FIELDS]
        ends = searcher.stored_fields(docnum)["units"]["transcript"]["ends"]
        if ends:
            units: dict[int, set[str]] = {}
            for word in weights:
                for position in at[word].get(docnum, ()):
                    units.setdefault(min(bisect_right(ends, position), len(ends) - 1), set()).add(word)
            passages += units.values()
        shares[docnum] = max(sum(weights[word] for word in held) for held in passages) / wanted
    return shares
