"""Passages: a second look at the best items of the first pass, at the grain the catalog answers in.

BM25F and the words rule read an item as one bag of words, so an hour-long transcript that
says "rest", "days", "training" and "plan" an hour apart outranks the episode whose
description says "include rest in your training plan". The first POOL items of the first
pass are re-ordered by their score times the share of the query's weight held by their best
passage: one unit of the transcript (a 15–40 s segment, a paragraph of an article), or the
title, chapters, tags, people or description, each read as a passage of its own. Meilisearch
ranks by proximity after its words rule for the same reason. Measured on the judged
real-material queries (`python -m bench.relevance`).

The pool is the same for every page, so page 2 goes on where page 1 stopped. A passage share
is at most 1, so an item of the pool whose first score is below the page's weakest final score
cannot enter the page: only the others are read (the page's own items are read anyway, for
their moments).
"""

from __future__ import annotations

from bisect import bisect_right

from catalog.engine.whoosh.reads import SearchReads
from catalog.search.query import ParsedQuery

POOL = 20  # items of the first pass looked at again: twice the default page
SHORT_FIELDS = ("title", "chapters", "tags_text", "people_text", "description")


def rerank(
    read: SearchReads,
    ranked: list[int],
    scores: dict[int, float],
    weights: dict[str, float],
    held_in: dict[tuple[str, str], dict[int, float]],
    parsed: ParsedQuery,
    limit: int,
) -> list[int]:
    """The first `limit` of `ranked` (best first by `scores`) once the first POOL are weighed
    by their best passage's share, exactly as if the whole pool had been read."""
    pool = ranked[:POOL]
    final = {}
    for batch in (pool[:limit], pool[limit:]):
        if final:  # the rest of the pool, where it could still enter the page
            weakest = sorted(final.values(), reverse=True)[limit - 1] if len(final) >= limit else 0.0
            batch = [docnum for docnum in batch if scores.get(docnum, 0.0) >= weakest]
        shares = best_shares(read, batch, weights, held_in, parsed)
        final.update({docnum: scores.get(docnum, 0.0) * shares[docnum] for docnum in batch})
    return sorted(final, key=lambda docnum: (-final[docnum], docnum))[:limit] + ranked[POOL:limit]


def best_shares(
    read: SearchReads,
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
    at = {word: read.positions("transcript", parsed.alternatives(word), docnums) for word in weights}
    shares = {}
    for docnum in docnums:
        passages = [{word for word in weights if docnum in held_in.get((field, word), {})} for field in SHORT_FIELDS]
        ends = read.stored(docnum)["units"]["transcript"]["ends"]
        if ends:
            units: dict[int, set[str]] = {}
            for word in weights:
                for position in at[word].get(docnum, ()):
                    units.setdefault(min(bisect_right(ends, position), len(ends) - 1), set()).add(word)
            passages += units.values()
        shares[docnum] = max(sum(weights[word] for word in held) for held in passages) / wanted
    return shares
