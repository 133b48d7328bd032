"""HTML from sources made safe to show: nh3 (the Ammonia sanitiser) with a small allow-list."""

from __future__ import annotations

import html
import re

import nh3

_LINK = re.compile(r"<a\s[^>]*?href=[\"'](https?://[^\"'\s]+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|blockquote|tr|ul|ol)\b[^>]*>", re.IGNORECASE)
_BREAK = re.compile(r"<br\b[^>]*>", re.IGNORECASE)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr")
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{tag: {"id"} | set(nh3.ALLOWED_ATTRIBUTES.get(tag, ())) for tag in _BLOCKS},
}


def sanitize(html: str) -> str:
    """Keep text structure and links; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(html, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def notes_text(markup: str, limit: int) -> str:
    """`plain_notes` of the markup, cut at a word after `limit` characters."""
    return cut_at_word(plain_notes(markup), limit)


def plain_notes(markup: str) -> str:
    """HTML show notes as plain text that keeps their shape: paragraphs apart, list items as
    "- " lines, line breaks, and links as Markdown `[label](url)` (the pages make those links
    again, see `catalog.web.notes`)."""
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", markup)
    text = _ITEM.sub("\n- ", _BREAK.sub("\n", _BLOCK.sub("\n\n", text)))
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def cut_at_word(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters cut back to a word, marked " …"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: max(cut.rfind(" "), cut.rfind("\n"), 0) or limit].rstrip() + " …"
