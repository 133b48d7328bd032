"""Numbers as runners say and write them: spelled numbers, relays, distances, paces.

Each pass takes tokens and returns tokens, merging a run of them into one canonical
token (with the span of all it replaced): "fifteen hundred" -> 1500, "4 x 400m" -> 4x400,
"eight 200s" -> 8x200, "5K" -> 5000 (metres), "sub 5" and "five minute mile" -> 5:00.
Passes look at a token's first character before anything else: most words are not numbers.
"""

from __future__ import annotations

from typing import NamedTuple

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
NUMBER_WORDS = UNITS.keys() | TENS.keys()
KILOMETRES = {"k", "km", "kms", "kay", "kilometer", "kilometers", "kilometre", "kilometres"}
METRES = {"m", "meter", "meters", "metre", "metres"}
RELAY_SEPARATORS = {"x", "×", "by"}
RELAY_SLANG_LEGS = {1: 100, 2: 200, 4: 400, 8: 800}  # "4 by 4" is relay talk for 4x400
MINUTES = {"minute", "minutes", "min", "mins"}
PACE_WORDS = {"mile", "miles", "pace", "per", "k", "km", "kilometer", "kilometre"}


class Token(NamedTuple):
    text: str
    start: int  # character offsets into the original text
    end: int
    spelled: bool = False  # a number that was written out in words


def merge(tokens: list[Token], text: str, spelled: bool = False) -> Token:
    return Token(text, tokens[0].start, tokens[-1].end, spelled)


def _number(text: str) -> float | None:
    if not text[0].isdigit() or ":" in text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _as_text(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def spoken_numbers(tokens: list[Token]) -> list[Token]:
    """ "fifteen hundred" -> 1500, "four fifty nine" -> 4:59, "1,500" -> 1500."""
    out: list[Token] = []
    spelled = False
    i = 0
    while i < len(tokens):
        text = tokens[i].text
        if text in NUMBER_WORDS:
            value, used = _read_spelled(tokens, i)
            out.append(merge(tokens[i : i + used], _as_text(value), spelled=True))
            spelled = True
            i += used
            continue
        if "," in text and (number := _number(text)) is not None:
            out.append(tokens[i]._replace(text=_as_text(number)))
        else:
            out.append(tokens[i])
        i += 1
    return _spoken_times(out) if spelled else out


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
        first = tokens[i]
        second = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            second is not None
            and first.spelled
            and second.spelled
            and first.text.isdigit()
            and second.text.isdigit()
            and 1 <= int(first.text) <= 59
            and 10 <= int(second.text) <= 59
        ):
            out.append(merge([first, second], f"{first.text}:{second.text}", spelled=True))
            i += 2
        else:
            out.append(first)
            i += 1
    return out


def measures(tokens: list[Token]) -> list[Token]:
    """Relays and repeats (4x400) and distances in metres (5K -> 5000, 1500 m -> 1500)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        found = None
        if tokens[i].text[0].isdigit():
            found = _relay(tokens, i) or _repeats(tokens, i) or _distance(tokens, i)
        merged, used = found or (tokens[i], 1)
        out.append(merged)
        i += used
    return out


def _relay(tokens: list[Token], i: int) -> tuple[Token, int] | None:
    if i + 2 >= len(tokens) or tokens[i + 1].text not in RELAY_SEPARATORS:
        return None
    legs, leg = _number(tokens[i].text), _number(tokens[i + 2].text)
    if legs is None or leg is None or legs != int(legs) or not 1 <= legs <= 30 or leg <= 0:
        return None
    if leg in RELAY_SLANG_LEGS and legs == 4:
        leg = RELAY_SLANG_LEGS[int(leg)]
    used = 3
    if i + 3 < len(tokens) and tokens[i + 3].text in METRES:
        used = 4
    elif i + 3 < len(tokens) and tokens[i + 3].text in KILOMETRES:
        leg, used = leg * 1000, 4
    return merge(tokens[i : i + used], f"{int(legs)}x{_as_text(leg)}"), used


def _repeats(tokens: list[Token], i: int) -> tuple[Token, int] | None:
    """ "eight 200s" (or "8 200's") is how a coach says 8x200."""
    if i + 2 >= len(tokens) or tokens[i + 2].text not in ("s", "'s", "’s"):
        return None
    count, leg = _number(tokens[i].text), _number(tokens[i + 1].text)
    if count is None or leg is None or count != int(count) or not 2 <= count <= 30:
        return None
    if leg != int(leg) or not 100 <= leg <= 10000 or leg % 50:
        return None
    return merge(tokens[i : i + 3], f"{int(count)}x{int(leg)}"), 3


def _distance(tokens: list[Token], i: int) -> tuple[Token, int] | None:
    if i + 1 >= len(tokens):
        return None
    unit = tokens[i + 1].text
    if unit not in KILOMETRES and unit not in METRES:
        return None
    value = _number(tokens[i].text)
    if value is None:
        return None
    return merge(tokens[i : i + 2], _as_text(value * 1000 if unit in KILOMETRES else value)), 2


def paces(tokens: list[Token]) -> list[Token]:
    """Whole minutes as times: "sub 5" and "five minute mile" both say 5:00."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        minutes = token.text if token.text.isdecimal() and 0 < int(token.text) < 100 else None
        if minutes and out and out[-1].text == "sub":
            out.append(token._replace(text=f"{minutes}:00"))
        elif minutes and i + 2 < len(tokens) and tokens[i + 1].text in MINUTES and tokens[i + 2].text in PACE_WORDS:
            out.append(merge(tokens[i : i + 2], f"{minutes}:00"))
            i += 1
        else:
            out.append(token)
        i += 1
    return out
