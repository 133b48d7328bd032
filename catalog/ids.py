"""Stable item ids: how an item's id is made from what its source calls it, in this one place.

The promise: an item's id never changes across re-indexing. It is made from the source's own
name for the item (yt-dlp's extractor and video id, a feed's guid, a page's canonical URL, a
file's name), never from a row number, a position in a listing or the date of a run, so our
links (`/items/ID?t=N`), the coach's collections and transcript corrections keep naming the same
item when it is fetched again or its captions are replaced. Changing a rule here changes the id
of every item it made (their links break, their old rows are hidden as gone): add rules, never
change one.

The readers make ids with these functions, and the web finds items by them. Pure functions of
their arguments: no I/O, no state.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath
from urllib.parse import parse_qs, urlparse

_SLUG_BREAK = re.compile(r"[^a-z0-9]+")
_URL_SAFE_GUID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_YOUTUBE_VIDEO = re.compile(r"[A-Za-z0-9_-]{11}")


def ytdlp_item_id(extractor_key: str | None, video_id: str) -> str:
    """What yt-dlp reads: `<extractor>:<its id>`, the extractor lower-cased ("youtube:smplIntrv01",
    "generic:episode-12"); `video:<id>` for an info dict that names no extractor."""
    return f"{(extractor_key or 'video').lower()}:{video_id}"


def youtube_item_id(video_id: str) -> str:
    """A YouTube video: `youtube:<video id>`, as yt-dlp's YouTube extractor gives it."""
    return ytdlp_item_id("youtube", video_id)


def podcast_item_id(guid: str) -> str:
    """A feed episode: `podcast:` + its guid (or enclosure URL) when that is short and URL-safe,
    else 16 hex digits of its SHA-1."""
    key = guid if _URL_SAFE_GUID.fullmatch(guid) else hashlib.sha1(guid.encode()).hexdigest()[:16]
    return f"podcast:{key}"


def document_item_id(kind: str, canonical_url: str | None, path: PurePath | None) -> str:
    """An article or workout: `<kind>:<document_slug>`. The same page keeps its id whether it is read
    from a folder, a feed or a sitemap."""
    return f"{kind}:{document_slug(canonical_url, path)}"


def document_slug(canonical_url: str | None, path: PurePath | None) -> str:
    """The slug of a canonical URL's last path part (of its host when the path is empty), else of the
    file's name."""
    if canonical_url:
        parsed = urlparse(canonical_url)
        parts = [part for part in parsed.path.split("/") if part]
        name = slug(parts[-1]) if parts else ""
        if name or path is None:
            return name or slug(parsed.hostname or "")
    if path is None:
        raise ValueError("a canonical URL or a file name is needed for an id")
    return slug(path.stem)


def collection_item_id(file_slug: str) -> str:
    """A collection of moments: `collection:<slug of its file's name>` (see `slug`), which is also
    the end of its page's address, `/items/collection:<slug>`."""
    return f"collection:{file_slug}"


def slug(text: str) -> str:
    """Lower case, every run of anything but a-z and 0-9 one hyphen, none at either end."""
    return _SLUG_BREAK.sub("-", text.lower()).strip("-")


def youtube_id_from_url(url: str) -> str | None:
    """The video id of a youtube.com/watch, youtu.be, /embed/, /shorts/ or /live/ URL, else None."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    candidate = None
    if host == "youtu.be":
        candidate = parsed.path.strip("/")
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if parsed.path == "/watch":
            candidate = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            candidate = parsed.path.split("/")[2]
    return candidate if candidate and _YOUTUBE_VIDEO.fullmatch(candidate) else None
