"""Each word's frequencies per document, kept by a generation for the searches that follow.

Whoosh decodes postings in Python, about a microsecond each, and a common word ("run") has
one in nearly every item. Searches share words: type-ahead asks again at every key ("easy r",
"easy ru", "easy run"), and most queries to a running catalog hold "run", "training" or
"mile". So the generation keeps the most recently used words' frequencies, up to
MAX_POSTINGS postings in all, and a search reads only the words it is the first to ask for.
The index never changes under a generation, so nothing kept goes stale.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from whoosh.reading import IndexReader, TermNotFound

MAX_POSTINGS = 100_000  # about 9 MB of dicts and floats


def read_frequencies(reader: IndexReader, field: str, term: str) -> dict[int, float]:
    """How often `term` occurs in `field` of each document holding it, from the postings."""
    found: dict[int, float] = {}
    try:
        postings = reader.postings(field, term)
    except TermNotFound:
        return found
    while postings.is_active():
        found[postings.id()] = postings.weight()
        postings.next()
    return found


class KeptFrequencies:
    """The frequencies of the words searched most recently; safe to share between threads."""

    def __init__(self, max_postings: int = MAX_POSTINGS):
        self.max_postings = max_postings
        self._kept: OrderedDict[tuple[str, str], dict[int, float]] = OrderedDict()
        self._size = 0  # postings kept, plus one per word (a word no document holds costs too)
        self._lock = threading.Lock()

    def get(self, reader: IndexReader, field: str, term: str) -> dict[int, float]:
        """`read_frequencies` of the term, kept for the next search. Shared: never change it."""
        key = (field, term)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        found = read_frequencies(reader, field, term)
        with self._lock:
            if key not in self._kept and len(found) < self.max_postings:
                self._kept[key] = found
                self._size += len(found) + 1
                while self._size > self.max_postings:
                    _, dropped = self._kept.popitem(last=False)
                    self._size -= len(dropped) + 1
        return found

    @property
    def size(self) -> int:
        return self._size
