"""The one analyzer used at index time, at query time and for highlighting.

Whoosh's stock analyzers split "4 x 400" into `400` and "1,500m" into `500m`; ours hands
the text to `catalog.text.vocabulary`, which keeps numbers with their units, canonicalises
running vocabulary and stems words with Snowball English (Porter2). Stop words are kept in the index, so
positions are true and a quoted phrase never jumps over a removed word.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

from catalog.text.numbers import Token as Piece
from catalog.text.vocabulary import normalize

# Snowball English (Porter2), measured against Whoosh's Porter on the judged queries: Porter
# left "running" as "runn" (apart from "run" and "runs") and "metabolizing" apart from
# "metabolize" and "metabolic". PyStemmer is the Snowball project's own C build (about a
# hundred times quicker than a pure-Python stemmer, which cost first-time queries ~12%); its
# current English rules keep "intervals" and "evening" apart from "inter…" and "even".
_stemmers = threading.local()


def _stem_word(word: str) -> str:
    """A Snowball stemmer holds the word it is stemming, so one shared by the web's threads would
    mix their words up: each thread has its own."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = Stemmer.Stemmer("english")
    return stemmer.stemWord(word)


stem = lru_cache(maxsize=200_000)(_stem_word)

# Function and question words: never required of an item and never scored when a query has
# other words (they stay in the index, so a quoted phrase still holds them), so "how much
# should I run before a 10K" asks for running and 10K. Held as index terms, i.e. stemmed.
FUNCTION_WORDS = """a about am an and any are as at be been being but by can could did do does doing for from
get gets got had has have having he her him his how i if in into is it its just me much many my of on or our
she should so than that the their them then there these they this those to too uh um us versus vs was we were
what when where which who whom whose why will with would you your"""
FUNCTION_TERMS = frozenset(stem(word) for word in FUNCTION_WORDS.split())


# Raised whenever analysis gives other terms for the same text (a new stemmer, a new number
# rule): a generation built by another version is neither searched nor extended, only rebuilt.
ANALYSIS_VERSION = 3


def lines(value: str) -> Iterator[tuple[int, tuple[Piece, ...]]]:
    """(offset, tokens) line by line, through a cache: an item's transcript is its segments
    joined by newlines, and each segment was just analysed as a document of its own."""
    offset = 0
    for line in value.split("\n"):
        yield offset, _line_tokens(line)
        offset += len(line) + 1


@lru_cache(maxsize=8192)
def _line_tokens(line: str) -> tuple[Piece, ...]:
    return tuple(normalize(line, stem))


def token_count(text: str) -> int:
    """How many positions `text` takes in an indexed field (line by line, as the tokenizer reads it)."""
    return sum(len(pieces) for _, pieces in lines(text))


def analyze(text: str) -> list[str]:
    """The index terms of `text`, exactly as the indexed fields hold them."""
    return [t.text for t in normalize(text, stem)]


def term_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) for each index term of `text`: what the highlighter marks."""
    return tuple((t.text, t.start, t.end) for t in normalize(text, stem))
