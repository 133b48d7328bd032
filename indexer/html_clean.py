"""HTML from sources made safe to show: nh3 (the Ammonia sanitiser) with a small allow-list."""

from __future__ import annotations

import html
import re

import nh3

_BLOCK_TAG = re.compile(r"<(?=/?(?:p|br|div|li|h[1-6]|blockquote|tr|td)\b)", re.IGNORECASE)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr")
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{tag: {"id"} | set(nh3.ALLOWED_ATTRIBUTES.get(tag, ())) for tag in _BLOCKS},
}


def sanitize(html: str) -> str:
    """Keep text structure and links; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(html, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def plain_text(markup: str, limit: int) -> str:
    """HTML (show notes, summaries) as one line of text, cut at a word after `limit` characters."""
    text = " ".join(html.unescape(nh3.clean(_BLOCK_TAG.sub(" <", markup), tags=set())).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
