"""What a visitor typed, read forgivingly: words, "quoted phrases", -excluded words and
`speaker:name`.

There is no syntax to get wrong: a lone quote, `AND OR NOT`, `title:`, `*`, emoji or
control characters are just text. The unquoted words are analyzed together, so
"4 x 400" still meets its index token `4x400`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.analysis import FUNCTION_TERMS, analyze
from catalog.vocabulary import fold

MAX_QUERY_CHARS = 500
_PHRASE = re.compile(r'"([^"]*)"')
_SPEAKER = re.compile(r'(?:^|\s)speaker:(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_EXCLUDED = re.compile(r"(?:^|\s)-(\w[^\s]*)")


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what was typed, trimmed and capped
    words: str  # the text without its `speaker:` clause: what spelling may correct
    terms: tuple[str, ...]  # each must appear somewhere in the item
    phrases: tuple[tuple[str, ...], ...]  # each must appear as written
    excluded: tuple[str, ...]  # none may appear
    speaker: str | None = None  # from `speaker:name` or `speaker:"full name"`

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.phrases)

    @property
    def highlight_terms(self) -> frozenset[str]:
        return frozenset(self.terms) | {word for phrase in self.phrases for word in phrase}


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
