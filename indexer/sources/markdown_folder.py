"""`articles` and `workouts` read from a folder of Markdown files with front matter.

The body is split into blocks (paragraphs, headings, list items); each block is one
untimed segment, and the rendered HTML carries an `id="p-N"` per block, so a search hit
links straight to its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import frontmatter
import yaml

from catalog.models import Item, Segment
from indexer.html_clean import sanitize
from indexer.markdown_text import render_blocks
from indexer.sources.base import ItemFailure, SourceContext, SourceError

# Eleventy/Jekyll template tags such as {% picture ... %} are not article text.
_TEMPLATE_TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
_SLUG = re.compile(r"[^a-z0-9]+")
WORKOUT_FIELDS = ("focus", "equipment", "level", "progression", "video")


@dataclass(frozen=True)
class MarkdownFolder:
    kind: str
    KEYS = frozenset({"path"})
    REQUIRED = ("path",)

    def read(self, source, context: SourceContext) -> Iterator[Item | ItemFailure]:
        """Every file in the folder; the run's content hash tells what changed."""
        folder = source.path()
        if not folder.is_dir():
            raise SourceError(f"{folder}: no such folder")
        for path in sorted(folder.glob("*.md")):
            try:
                post = frontmatter.loads(path.read_text(encoding="utf-8"))
                yield self.item(post.metadata, post.content, path, source.name)
            except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, TypeError) as exc:
                yield ItemFailure(path.name, f"{type(exc).__name__}: {exc}".splitlines()[0])

    def item(self, meta: dict, body: str, path: Path, source_name: str) -> Item:
        title = str(meta.get("title") or meta.get("name") or "").strip()
        if not title:
            raise ValueError("front matter has no title")
        html, blocks = render_blocks(_TEMPLATE_TAGS.sub("", body))
        url = str(meta["url"]) if meta.get("url") else None
        minutes = meta.get("duration")
        return Item(
            id=f"{self.kind}:{slug_for(path, url)}",
            kind=self.kind,
            title=title,
            source=source_name,
            source_url=url,
            published=str(meta["date"])[:10] if meta.get("date") else None,
            duration=int(minutes) * 60 if self.kind == "workout" and _is_number(minutes) else None,
            description=str(meta.get("description") or ""),
            tags=_strings(meta.get("tags")),
            people=_strings(meta.get("author")),
            body_html=sanitize(html),
            extra={k: meta[k] for k in WORKOUT_FIELDS if meta.get(k)} if self.kind == "workout" else {},
            segments=tuple(Segment(text=block) for block in blocks),
            raw={"metadata": _plain(meta), "body": body},
        )


def slug_for(path: Path, canonical_url: str | None) -> str:
    """A stable slug: the canonical URL's last path part, else the file name."""
    if canonical_url:
        parts = [p for p in urlparse(canonical_url).path.split("/") if p]
        if parts:
            return _SLUG.sub("-", parts[-1].lower()).strip("-") or path.stem
    return _SLUG.sub("-", path.stem.lower()).strip("-")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _plain(meta: dict) -> dict:
    """Front matter with dates as text, so it can be stored as JSON."""
    return {k: (v if isinstance(v, str | int | float | bool | list | type(None)) else str(v)) for k, v in meta.items()}


articles = MarkdownFolder("article")
workouts = MarkdownFolder("workout")
