"""Quoted phrases are checked on raw positions; Whoosh's own phrase query is the yardstick."""

import pytest
from whoosh import query as wq

from catalog.engine.whoosh.kept import KeptFrequencies
from catalog.engine.whoosh.reads import SearchReads
from catalog.engine.whoosh.schema import FIELD_WEIGHTS
from catalog.generations.live import LiveIndex
from catalog.text.analysis import analyze

PHRASES = [
    "four by four hundred relay",
    "tempo run",
    "strides before a race",
    "the mile",
    "hill repeats",
    "marisol vega",
    "to the",
    "masters 800",
    "personal best",
    "warm up",
    "relay",
    "run the",
]


@pytest.fixture(scope="module")
def read(sample_data) -> SearchReads:
    """One search's reads shared by every phrase: positions read for one are reused by the next."""
    return SearchReads(LiveIndex(sample_data).current().index.searcher, KeptFrequencies())


@pytest.mark.parametrize("text", PHRASES)
def test_phrase_documents_are_whooshs(read, text):
    phrase = tuple(analyze(text))
    searcher = read.searcher
    for field in FIELD_WEIGHTS:
        whoosh = wq.Phrase(field, list(phrase)) if len(phrase) > 1 else wq.Term(field, phrase[0])
        expected = {hit.docnum for hit in searcher.search(whoosh, limit=None)}
        assert read.docs_with_phrase(field, phrase) == expected, field


def test_the_sample_holds_most_of_these_phrases(read):
    held = [text for text in PHRASES if any(read.docs_with_phrase(f, tuple(analyze(text))) for f in FIELD_WEIGHTS)]
    assert len(held) >= len(PHRASES) - 3, held
