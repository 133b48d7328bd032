"""What a visitor typed, read forgivingly: words, "quoted phrases", -excluded words and
`speaker:name`.

There is no syntax to get wrong: a lone quote, `AND OR NOT`, `title:`, `*`, emoji or
control characters are just text. The unquoted words are analyzed together, so
"4 x 400" still meets its index token `4x400`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.text.analysis import FUNCTION_TERMS, analyze
from catalog.text.vocabulary import fold

MAX_QUERY_CHARS = 500
_PHRASE = re.compile(r'"([^"]*)"')
_SPEAKER = re.compile(r'(?:^|\s)speaker:(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_EXCLUDED = re.compile(r"(?:^|\s)-(\w[^\s]*)")
_LAST_WORD = re.compile(r"(?:^|\s)([^\W_][\w'’]*)$")  # a plain word ending the text, nothing after it
MILE = analyze("mile")[0]
PREFIX_MARK = "*"  # no index term holds it: the key under which a typed prefix's terms are ranked


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what was typed, trimmed and capped
    words: str  # the text without its `speaker:` clause: what spelling may correct
    terms: tuple[str, ...]  # each must appear somewhere in the item
    phrases: tuple[tuple[str, ...], ...]  # each must appear as written
    excluded: tuple[str, ...]  # none may appear
    speaker: str | None = None  # from `speaker:name` or `speaker:"full name"`
    typed: str | None = None  # a word being typed, matched as a prefix (see `typed_prefix`)
    prefix: tuple[str, ...] = ()  # the index terms of the catalog words `typed` begins
    # (whole number, the index's decimals of it) for "16 mile": a log's "16.14 miles" is a 16-mile run
    decimals: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefix)

    @property
    def prefix_key(self) -> str | None:
        """The word under which the typed prefix's terms are ranked together, as one query word."""
        return PREFIX_MARK + self.typed if self.prefix and self.typed else None

    @property
    def scored_terms(self) -> tuple[str, ...]:
        """The unquoted words an item is scored on: the terms, then the typed prefix's key."""
        return (*self.terms, self.prefix_key) if self.prefix_key else self.terms

    def alternatives(self, word: str) -> tuple[str, ...]:
        """The index terms a query word stands for: itself (with its decimals), or a prefix's completions."""
        if word == self.prefix_key:
            return self.prefix
        return (word, *dict(self.decimals).get(word, ()))

    @property
    def highlight_terms(self) -> frozenset[str]:
        decimals = {term for _, terms in self.decimals for term in terms}
        phrased = {word for phrase in self.phrases for word in phrase}
        return frozenset(self.terms) | set(self.prefix) | decimals | phrased

    def whole_miles(self) -> list[str]:
        """The whole numbers the query gives as miles ("16 mile long run": 16)."""
        pairs = zip(self.terms, self.terms[1:], strict=False)
        return [number for number, unit in pairs if number.isdigit() and unit == MILE]


def typed_prefix(text: str) -> str | None:
    """The word still being typed: a plain last word with nothing after it, not even a space,
    outside quotes and not `-excluded`. As in Meilisearch, it is also matched as a prefix, so
    results keep up with the keys ("stri" finds strides) instead of blinking to nothing."""
    if text.count('"') % 2:
        return None
    found = _LAST_WORD.search(text[:MAX_QUERY_CHARS])
    return found.group(1) if found else None


def parse(text: str) -> ParsedQuery:
    text = " ".join(text.split())[:MAX_QUERY_CHARS]
    speaker_match = _SPEAKER.search(text)
    speaker = None
    if speaker_match:
        quoted, bare = speaker_match.groups()
        speaker = " ".join(fold(quoted if quoted is not None else bare).split())
    searched = _SPEAKER.sub(" ", text)
    phrases = tuple(p for p in (tuple(analyze(m)) for m in _PHRASE.findall(searched)) if p)
    rest = _PHRASE.sub(" ", searched).replace('"', " ")
    excluded = tuple(t for word in _EXCLUDED.findall(rest) for t in analyze(word))
    rest = _EXCLUDED.sub(" ", rest)
    terms = analyze(rest)
    meaningful = [t for t in terms if t not in FUNCTION_TERMS]
    if meaningful or phrases:
        terms = meaningful
    return ParsedQuery(
        text=text,
        words=" ".join(searched.split()),
        terms=tuple(dict.fromkeys(terms)),
        phrases=phrases,
        excluded=tuple(dict.fromkeys(excluded)),
        speaker=speaker or None,
    )
