"""One article page, fetched or read from a file, reduced to its text with trafilatura.

The page's navigation, header, footer and comments are left out; what stays is the main
text as untimed paragraph segments, and a sanitised HTML body whose N-th text block carries
`id="p-N"` (the same contract as `indexer.markdown_text`), so a search hit links to its
paragraph. The item id comes from the canonical URL by the rule of `catalog.ids`, as for
Markdown articles, so an article keeps its id whether it arrives from a folder, a feed or a
sitemap.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import trafilatura
from lxml import etree
from trafilatura.htmlprocessing import convert_to_html

from catalog.ids import document_item_id, document_slug
from catalog.storage.models import Item, Segment
from indexer.fetch import FetchPolicy, fetch
from indexer.html_clean import sanitize

# Elements whose own text is one segment; anything else is inline text of its block.
BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr"})
_SPACED_TAGS = frozenset({"td", "th", "br"})  # table cells and line breaks separate words
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
# A page's <meta charset> or an XML declaration's encoding, near the start of the body.
_CHARSET = re.compile(rb"""<(?:meta[^>]+charset|\?xml[^>]+encoding)\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# Guessing a date from the running text finds race dates, not publication dates.
_DATE_SEARCH = {"original_date": True, "extensive_search": False}


class ExtractionError(ValueError):
    """A page that yields no article; the message says why in one line."""


def fetch_page(url: str, policy: FetchPolicy) -> tuple[str, str]:
    """(html, final URL) of an article page; raises FetchError or ExtractionError."""
    response = fetch(url, policy)
    if response.content_type not in HTML_TYPES:
        raise ExtractionError(f"not an HTML page (content type {response.content_type})")
    return decode(response.body, response.headers.get("content-type", "")), response.url


def decode(body: bytes, content_type: str = "") -> str:
    """The body as text, by the charset its Content-Type, `<meta charset>` or XML declaration
    gives (else UTF-8).

    Strict: bytes that are not valid in the declared charset fail the page instead of
    storing mangled text over the good version.
    """
    declared = _HEADER_CHARSET.search(content_type) or _CHARSET.search(body[:4096])
    charset = declared[1] if declared else "utf-8"
    charset = charset.decode("ascii") if isinstance(charset, bytes) else charset
    try:
        return body.decode(charset)
    except UnicodeDecodeError as exc:
        raise ExtractionError(f"not valid {charset} text ({exc.reason} at byte {exc.start})") from None
    except (LookupError, UnicodeError):  # no such codec, or one that decodes nothing ("undefined")
        raise ExtractionError(f"unknown charset {charset!r}") from None


def article_item(
    html: str,
    source_name: str,
    url: str | None = None,
    path: Path | None = None,
    hints: dict | None = None,
) -> Item:
    """An article Item from a page's HTML; `hints` (title, published, tags, authors) fill gaps.

    `url` is where the page was fetched; `path` the file it was read from.
    """
    hints = hints or {}
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        date_extraction_params=_DATE_SEARCH,
    )
    if document is None or document.body is None:
        raise ExtractionError("no article text found")
    body, blocks = numbered_blocks(convert_to_html(document.body))
    if not blocks:
        raise ExtractionError("no article text found")
    canonical = _canonical(document.url, url)
    return Item(
        id=document_item_id("article", canonical, path),
        kind="article",
        title=document.title or hints.get("title") or document_slug(canonical, path),
        source=source_name,
        source_url=canonical,
        published=(document.date or hints.get("published") or "")[:10] or None,
        description=document.description or "",
        tags=_unique([*(document.tags or ()), *(document.categories or ())]) or tuple(hints.get("tags", ())),
        people=_unique((document.author or "").split(";")) or tuple(hints.get("authors", ())),
        body_html=sanitize(body),
        segments=tuple(Segment(text=block) for block in blocks),
        raw={"url": url, "file": path.name if path else None, "listing": hints, "html": html},
    )


def numbered_blocks(tree: etree._Element) -> tuple[str, list[str]]:
    """(html, blocks): every block with text gets `id="p-N"`, N its place in `blocks`."""
    blocks: list[str] = []
    for element in tree.iter(*BLOCK_TAGS):
        text = " ".join(_own_text(element).split())
        if text:
            element.set("id", f"p-{len(blocks)}")
            blocks.append(text)
    return etree.tostring(tree, encoding="unicode", method="html"), blocks


def _own_text(element: etree._Element) -> str:
    """The element's text without that of the blocks nested in it (they are segments of their own)."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            parts.append(child.tail or "")
            continue
        if child.tag not in BLOCK_TAGS:
            spacer = " " if child.tag in _SPACED_TAGS else ""
            parts.append(spacer + _own_text(child) + spacer)
        parts.append(child.tail or "")
    return "".join(parts)


def _canonical(declared: str | None, fetched: str | None) -> str | None:
    """The page's canonical URL (made absolute), unless it is no web address: then where it was fetched."""
    canonical = urljoin(fetched or "", declared) if declared else None
    return canonical if canonical and urlparse(canonical).scheme in ("http", "https") else fetched


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
