"""The real-material evaluation catalog: public transcripts and running posts nobody here wrote.

Built through the product's own readers from files vendored under tests/fixtures/corpus:
- the Changelog transcripts (Markdown with sparse timestamps) and a Buzzsprout episode
  (SRT), as episodes of a podcast feed written here and served on 127.0.0.1, each with
  its transcript as a `podcast:transcript`;
- the real "Run With Me" podcast feed, served as it is;
- Amy Dawson's running blog and Chris Krycho's show notes, as two folders of articles.
The judged queries of real_judgments.toml are scored against it. Like `catalog.py`, it must
not import pytest: `python -m bench.relevance` uses it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

from indexer.run import RunReport
from tests.fixture_server import FixtureServer
from tests.helpers import reindex_config

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
# guid -> (title, transcript file under CORPUS, its MIME type)
EPISODES = {
    "changelog-friends-108": ("Changelog & Friends 108: with Arun Gupta", "transcripts/changelog-friends-108.md"),
    "changelog-brain-science-4": ("Brain Science 4", "transcripts/changelog-brain-science-4.md"),
    "changelog-brain-science-23": ("Brain Science 23", "transcripts/changelog-brain-science-23.md"),
    "changelog-brain-science-1": ("Brain Science 1", "transcripts/changelog-brain-science-1.md"),
    "changelog-the-changelog-571": ("The Changelog 571", "transcripts/changelog-the-changelog-571.md"),
    "changelog-away-from-keyboard-1": ("Away From Keyboard 1", "transcripts/changelog-away-from-keyboard-1.md"),
    "buzzsprout-example": ("Podcasting Q&A: before you start a podcast", "vtt/podcastindex-example.srt"),
}
MIME = {".md": "text/markdown", ".srt": "application/x-subrip"}
QUIET = {"allow_private_network": True, "retries": 0, "timeout": 5, "sleep": 0}


@contextmanager
def served() -> Iterator[FixtureServer]:
    """The two podcast feeds and every transcript, on 127.0.0.1."""
    with FixtureServer() as server:
        items = []
        for guid, (title, path) in EPISODES.items():
            mime = MIME[Path(path).suffix]
            url = server.route(
                f"/t/{guid}{Path(path).suffix}", (CORPUS / path).read_bytes(), headers={"Content-Type": mime}
            )
            items.append(
                f'<item><title>{escape(title)}</title><guid isPermaLink="false">{guid}</guid>'
                f'<enclosure url="{server.base}/media/{guid}.mp3" type="audio/mpeg" length="1"/>'
                f'<podcast:transcript url="{escape(url)}" type="{mime}"/></item>'
            )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Talks</title>'
            f"{''.join(items)}</channel></rss>"
        )
        server.route("/talks.xml", feed, headers={"Content-Type": "application/rss+xml"})
        runwith = (CORPUS / "feeds" / "runwith-chriskrycho-feed.xml").read_bytes()
        server.route("/runwith.xml", runwith, headers={"Content-Type": "application/rss+xml"})
        yield server


def sources(server: FixtureServer) -> dict[str, dict]:
    """Every source of the real-material catalog: name -> options."""
    return {
        "talks": {"kind": "podcast", "url": server.url("/talks.xml"), **QUIET},
        "runwith": {"kind": "podcast", "url": server.url("/runwith.xml"), **QUIET},
        "skirtrunner": {"kind": "articles", "path": str(CORPUS / "articles" / "skirtrunner")},
        "runwith-notes": {"kind": "articles", "path": str(CORPUS / "articles" / "runwith-show-notes")},
    }


def build(data_dir: Path, work_dir: Path) -> RunReport:
    """Index the real material into `data_dir`; its config goes in `work_dir`."""
    with served() as server:
        lines = ["# The real-material evaluation catalog, written by tests/relevance/real_catalog.py."]
        for name, options in sources(server).items():
            lines += ["", f"[sources.{name}]", *(f"{key} = {json.dumps(value)}" for key, value in options.items())]
        return reindex_config(data_dir, work_dir, "\n".join(lines) + "\n")
