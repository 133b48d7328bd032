"""Open Graph and Twitter Card tags, so a shared link previews the moment it points at.

A link to `?t=134` previews as the item's title "at 2:14" with the sentence said there,
instead of the generic description of a ten-minute video.
"""

from __future__ import annotations

import json
import re

from catalog.display import clock

DESCRIPTION_LIMIT = 200
# Open Graph has no type for an audio episode; `music.song` would announce a music track.
# `article` fits a dated, authored episode and lets previews show article:published_time.
OG_TYPES = {"video": "video.other", "podcast": "article", "article": "article", "workout": "article"}
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def moment_at(segments: list[dict], second: int, end: int | None = None) -> dict | None:
    """The moment a page opened at `second` points to: `{"start", "end", "text"}`.

    The text is the sentence holding the caption cue playing at that second when the
    transcript is punctuated, else the cue's own words (auto-captions have no full stops).
    None when no timed segment covers the second.
    """
    segment = next(
        (s for s in reversed(segments) if s["start"] is not None and s["start"] <= second <= (s["end"] or s["start"])),
        None,
    )
    if segment is None:
        return None
    text = segment["text"]
    cues = json.loads(segment["cue_times"] or "[]") or [[0, segment["start"]]]
    offsets = [offset for offset, _ in cues] + [len(text)]
    index = max((n for n, (_, cue_second) in enumerate(cues) if cue_second <= second), default=0)
    quote = _sentence(text, offsets[index], offsets[index + 1])
    return {"start": second, "end": end if end is not None else segment["end"], "text": _shorten(quote)}


def social_meta(
    item: dict, moment_text: str | None, start: int | None, end: int | None, page_url: str, site_name: str
) -> list[tuple[str, str, str]]:
    """(attribute, name, content) rows for the `<meta>` tags of an item page.

    `page_url` is the item page without a query; `start`/`end` are the `?t=`/`&end=` seconds
    the shared link carries, and `moment_text` the sentence said at `start`.
    """
    at = f" at {clock(start)}" if start is not None else ""
    title = item["title"] + at
    if moment_text:
        description = f"“{_shorten(moment_text)}”{at}"
    else:
        description = _shorten(item.get("description") or "")
    image = item.get("thumbnail")
    rows = [
        ("property", "og:type", OG_TYPES.get(item["kind"], "website")),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", _moment_url(page_url, start, end)),
        ("property", "og:image", image),
        ("property", "og:site_name", site_name),
        ("property", "og:audio", item.get("media_url") if item["kind"] == "podcast" else None),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return [(attribute, name, content) for attribute, name, content in rows if content]


def _shorten(text: str) -> str:
    """Collapse whitespace and cut at a word boundary within DESCRIPTION_LIMIT characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    cut = text[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def _sentence(text: str, cue_start: int, cue_end: int) -> str:
    """The sentence around the cue; the cue alone when there are no full stops or the
    sentence is too long to quote whole (cutting it could drop the words said at the cue)."""
    cue = text[cue_start:cue_end].strip()
    if not _SENTENCE_END.search(text):
        return cue
    begin = max((match.end() for match in _SENTENCE_END.finditer(text, 0, cue_start)), default=0)
    after = _SENTENCE_END.search(text, cue_start)
    sentence = text[begin : after.end() if after else len(text)].strip()
    return sentence if len(sentence) <= DESCRIPTION_LIMIT else cue


def _moment_url(page_url: str, start: int | None, end: int | None) -> str:
    if start is None:
        return page_url
    return f"{page_url}?t={start}" + (f"&end={end}" if end is not None else "")
