"""Plain data passed between sources, the store, the index and the web.

Every value is checked when an object is made: a number of seconds is finite and in range, a
date is a real date. A hostile source (a 1e400 duration, a NaN chapter start) therefore fails
its own item with `InvalidItem` and never reaches SQLite, the index or a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

KINDS = ("video", "podcast", "article", "workout", "collection")
CAPTION_SOURCES = ("manual", "auto", "none")
MAX_SECONDS = 1_000_000  # about 11.5 days: longer than any recording a catalog holds
FIRST_YEAR, LAST_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InvalidItem(ValueError):
    """A value no catalog can hold (not finite, out of range, not a date); says which, in one line."""


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

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, float(seconds(value, f"segment {name}")))
        for _, second in self.cue_times:
            seconds(second, "segment cue second")


@dataclass(frozen=True)
class Chapter:
    start: float
    title: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", float(seconds(self.start, f"chapter {_shown(self.title)} start")))


@dataclass(frozen=True)
class Item:
    """One published thing of the coach's, normalised from whatever source brought it."""

    id: str
    kind: str
    title: str
    source: str
    source_url: str | None = None
    published: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    duration: int | None = None  # seconds (a float given is cut to whole seconds)
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

    def __post_init__(self) -> None:
        if self.duration is not None:
            object.__setattr__(self, "duration", int(seconds(self.duration, "duration")))
        if self.published is not None:
            _check_date(self.published)


def seconds(value: object, what: str) -> int | float:
    """`value` if it is a number of seconds from 0 to MAX_SECONDS, else InvalidItem naming `what`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_SECONDS:
        raise InvalidItem(f"{what} is {_shown(value)}, not a number of seconds from 0 to {MAX_SECONDS}")
    return value


def _check_date(value: object) -> None:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and _ISO_DATE.fullmatch(value) else None
    except ValueError:  # 2024-02-30
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidItem(f"published is {_shown(value)}, not a date (YYYY-MM-DD, {FIRST_YEAR} to {LAST_YEAR})")


def _shown(value: object) -> str:
    """A value as it can be quoted in one short line: a 400-digit number is not written out."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a number of about {round(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= 24 else text[:20] + "…"
