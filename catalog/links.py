"""Deep links: our item pages at a second, and the original at the same second."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlparse

# Moved to catalog.ids; named here until catalog.storage.store, catalog.web.structured_data and
# tests/test_links.py import it from there.


def web_url(url: object) -> str | None:
    """`url` if it is an absolute http(s) URL, else None: a source's `javascript:` or `data:`
    "thumbnail" or link must never reach a page."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    parsed = urlparse(url)
    return url if parsed.scheme in ("http", "https") and parsed.netloc and not any(c in url for c in "\n\r\t") else None


def item_path(item_id: str) -> str:
    """Our page for an item. Ids are stable, so this link survives re-indexing."""
    return f"/items/{quote(item_id, safe=':')}"


def moment_path(item_id: str, start: float | None) -> str:
    """Our page opened at a second (or at the item's top for untimed text)."""
    path = item_path(item_id)
    return path if start is None else f"{path}?t={int(start)}"


def with_query(url: str, query: str) -> str:
    """Our page's `url` carrying the search it was found by (`q`), so the page marks its words;
    the parameter goes before any `#p-N` anchor."""
    if not query.strip():
        return url
    path, hash_mark, anchor = url.partition("#")
    joined = f"{path}{'&' if '?' in path else '?'}{urlencode({'q': query})}"
    return joined + hash_mark + anchor


def youtube_watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def source_moment_url(item: dict, start: float | None) -> str | None:
    """The original at that second: YouTube takes `&t=Ns`, audio and video files `#t=N`."""
    if start is None:
        return item.get("source_url")
    seconds = int(start)
    if item.get("youtube_id"):
        return f"{youtube_watch_url(item['youtube_id'])}&t={seconds}s"
    if item.get("media_url"):
        return f"{item['media_url']}#t={seconds}"
    return item.get("source_url")
