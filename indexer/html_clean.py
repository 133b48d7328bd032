"""HTML from sources made safe to show: nh3 (the Ammonia sanitiser) with a small allow-list."""

from __future__ import annotations

import nh3

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{tag: {"id"} | set(nh3.ALLOWED_ATTRIBUTES.get(tag, ())) for tag in _BLOCKS},
}


def sanitize(html: str) -> str:
    """Keep text structure and links; drop scripts, styles, event handlers and unsafe URLs."""
    return nh3.clean(html, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})
