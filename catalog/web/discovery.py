"""Being found: the RSS feed, the sitemap, the OpenSearch description and the share and
JSON-LD tags of item pages.

Every document is built with ElementTree, never by pasting text together, and every URL is
absolute: feeds, sitemaps and search engines read them far away from our pages.
"""

from __future__ import annotations

import html
import mimetypes
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlparse

from flask import Blueprint, Response, current_app

from catalog.storage.store import decode_item_row
from catalog.web.origin import site_url
from catalog.web.resources import get_db
from catalog.web.social_meta import moment_at, social_meta
from catalog.web.structured_data import json_ld, json_ld_script

bp = Blueprint("discovery", __name__)

FEED_SIZE = 50
TIMED_KINDS = ("video", "podcast")
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
# Characters XML 1.0 cannot carry at all, even escaped; a stray one would break the whole feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_COLUMNS = "id, kind, url, title, description, tags, published, first_seen, media_url"


def item_head(item: dict, chapters: list[dict], segments: list[dict], start: int | None, end: int | None) -> dict:
    """The context `_social_meta.html` renders: canonical URL, share-card rows and JSON-LD.

    A `?t=` only means a moment on timed media; on an article or workout it is ignored.
    """
    page_url = site_url() + item["url"]
    if item["kind"] not in TIMED_KINDS:
        start = end = None
    moment = moment_at(segments, start, end) if start is not None else None
    return {
        "canonical_url": page_url,
        "social_meta": social_meta(
            item, moment["text"] if moment else None, start, end, page_url, current_app.config["SITE_NAME"]
        ),
        "json_ld_script": json_ld_script(json_ld(item, chapters, segments, moment, page_url)),
    }


@bp.get("/feed.xml")
def feed() -> Response:
    """RSS 2.0 of the latest live items, newest first."""
    name = current_app.config["SITE_NAME"]
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    channel = ET.SubElement(rss, "channel")
    _element(channel, "title", name)
    _element(channel, "link", site_url() + "/")
    _element(channel, "description", f"The latest videos, podcast episodes, articles and workouts in {name}.")
    _element(channel, "language", "en")
    _element(channel, "atom:link", href=site_url() + "/feed.xml", rel="self", type="application/rss+xml")
    for item in _live_items(FEED_SIZE):
        _feed_item(channel, item)
    return _xml_response(rss, "application/rss+xml")


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Home, browse and every live item page, each item with the day it was published."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in ("/", "/browse"):
        _element(ET.SubElement(urlset, "url"), "loc", site_url() + path)
    for item in _live_items():
        url = ET.SubElement(urlset, "url")
        _element(url, "loc", site_url() + item["url"])
        date = _item_date(item)
        if date is not None:
            _element(url, "lastmod", date.date().isoformat())
    return _xml_response(urlset, "application/xml")


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """OpenSearch 1.1, so browsers offer the catalog as a search engine, with suggestions."""
    name = current_app.config["SITE_NAME"]
    root = ET.Element("OpenSearchDescription", xmlns=OPENSEARCH_NS)
    _element(root, "ShortName", name[:16])  # the spec's limit
    _element(root, "Description", f"Search {name}: every video, podcast, article and workout, down to the second.")
    _element(root, "InputEncoding", "UTF-8")
    _element(root, "Url", type="text/html", method="get", template=site_url() + "/search?q={searchTerms}")
    suggest = site_url() + "/api/suggest?q={searchTerms}&format=opensearch"
    _element(root, "Url", type="application/x-suggestions+json", method="get", template=suggest)
    opensearch_url = site_url() + "/opensearch.xml"
    _element(root, "Url", type="application/opensearchdescription+xml", rel="self", template=opensearch_url)
    return _xml_response(root, "application/opensearchdescription+xml")


def _feed_item(channel: ET.Element, item: dict) -> None:
    entry = ET.SubElement(channel, "item")
    link = site_url() + item["url"]
    _element(entry, "title", item["title"])
    _element(entry, "link", link)
    _element(entry, "guid", link, isPermaLink="true")
    date = _item_date(item)
    if date is not None:
        _element(entry, "pubDate", format_datetime(date))
    # RSS readers treat <description> as HTML: escape the plain text once more so it stays text.
    _element(entry, "description", html.escape(item["description"] or "").replace("\n", "<br>\n"))
    for tag in item["tags"]:
        _element(entry, "category", tag)
    if item["media_url"]:
        media_type = mimetypes.guess_type(urlparse(item["media_url"]).path)[0] or "application/octet-stream"
        # RSS requires a length; 0 is the accepted value when the size is unknown.
        _element(entry, "enclosure", url=item["media_url"], length="0", type=media_type)


def _live_items(limit: int = -1) -> list[dict]:
    """Live items, newest first (-1: all of them)."""
    rows = get_db().query(
        f"select {_COLUMNS} from items where status = 'live' order by coalesce(published, first_seen) desc, id limit ?",
        [limit],
    )
    return [decode_item_row(row) for row in rows]


def _item_date(item: dict) -> datetime | None:
    """When the item was published, else when we first saw it.

    Not `last_seen`: every run moves it, so every page would claim a change every night.
    """
    for value in (item.get("published"), item.get("first_seen")):
        try:
            moment = datetime.fromisoformat(value) if value else None
        except ValueError:
            continue
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _NOT_XML.sub("", value) for key, value in attributes.items()})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _xml_response(root: ET.Element, mimetype: str) -> Response:
    return Response(ET.tostring(root, encoding="UTF-8", xml_declaration=True), mimetype=mimetype)
