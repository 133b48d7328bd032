"""Word positions read straight from the postings, and phrases checked against them.

Whoosh checks a phrase by building a span object for every position of every word, which
is most of a query's time when the field is a whole transcript. Here a phrase holds where
each next word sits at the next position: a few set lookups per occurrence of the first word.
"""

from __future__ import annotations

from whoosh.reading import IndexReader, TermNotFound

NEAR_SLOP = 3  # at most this many positions from one query word to the next counts as close
NEAR_BOOST = 2.0  # how much closeness adds, relative to the two words' own scores


def positions(reader: IndexReader, field: str, word: str, docnums: list[int]) -> dict[int, list[int]]:
    """The positions of `word` in `field` of those of the (ascending) documents holding it."""
    try:
        matcher = reader.postings(field, word)
    except TermNotFound:
        return {}
    found = {}
    if len(docnums) * 8 < reader.doc_frequency(field, word):  # a few documents: skip to each
        for docnum in docnums:
            if not matcher.is_active():
                break
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                found[docnum] = matcher.value_as("positions")
        return found
    wanted = set(docnums)
    while matcher.is_active():  # most of them: read the postings straight through
        docnum = matcher.id()
        if docnum in wanted:
            found[docnum] = matcher.value_as("positions")
        matcher.next()
    return found


def phrase_starts(phrase: tuple[str, ...], at: dict[str, list[int]]) -> list[int]:
    """Where the phrase begins, given the positions of each of its words."""
    starts = set(at.get(phrase[0], ()))
    for step, word in enumerate(phrase[1:], start=1):
        starts &= {p - step for p in at.get(word, ())}
    return sorted(starts)


def near_starts(first: list[int], second: list[int]) -> list[int]:
    """Positions of `first` that `second` follows within NEAR_SLOP positions."""
    following = set(second)
    return [p for p in first if any(p + step in following for step in range(1, NEAR_SLOP + 1))]
