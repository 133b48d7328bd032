"""Facet counts without Whoosh's per-search categorizers.

Whoosh's overlapping facets (tags, people) rebuild a document-to-values map from the
postings on every search. The index does not change under a generation, so the map is
built once per generation (item documents only: a few values each) and a search just
counts over the item documents it matched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain

from whoosh.reading import IndexReader

from catalog.engine.contract import FACETS


class FacetTable:
    def __init__(self, reader: IndexReader):
        self.values: dict[str, dict[int, list[str]]] = {}
        for field in FACETS:
            per_doc: dict[int, list[str]] = {}
            for value in reader.field_terms(field):
                for docnum in reader.postings(field, value).all_ids():
                    per_doc.setdefault(docnum, []).append(value)
            self.values[field] = per_doc

    def count(self, docnums: Iterable[int], limit: int) -> dict[str, dict[str, int]]:
        """Counts per facet over the given documents, largest first, `limit` values each."""
        docnums = list(docnums)
        counters = {
            field: Counter(chain.from_iterable(per_doc.get(docnum, ()) for docnum in docnums))
            for field, per_doc in self.values.items()
        }
        return {
            field: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit])
            for field, counter in counters.items()
        }
