"""Source kinds, each read by one reader: "module" or "module:attribute" under indexer.sources.

A reader has `read(source, context)`; see `indexer.sources.base` for what it yields. Its options
are declared and checked in `indexer.options`, never by the reader. Readers are imported only
when a run reads a source of their kind, so a run without YouTube sources never loads yt-dlp,
and a reader that cannot be imported fails its own sources only.
"""

from __future__ import annotations

import importlib
from types import ModuleType

KINDS = {
    "youtube": "youtube:channels",
    "video": "youtube:pages",
    "ytdlp-folder": "ytdlp_folder",
    "podcast": "podcast",
    "articles": "articles",
    "workouts": "markdown_folder:workouts",
    "collections": "collections",
}


def reader(kind: str) -> ModuleType:
    """The reader of a source kind (a module or an object with the same three names)."""
    module_name, _, attribute = KINDS[kind].partition(":")
    module = importlib.import_module(f"indexer.sources.{module_name}")
    return getattr(module, attribute) if attribute else module
