"""`articles` and `workouts` read from a folder of Markdown files with front matter.

The metadata is YAML front matter or Pelican-style `Key: value` header lines. The body is
split into blocks (paragraphs, headings, list items); each block is one untimed segment,
and the rendered HTML carries an `id="p-N"` per block, so a search hit links straight to
its paragraph. An articles folder may also hold HTML pages, read like fetched web pages.
A file is read again as `Refresh` says, its fingerprint a digest of its bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from catalog.ids import document_item_id
from catalog.storage.models import Item, Segment
from indexer.config import SourceConfig
from indexer.html_clean import sanitize
from indexer.markdown_text import render_blocks
from indexer.sources.base import Result, SourceContext, SourceError
from indexer.sources.refresh import Refresh, file_digest

# Eleventy/Jekyll template tags such as {% picture ... %} are not article text.
_TEMPLATE_TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
_PELICAN_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)")
# Pelican headers that map onto Item fields; the others (Number:, Run:, ...) go into `extra`.
PELICAN_FIELDS = {"title", "date", "tags", "category", "author", "authors", "summary", "url"}
WORKOUT_FIELDS = ("focus", "equipment", "level", "progression", "video")
MAX_METADATA_VALUES = 10_000
MAX_METADATA_DEPTH = 20
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class MarkdownFolder:
    kind: str
    html: bool = False  # also read *.html pages

    def read(self, source: SourceConfig, context: SourceContext) -> Iterator[Result]:
        """Every file in the folder (`Unchanged` when `Refresh` says so)."""
        folder = source.path()
        if not folder.is_dir():
            raise SourceError(f"{folder}: no such folder")
        suffixes = (".md", *HTML_SUFFIXES) if self.html else (".md",)
        refresh = Refresh(context)
        for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and p.is_file()):
            yield from refresh.item(path.name, self.file_item, path, source.name, fingerprint=file_digest(path))

    def file_item(self, path: Path, source_name: str) -> Item:
        """The Item of one Markdown or HTML file."""
        if path.suffix.lower() in HTML_SUFFIXES:
            # Imported here: trafilatura loads slowly and only folders with HTML pages need it.
            from indexer.sources import web_pages

            return web_pages.article_item(web_pages.decode(path.read_bytes()), source_name, path=path)
        meta, body, extra = split_metadata(path.read_text(encoding="utf-8"))
        return self.item(meta, body, path, source_name, extra)

    def item(self, meta: dict, body: str, path: Path, source_name: str, extra: dict | None = None) -> Item:
        meta = _plain(meta)
        title = str(meta.get("title") or meta.get("name") or "").strip()
        if not title:
            raise ValueError("front matter has no title")
        html, blocks = render_blocks(_TEMPLATE_TAGS.sub("", body))
        url = str(meta["url"]) if meta.get("url") else None
        minutes = meta.get("duration")
        return Item(
            id=document_item_id(self.kind, url, path),
            kind=self.kind,
            title=title,
            source=source_name,
            source_url=url,
            published=str(meta["date"])[:10] if meta.get("date") else None,
            duration=minutes * 60 if self.kind == "workout" and _is_number(minutes) else None,
            description=str(meta.get("description") or ""),
            tags=_strings(meta.get("tags")),
            people=_strings(meta.get("author")),
            body_html=sanitize(html),
            extra={k: meta[k] for k in WORKOUT_FIELDS if meta.get(k)} if self.kind == "workout" else extra or {},
            segments=tuple(Segment(text=block) for block in blocks),
            raw={"metadata": meta, "body": body},
        )


def split_metadata(text: str) -> tuple[dict, str, dict]:
    """(metadata, body, extra) of a Markdown file: YAML front matter or Pelican header lines.

    Pelican headers are `Key: value` lines up to the first blank line, with a `Title:`;
    their keys are lower-cased, tags and authors are comma-separated, and headers with no
    Item field of their own are returned as `extra`.
    """
    headers, _, body = text.replace("\r\n", "\n").partition("\n\n")
    lines = [_PELICAN_HEADER.fullmatch(line.strip()) for line in headers.strip().splitlines()]
    if text.startswith("---") or not lines or not all(lines):
        post = frontmatter.loads(text)
        return post.metadata, post.content, {}
    fields = {match[1].lower(): match[2].strip() for match in lines}
    if not fields.get("title"):
        raise ValueError("Pelican headers have no Title")
    meta = {
        "title": fields["title"],
        "date": fields.get("date"),
        "tags": _split(fields.get("tags", "")) + _split(fields.get("category", "")),
        "author": _split(fields.get("authors") or fields.get("author", "")),
        "description": fields.get("summary"),
        "url": fields.get("url"),
    }
    return meta, body, {k: v for k, v in fields.items() if k not in PELICAN_FIELDS and v}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _plain(meta: object) -> dict:
    """Front matter as plain JSON-able data (dates as text), refused when YAML anchors make it
    circular or explode it (a "billion laughs" of aliases) or it nests past reason."""
    if not isinstance(meta, dict):
        raise ValueError("front matter is not a table of keys")
    budget = [MAX_METADATA_VALUES]

    def plain(value: object, depth: int) -> object:
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_METADATA_DEPTH:
            raise ValueError(f"front matter is too large or too deeply nested (over {MAX_METADATA_VALUES} values)")
        if isinstance(value, dict):
            return {str(k): plain(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v, depth + 1) for v in value]
        return value if isinstance(value, str | int | float | bool | type(None)) else str(value)

    return plain(meta, 0)


articles = MarkdownFolder("article", html=True)
workouts = MarkdownFolder("workout")
