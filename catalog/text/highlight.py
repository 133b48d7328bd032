"""Escaped text with the query's terms in <mark>, cut to a short window around the first one.

It runs the index analyzer over the displayed text, so a mark covers exactly what matched:
all of "four by four hundred" for a search of `4x400`. Everything else is HTML-escaped.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from catalog.text import analysis

SNIPPET_CHARS = 220
SCAN_CHARS = 2000  # a match further into a long description is not worth analysing it all

# A moment's text is marked, then searched for its first match's second: analysed once.
# Small on purpose: it serves one page's texts, not repeats across searches.
term_spans = lru_cache(maxsize=64)(analysis.term_spans)


def highlight(text: str, terms: frozenset[str], max_chars: int = SNIPPET_CHARS) -> str:
    if len(text) > SCAN_CHARS:
        cut = text.rfind(" ", 0, SCAN_CHARS)
        text = text[: cut if cut > 0 else SCAN_CHARS] + " …"
    spans = [(start, end) for term, start, end in term_spans(text) if term in terms]
    window_start, window_end = _window(text, spans, max_chars)
    out: list[str] = ["…" if window_start > 0 else ""]
    cursor = window_start
    for start, end in spans:
        if start < cursor or end > window_end:
            continue
        out += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:window_end]))
    out.append("…" if window_end < len(text) else "")
    return "".join(out)


def _window(text: str, spans: list[tuple[int, int]], max_chars: int) -> tuple[int, int]:
    """A window of about max_chars, starting a little before the first match, cut at spaces."""
    if len(text) <= max_chars:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - max_chars // 4)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def second_of_best_window(
    text: str,
    cue_times: list[list[float]],
    weights: dict[str, float],
    phrases: tuple[tuple[str, ...], ...],
    default: float,
) -> float:
    """The start of the caption cue where the query is best said in `text`, else `default`.

    With a quoted phrase, that is where the phrase starts. Otherwise it is the start of the
    window of WINDOW_TERMS words holding the most weight of distinct query words (rare words
    weigh more), so a moment opens where the words are said together, not at the first
    passing mention of a common one.
    """
    spans = term_spans(text)
    terms = [term for term, _, _ in spans]
    first = _phrase_start(terms, phrases) if phrases else _best_window_start(terms, weights)
    if first is None:
        return default
    offset = spans[first][1]
    return max((second for at, second in cue_times if at <= offset), default=default)


WINDOW_TERMS = 12  # about one spoken clause


def _phrase_start(terms: list[str], phrases: tuple[tuple[str, ...], ...]) -> int | None:
    for phrase in phrases:
        size = len(phrase)
        for index in range(len(terms) - size + 1):
            if tuple(terms[index : index + size]) == phrase:
                return index
    return None


def _best_window_start(terms: list[str], weights: dict[str, float]) -> int | None:
    """Index of the first query word of the best window: the most weight of distinct query
    words within WINDOW_TERMS, then the tightest (the words said closest together), then the earliest."""
    hits = [index for index, term in enumerate(terms) if term in weights]
    best, best_key = None, (0.0, 0)
    for number, start in enumerate(hits):
        seen: set[str] = set()
        weight, end = 0.0, start
        for index in hits[number:]:
            if index - start >= WINDOW_TERMS:
                break
            if terms[index] not in seen:
                seen.add(terms[index])
                weight, end = weight + weights[terms[index]], index
        key = (round(weight, 9), start - end)
        if key > best_key:
            best, best_key = start, key
    return best
