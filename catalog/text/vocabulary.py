"""Running vocabulary: turn the many ways people write or say a thing into one token.

Plain Python, no Whoosh: the analyzer calls `normalize()` at index and at query time,
so "four by four hundred", "4 x 400m" and "4×400" all become the token `4x400`.
Each output token keeps the character span of everything it replaced, for highlighting.
The number passes are in `catalog.text.numbers`; synonyms come from `synonyms.toml`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from catalog.text.numbers import Token, measures, merge, paces, spoken_numbers

SYNONYMS_FILE = Path(__file__).with_name("synonyms.toml")
_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|×")

Stemmer = Callable[[str], str]
Synonyms = dict[str, list[tuple[tuple[str, ...], str]]]  # first word -> (variant, canonical), longest first


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Pérez" and "perez" meet."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


def raw_tokens(text: str) -> list[Token]:
    if text.isascii():  # lower() keeps every offset: tokenize the folded text directly
        return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text.lower())]
    return [Token(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def unchanged(word: str) -> str:
    return word


def normalize(text: str, stem: Stemmer = unchanged) -> list[Token]:
    """Tokenize and canonicalise running vocabulary; see the module docstring.

    `stem` is applied to words (not numbers) before synonyms are matched, so the
    synonym list needs no plural forms: "PBs" and "plyometrics" match "pb" and "plyometric".
    """
    return _synonyms(_canonical(text, stem), synonym_table(stem))


def _canonical(text: str, stem: Stemmer) -> list[Token]:
    tokens = paces(measures(spoken_numbers(raw_tokens(text))))
    if stem is unchanged:
        return tokens
    # a word, possessives and contractions included ("runner's" is stemmed to "runner"); not a number
    return [Token(stem(t.text), t.start, t.end, t.spelled) if t.text[0].isalpha() else t for t in tokens]


@lru_cache(maxsize=4)
def synonym_table(stem: Stemmer = unchanged) -> Synonyms:
    """Variant token sequences by first word, from synonyms.toml."""
    return load_synonyms(SYNONYMS_FILE, stem)


def load_synonyms(path: Path, stem: Stemmer = unchanged) -> Synonyms:
    """Read a synonyms file; each variant is tokenized like the text it will meet."""
    with open(path, "rb") as handle:
        groups = tomllib.load(handle).get("synonyms", {})
    table: Synonyms = {}
    for canonical, variants in groups.items():
        for variant in dict.fromkeys([canonical, *variants]):
            words = tuple(t.text for t in _canonical(variant, stem))
            if words:
                table.setdefault(words[0], []).append((words, canonical))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


def _synonyms(tokens: list[Token], table: Synonyms) -> list[Token]:
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for words, canonical in table.get(tokens[i].text, ()):
            size = len(words)
            if tuple(t.text for t in tokens[i : i + size]) == words:
                out.append(merge(tokens[i : i + size], canonical))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
