"""Source kinds, each read by one reader: "module" or "module:attribute" under indexer.sources.

A reader is an `indexer.sources.base.Reader`: `read(source, context)` yields what that module
says. Which known items it fetches again is `indexer.sources.refresh.Refresh`'s rule; its options
are declared and checked in `indexer.options`, never by the reader. Readers are imported only
when a run reads a source of their kind, so a run without YouTube sources never loads yt-dlp,
and a reader that cannot be imported fails its own sources only.
"""

from __future__ import annotations

import importlib

from indexer.sources.base import Reader

KINDS = {
    "youtube": "youtube:channels",
    "video": "youtube:pages",
    "ytdlp-folder": "ytdlp_folder",
    "podcast": "podcast",
    "articles": "articles",
    "workouts": "markdown_folder:workouts",
    "collections": "collections",
}


def reader(kind: str) -> Reader:
    """The reader of a source kind: its module, or the object named after the colon."""
    module_name, _, attribute = KINDS[kind].partition(":")
    module = importlib.import_module(f"indexer.sources.{module_name}")
    return getattr(module, attribute) if attribute else module
