"""`collections`: the coach's own lists of moments, one Markdown file per collection.

    ---
    title: Race-week questions
    description: What club members ask in the last week before a race.
    ---
    ## [Why strides before a race](/items/youtube:smplDrill02?t=81&end=129)
    The coach's note on this moment, any number of lines.

    - https://www.youtube.com/watch?v=smplIntrv01&t=494s
      Another note.

A moment starts at a line holding only a link (as a heading, a list item or on its own):
our page (`/items/ID?t=N&end=M`, with or without the site's address) or the original's URL
with its time (YouTube's `t=`/`start=` and `end=`, or a media fragment `#t=N,M`). The lines
under it, up to the next moment, are the coach's note; text before the first is the
collection's introduction. Each collection is an item of kind "collection" (title, notes and
introduction searchable); which catalog item each link names is settled after every source
is read (`indexer.collection_links`), so a link to a video indexed later in the run works.
A file is read again as `Refresh` says, its fingerprint a digest of its bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlsplit

import frontmatter
from markdown_it import MarkdownIt

from catalog.ids import collection_item_id, slug, youtube_id_from_url
from catalog.storage.models import Item, Segment
from indexer.config import SourceConfig
from indexer.html_clean import sanitize
from indexer.markdown_text import render_blocks
from indexer.sources.base import Result, SourceContext, SourceError
from indexer.sources.refresh import Refresh, file_digest

KIND = "collection"
_MARKER = r"(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?"
_MOMENT_LINE = re.compile(
    rf"{_MARKER}(?:\[(?P<label>[^\]]*)\]\((?P<link>[^)\s]+)\)|<?(?P<bare>(?:https?://|/items/)[^\s>]+)>?)"
)
_YOUTUBE_TIME = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")
MAX_MOMENTS = 500
_TIME_KEYS = {"t", "start", "end"}


def read(source: SourceConfig, context: SourceContext) -> Iterator[Result]:
    """Every collection in the folder (`Unchanged` when `Refresh` says so)."""
    folder = source.path()
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder")
    refresh = Refresh(context)
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".md" and p.is_file()):
        yield from refresh.item(path.name, collection_item, path, source.name, fingerprint=file_digest(path))


def collection_item(path: Path, source_name: str) -> Item:
    """The item of one collection file: its title, introduction and moments with their notes."""
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    meta = post.metadata if isinstance(post.metadata, dict) else {}
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("front matter has no title")
    intro, moments = split_moments(post.content)
    if not moments:
        raise ValueError("no moment links: put each link on a line of its own, its note under it")
    description = meta.get("description") if isinstance(meta.get("description"), str) else ""
    tags = [tag for tag in meta.get("tags") or () if isinstance(tag, str)] if isinstance(meta.get("tags"), list) else []
    return Item(
        id=collection_item_id(slug(path.stem)),
        kind=KIND,
        title=title.strip(),
        source=source_name,
        published=str(meta["date"])[:10] if meta.get("date") else None,
        description=" ".join((description or _plain(intro)).split()),
        tags=tuple(tags),
        extra={"moments": moments, "intro_html": _html(intro)},
        segments=tuple(Segment(text=" ".join(f"{m['label']} {_plain(m['note'])}".split())) for m in moments),
        raw={"metadata": {"title": title, "description": description, "tags": tags}, "body": post.content},
    )


def split_moments(body: str) -> tuple[str, list[dict]]:
    """(introduction, moments) of a collection's Markdown body."""
    intro: list[str] = []
    moments: list[dict] = []
    for line in body.splitlines():
        found = _MOMENT_LINE.fullmatch(line.strip())
        if found:
            if len(moments) == MAX_MOMENTS:
                raise ValueError(f"more than {MAX_MOMENTS} moments: split the collection")
            link = found["link"] or found["bare"]
            moments.append({"link": link, "label": (found["label"] or "").strip(), "note": "", **target(link)})
        elif moments:
            moments[-1]["note"] += line.strip() + "\n" if line.strip() else "\n"
        else:
            intro.append(line)
    for moment in moments:
        note = moment["note"].strip()
        moment["note"] = note
        moment["note_html"] = _html(note)
    return "\n".join(intro).strip(), moments


def target(link: str) -> dict:
    """What a link names: {"item": id} for our page, {"youtube": id} or {"url": address} for an
    original, with the `start` and `end` seconds it gives (None when it gives none)."""
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    if parts.path.startswith("/items/") and (not parts.scheme or parts.scheme in ("http", "https")):
        return {
            "item": unquote(parts.path.removeprefix("/items/")),
            "start": _seconds(query.get("t")),
            "end": _seconds(query.get("end")),
        }
    fragment = parse_qs(parts.fragment).get("t", [""])[0].split(",")
    start = _seconds(query.get("t") or query.get("start") or fragment[:1])
    end = _seconds(query.get("end") or fragment[1:2])
    video = youtube_id_from_url(link)
    if video:
        return {"youtube": video, "start": start, "end": end}
    kept = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in _TIME_KEYS]
    return {"url": parts._replace(query=urlencode(kept), fragment="").geturl(), "start": start, "end": end}


def _seconds(values: list[str] | None) -> int | None:
    """Whole seconds of `t=134`, `t=134s`, `t=2m14s` or `t=1h2m3s` (None when absent or not a time)."""
    text = (values or [""])[0].strip().lower()
    found = _YOUTUBE_TIME.fullmatch(text) if text else None
    if not found or not any(found.groups()):
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def _plain(markdown: str) -> str:
    return " ".join(render_blocks(markdown)[1]) if markdown.strip() else ""


def _html(markdown: str) -> str:
    """Sanitised HTML of the coach's Markdown, without the `p-N` ids an article's blocks get:
    on a collection page those name the moments."""
    return sanitize(MarkdownIt("commonmark", {"html": True}).render(markdown)) if markdown.strip() else ""
