"""`articles`: the coach's written articles, from a folder, an RSS/Atom feed or a sitemap.

A folder (`path`) holds Markdown files (YAML front matter or Pelican headers) and HTML
pages; see `markdown_folder`. A `feed` or `sitemap` lists article pages, and each page is
fetched and reduced to its text by `web_pages`. The listing is fetched with conditional
GET; which listed pages are fetched is `Refresh`'s rule, a page's fingerprint being what
its entry says (feed dates and title, or the sitemap's lastmod), its key the page's URL
(its id comes from the canonical URL the page gives).

Kept in `context.state` between runs, besides `Refresh`'s records: the listing's `etag` and
`last_modified`, saved only after a run that read every page (so a page that failed, or
waits under `max_new`, is retried even when the listing answers 304).
"""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

import feedparser

from catalog.storage.models import Item
from indexer.config import SourceConfig
from indexer.fetch import FetchError, FetchPolicy, Response, fetch
from indexer.safe_xml import parse_xml
from indexer.sources import markdown_folder, web_pages
from indexer.sources.base import ItemFailure, Result, SourceContext, SourceError, SourceUnchanged, item_results
from indexer.sources.refresh import Refresh


@dataclass(frozen=True)
class Entry:
    """One page a listing names, with what the listing says about it."""

    url: str
    fingerprint: str  # changes when the listing says the page changed
    hints: dict = field(default_factory=dict)  # title, published, tags, authors from a feed


def read(source: SourceConfig, context: SourceContext) -> Iterator[Result]:
    """Every article of the source; see the module docstring for what is fetched when."""
    if "path" in source.options:
        yield from markdown_folder.articles.read(source, context)
        return
    kind = "feed" if "feed" in source.options else "sitemap"
    url = source.options[kind]
    state = context.state
    response = _listing(url, context.policy, state.get("etag"), state.get("last_modified"))
    if response.not_modified:
        yield SourceUnchanged()
        return
    root = parse_xml(response.body, url)
    entries = feed_entries(response.body, url) if kind == "feed" else sitemap_entries(root, url, context.policy)
    refresh = Refresh(context, pause=source.options["sleep"])
    owners: dict[str, str] = {}  # item id -> page URL, to catch two pages with one id
    for entry in entries:
        if isinstance(entry, ItemFailure):
            refresh.complete = False
            yield entry
        else:
            yield from refresh.item(
                entry.url, _page, entry, source.name, context.policy, owners, fingerprint=entry.fingerprint
            )
    for header in ("etag", "last-modified"):
        key = header.replace("-", "_")
        state.pop(key, None)
        if refresh.complete and response.headers.get(header):
            state[key] = response.headers[header]


def feed_entries(body: bytes, url: str) -> list[Entry | ItemFailure]:
    """The pages an RSS or Atom feed links to (call `parse_xml` on the body first)."""
    # A stream, never bytes or str: feedparser tries a str (or bytes) as a URL or file name first.
    feed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if not feed.version:
        raise SourceError(f"{url}: not an RSS or Atom feed")
    entries: list[Entry | ItemFailure] = []
    for number, entry in enumerate(feed.entries, 1):
        entries += item_results(entry.get("id") or f"{url} entry {number}", _feed_entry, entry, url)
    return entries


def _feed_entry(entry: dict, url: str) -> Entry:
    """The page one feed entry links to, with what the feed says about it."""
    if not entry.get("link"):
        raise ValueError("feed entry has no link")
    dated = entry.get("published_parsed") or entry.get("updated_parsed")
    hints = {
        "title": entry.get("title"),
        "published": time.strftime("%Y-%m-%d", dated) if dated else None,
        "tags": [tag["term"] for tag in entry.get("tags", []) if tag.get("term")],
        "authors": [author["name"] for author in entry.get("authors", []) if author.get("name")],
    }
    stamp = [entry.get(key) for key in ("id", "title", "updated", "published")]
    return Entry(urljoin(url, entry["link"]), _digest(stamp), hints)


def sitemap_entries(root: Element, url: str, policy: FetchPolicy) -> list[Entry | ItemFailure]:
    """The pages of a `<urlset>`, or of the sitemaps a `<sitemapindex>` names (one level deep)."""
    if _name(root) != "sitemapindex":
        return _urlset(root, url)
    entries = []
    for child, _ in _locations(root, "sitemap"):
        child_url = urljoin(url, child)
        entries += _urlset(parse_xml(_listing(child_url, policy).body, child_url), child_url)
    return entries


def _urlset(root: Element, url: str) -> list[Entry | ItemFailure]:
    if _name(root) != "urlset":
        raise SourceError(f"{url}: not a sitemap (its root element is <{_name(root)}>, not <urlset>)")
    entries: list[Entry | ItemFailure] = []
    for loc, lastmod in _locations(root, "url"):
        entries += item_results(loc, _sitemap_entry, url, loc, lastmod)
    return entries


def _sitemap_entry(base: str, loc: str, lastmod: str) -> Entry:
    return Entry(urljoin(base, loc), lastmod)


def _locations(root: Element, tag: str) -> Iterator[tuple[str, str]]:
    """(loc as written, lastmod) of each `<tag>` child, whatever namespace the sitemap uses."""
    for child in root:
        if _name(child) == tag:
            fields = {_name(part): (part.text or "").strip() for part in child}
            if fields.get("loc"):
                yield fields["loc"], fields.get("lastmod", "")


def _name(element: Element) -> str:
    return str(element.tag).rpartition("}")[2]


def _listing(url: str, policy: FetchPolicy, etag: str | None = None, last_modified: str | None = None) -> Response:
    try:
        return fetch(url, policy, etag=etag, last_modified=last_modified)
    except FetchError as exc:
        raise SourceError(str(exc)) from None


def _page(entry: Entry, source_name: str, policy: FetchPolicy, owners: dict) -> Iterator[Item | ItemFailure]:
    """The article at `entry.url`, an ItemFailure, or nothing when the page is gone (404/410).

    `owners` (item id -> page URL) refuses a second page with the id of one read this run."""
    try:
        html, final_url = web_pages.fetch_page(entry.url, policy)
    except FetchError as exc:
        if not exc.gone:
            yield ItemFailure(entry.url, exc.reason)
        return
    item = web_pages.article_item(html, source_name, url=final_url, hints=entry.hints)
    if item.id in owners:
        raise ValueError(f"has the same id {item.id} as {owners[item.id]}")
    owners[item.id] = entry.url
    yield item


def _digest(values: list) -> str:
    return hashlib.sha256(json.dumps(values, default=str).encode("utf-8")).hexdigest()[:16]
