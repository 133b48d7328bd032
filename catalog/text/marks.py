"""The query's words in <mark>, in plain text or in the sanitised HTML of an article.

Marks come from the index analyzer (`analysis.term_spans`), so a mark covers exactly what
the search matched: "four by four hundred" for `4x400`, "relays" for `relay`.
"""

from __future__ import annotations

import re
from html import escape, unescape

from markupsafe import Markup

from catalog.text.analysis import term_spans

_TAG = re.compile(r"(<[^>]*>)")


def spans_of(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Where the query's terms are said in `text`, as (start, end) character offsets."""
    return [(start, end) for term, start, end in term_spans(text) if term in terms] if terms else []


def marked(text: str, low: int, high: int, spans: list[tuple[int, int]]) -> Markup:
    """text[low:high] escaped, with the parts of `spans` that fall inside it in <mark>."""
    out, cursor = [], low
    for start, end in spans:
        start, end = max(start, cursor), min(end, high)
        if start >= end:
            continue
        out += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:high]))
    return Markup("".join(out))


def marked_html(html: str, terms: frozenset[str]) -> Markup:
    """Sanitised HTML (nh3's output: every `<` and `>` in text or attributes is escaped) with
    the terms marked in its text; tags and attributes are left as they are."""
    if not terms:
        return Markup(html)
    out = []
    for part in _TAG.split(html):
        if part.startswith("<"):
            out.append(part)
        elif part:
            text = unescape(part)
            out.append(marked(text, 0, len(text), spans_of(text, terms)))
    return Markup("".join(out))
