"""What one search reads from the index, each thing at most once.

The second pass over the first items (catalog.engine.whoosh.passages) and the moments of the
page's items ask for the same words' positions and the same stored unit maps of the same
documents; a long transcript's unit map takes a while to unpickle. Words' frequencies are
kept longer, by the generation, for the searches after this one (catalog.engine.whoosh.kept).
"""

from __future__ import annotations

from whoosh.searching import Searcher

from catalog.engine.whoosh.kept import KeptFrequencies
from catalog.engine.whoosh.positions import phrase_starts, positions


class SearchReads:
    def __init__(self, searcher: Searcher, kept: KeptFrequencies):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.kept = kept
        self._positions: dict[tuple[str, tuple[str, ...]], tuple[set[int], dict[int, list[int]]]] = {}
        self._stored: dict[int, dict] = {}

    def frequencies(self, field: str, terms: tuple[str, ...]) -> dict[int, float]:
        """How often the terms (a word, or a typed prefix's completions) occur in `field` of
        each document holding one. Shared with other searches: never change it."""
        if len(terms) == 1:
            return self.kept.get(self.reader, field, terms[0])
        found: dict[int, float] = {}
        for term in terms:
            for docnum, frequency in self.kept.get(self.reader, field, term).items():
                found[docnum] = found.get(docnum, 0.0) + frequency
        return found

    def positions(self, field: str, terms: tuple[str, ...], docnums: list[int]) -> dict[int, list[int]]:
        """Where any of the terms (a word, or a typed prefix's completions) sits in each of
        the documents that holds one."""
        asked, found = self._positions.setdefault((field, terms), (set(), {}))
        missing = sorted(set(docnums) - asked)
        if missing:
            asked.update(missing)
            for term in terms:
                for docnum, at in positions(self.reader, field, term, missing).items():
                    found[docnum] = sorted([*found.get(docnum, []), *at]) if len(terms) > 1 else at
        return {docnum: found[docnum] for docnum in docnums if docnum in found}

    def stored(self, docnum: int) -> dict:
        """The document's stored fields: its item id and unit map."""
        if docnum not in self._stored:
            self._stored[docnum] = self.searcher.stored_fields(docnum)
        return self._stored[docnum]

    def docs_with_phrase(self, field: str, phrase: tuple[str, ...]) -> set[int]:
        """The documents whose `field` holds the phrase (its words' positions stay read, for
        the moments of the page)."""
        words = set(phrase)
        ordered = sorted(set.intersection(*(set(self.frequencies(field, (word,))) for word in words)))
        if len(phrase) == 1:  # a quoted word: holding it is holding the phrase
            return set(ordered)
        at = {word: self.positions(field, (word,), ordered) for word in words}
        return {docnum for docnum in ordered if phrase_starts(phrase, {w: at[w].get(docnum, []) for w in phrase})}
