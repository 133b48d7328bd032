"""Plain data passed between sources, the store, the index and the web."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("video", "podcast", "article", "workout")
CAPTION_SOURCES = ("manual", "auto", "none")


@dataclass(frozen=True)
class Segment:
    """A stretch of transcript or body text.

    `start`/`end` are seconds for timed media and None for articles and workouts,
    whose text is split into paragraphs instead.
    """

    text: str
    start: float | None = None
    end: float | None = None
    speaker: str | None = None
    # (character offset in `text`, second) where each caption cue begins, so a match
    # inside a 40 s segment still links to the second its words were said.
    cue_times: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str


@dataclass(frozen=True)
class Item:
    """One published thing of the coach's, normalised from whatever source brought it."""

    id: str
    kind: str
    title: str
    source: str
    source_url: str | None = None
    published: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    duration: int | None = None  # seconds
    description: str = ""
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    thumbnail: str | None = None
    captions: str = "none"  # manual, auto or none: where the transcript came from
    media_url: str | None = None  # audio/video file for the HTML5 player
    youtube_id: str | None = None  # set when the YouTube embed can play it
    body_html: str | None = None  # sanitised HTML of articles and workouts
    extra: dict = field(default_factory=dict)  # kind-specific fields (workout focus, author, ...)
    segments: tuple[Segment, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    raw: dict | None = None  # the source payload, kept so normalisation can be re-run offline
