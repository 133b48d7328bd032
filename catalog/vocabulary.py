"""Running vocabulary: turn the many ways people write or say a thing into one token.

Plain Python, no Whoosh: the analyzer calls `normalize()` at index and at query time,
so "four by four hundred", "4 x 400m" and "4×400" all become the token `4x400`.
Each output token keeps the character span of everything it replaced, for highlighting.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.toml")

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|×")

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
KILOMETRES = {"k", "km", "kms", "kay", "kilometer", "kilometers", "kilometre", "kilometres"}
METRES = {"m", "meter", "meters", "metre", "metres"}
RELAY_SEPARATORS = {"x", "×", "by"}
# "4 by 4" is relay talk for 4x400: a single-digit leg after "by" counts hundreds.
RELAY_SLANG_LEGS = {1: 100, 2: 200, 4: 400, 8: 800}


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # character offsets into the original text
    end: int
    spelled: bool = False  # a number that was written out in words


def fold(text: str) -> str:
    """Lower-case and strip accents, so "Pérez" and "perez" meet."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("’", "'")


def raw_tokens(text: str) -> list[Token]:
    return [Token(fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


Stemmer = Callable[[str], str]


def unchanged(word: str) -> str:
    return word


def normalize(text: str, stem: Stemmer = unchanged) -> list[Token]:
    """Tokenize and canonicalise running vocabulary; see the module docstring.

    `stem` is applied to words (not numbers) before synonyms are matched, so the
    synonym list needs no plural forms: "PBs" and "plyometrics" match "pb" and "plyometric".
    """
    tokens = _stemmed(_paces(_measures(_spoken_numbers(raw_tokens(text)))), stem)
    return _synonyms(tokens, synonym_table(stem))


def _stemmed(tokens: list[Token], stem: Stemmer) -> list[Token]:
    return [replace(t, text=stem(t.text)) if t.text.isalpha() else t for t in tokens]


def _number(token: Token) -> float | None:
    text = token.text.replace(",", "")
    try:
        return float(text) if ":" not in text else None
    except ValueError:
        return None


def _as_text(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _merge(tokens: list[Token], text: str, spelled: bool = False) -> Token:
    return Token(text, tokens[0].start, tokens[-1].end, spelled)


def _spoken_numbers(tokens: list[Token]) -> list[Token]:
    """"fifteen hundred" -> 1500, "four fifty nine" -> 4:59, "1,500" -> 1500."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        value, used = _read_spelled(tokens, i)
        if used:
            out.append(_merge(tokens[i : i + used], _as_text(value), spelled=True))
            i += used
            continue
        number = _number(tokens[i])
        if number is not None and "," in tokens[i].text:
            out.append(Token(_as_text(number), tokens[i].start, tokens[i].end))
        else:
            out.append(tokens[i])
        i += 1
    return _spoken_times(out)


def _read_spelled(tokens: list[Token], i: int) -> tuple[float, int]:
    """Read one spelled-out number starting at tokens[i]; (value, tokens used)."""
    total = current = used = 0
    last = None  # the class of the previous word, to stop at "four five"
    while i + used < len(tokens):
        word = tokens[i + used].text
        if word in UNITS and last in (None, "tens", "hundred"):
            if last == "tens" and UNITS[word] >= 10:
                break
            current += UNITS[word]
            last = "unit"
        elif word in TENS and last in (None, "hundred"):
            current += TENS[word]
            last = "tens"
        elif word == "hundred" and last in ("unit", "tens") and current < 100:
            current *= 100
            last = "hundred"
        elif word == "thousand" and last is not None:
            total += current * 1000
            current, last = 0, "hundred"
        else:
            break
        used += 1
    return total + current, used


def _spoken_times(tokens: list[Token]) -> list[Token]:
    """Two spelled numbers such as "four fifty nine" are a time: 4:59."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        first, second = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            second is not None
            and first.spelled
            and second.spelled
            and first.text.isdigit()
            and second.text.isdigit()
            and 1 <= int(first.text) <= 59
            and 10 <= int(second.text) <= 59
        ):
            out.append(_merge([first, second], f"{first.text}:{second.text}", spelled=True))
            i += 2
        else:
            out.append(first)
            i += 1
    return out


def _measures(tokens: list[Token]) -> list[Token]:
    """Relays and repeats (4x400) and distances in metres (5K -> 5000, 1500 m -> 1500)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        merged, used = _relay(tokens, i) or _distance(tokens, i) or (tokens[i], 1)
        out.append(merged)
        i += used
    return out


def _relay(tokens: list[Token], i: int) -> tuple[Token, int] | None:
    if i + 2 >= len(tokens) or tokens[i + 1].text not in RELAY_SEPARATORS:
        return None
    legs, leg = _number(tokens[i]), _number(tokens[i + 2])
    if legs is None or leg is None or legs != int(legs) or not 1 <= legs <= 30 or leg <= 0:
        return None
    if leg in RELAY_SLANG_LEGS and legs == 4:
        leg = RELAY_SLANG_LEGS[int(leg)]
    used = 3
    if i + 3 < len(tokens) and tokens[i + 3].text in METRES:
        used = 4
    elif i + 3 < len(tokens) and tokens[i + 3].text in KILOMETRES:
        leg, used = leg * 1000, 4
    return _merge(tokens[i : i + used], f"{int(legs)}x{_as_text(leg)}"), used


def _distance(tokens: list[Token], i: int) -> tuple[Token, int] | None:
    if i + 1 >= len(tokens):
        return None
    value, unit = _number(tokens[i]), tokens[i + 1].text
    if value is None:
        return None
    if unit in KILOMETRES:
        return _merge(tokens[i : i + 2], _as_text(value * 1000)), 2
    if unit in METRES:
        return _merge(tokens[i : i + 2], _as_text(value)), 2
    return None


MINUTES = {"minute", "minutes", "min", "mins"}
PACE_WORDS = {"mile", "miles", "pace", "per", "k", "km", "kilometer", "kilometre"}


def _paces(tokens: list[Token]) -> list[Token]:
    """Whole minutes as times: "sub 5" and "five minute mile" both say 5:00."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token, after = tokens[i], tokens[i + 1] if i + 1 < len(tokens) else None
        minutes = token.text if token.text.isdigit() and 0 < int(token.text) < 100 else None
        if minutes and out and out[-1].text == "sub":
            out.append(replace(token, text=f"{minutes}:00"))
        elif minutes and after and after.text in MINUTES and i + 2 < len(tokens) and tokens[i + 2].text in PACE_WORDS:
            out.append(_merge([token, after], f"{minutes}:00"))
            i += 1
        else:
            out.append(token)
        i += 1
    return out


@lru_cache(maxsize=4)
def synonym_table(stem: Stemmer = unchanged) -> dict[tuple[str, ...], str]:
    """Variant token sequences -> canonical token, from synonyms.toml."""
    return load_synonyms(SYNONYMS_FILE, stem)


def load_synonyms(path: Path, stem: Stemmer = unchanged) -> dict[tuple[str, ...], str]:
    """Read a synonyms file; each variant is tokenized like the text it will meet."""
    with open(path, "rb") as handle:
        groups = tomllib.load(handle).get("synonyms", {})
    table: dict[tuple[str, ...], str] = {}
    for canonical, variants in groups.items():
        for variant in [canonical, *variants]:
            tokens = _stemmed(_paces(_measures(_spoken_numbers(raw_tokens(variant)))), stem)
            if tokens:
                table[tuple(t.text for t in tokens)] = canonical
    return table


def _synonyms(tokens: list[Token], table: dict[tuple[str, ...], str]) -> list[Token]:
    longest = max((len(k) for k in table), default=0)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            window = tuple(t.text for t in tokens[i : i + size])
            if window in table:
                out.append(_merge(tokens[i : i + size], table[window]))
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out
