"""Source kinds: each reader turns one kind of source into normalised Items.

A reader has `KEYS` (the config keys it accepts), `REQUIRED`, and
`read(source) -> Iterator[Item | ItemFailure]`. A failure of the whole source raises
`SourceError`; a failure of one item is yielded as an `ItemFailure`, so the rest go on.
"""

from __future__ import annotations

from indexer.sources import markdown_folder, ytdlp_folder

KINDS = {
    "ytdlp-folder": ytdlp_folder,
    "articles": markdown_folder.articles,
    "workouts": markdown_folder.workouts,
}
