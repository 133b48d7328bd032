"""Podcasting 2.0 transcripts (podcast:transcript) in any of the spec's formats, read into cues.

See https://github.com/Podcastindex-org/podcast-namespace (transcripts). VTT and
SRT go through `captions`; JSON and HTML are read here. Word-level JSON is kept
as is: joining words into phrases is the segmenter's job.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from html.parser import HTMLParser
from typing import Protocol, TypeVar

from indexer.captions import CaptionError, Cue, checked, parse_captions
from indexer.markdown_transcript import parse_markdown_transcript

# best first: timed voices, then timed speakers, then timings only, then paragraph times,
# then times interpolated between sparse marks
TRANSCRIPT_PREFERENCE = ("vtt", "json", "srt", "html", "markdown")

_FORMATS = {
    "text/vtt": "vtt",
    "vtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "srt": "srt",
    "application/json": "json",
    "json": "json",
    "text/html": "html",
    "html": "html",
    "text/markdown": "markdown",
    "markdown": "markdown",
    "md": "markdown",
}
_CLOCK = re.compile(r"(?:(\d{1,6}):)?(\d{1,6}):(\d\d(?:\.\d{1,9})?)")


def transcript_format(mime_or_ext: str) -> str | None:
    """ "vtt", "srt", "json", "html" or "markdown" for a MIME type or file extension, None if unsupported."""
    return _FORMATS.get(mime_or_ext.split(";")[0].strip().lower().lstrip("."))


def language_rank(language: str, languages: Sequence[str]) -> int | None:
    """Position of the first configured language `language` belongs to ("en-US" and "en-orig"
    belong to "en"), ignoring case; None if it belongs to none."""
    language = language.lower()
    return next(
        (
            rank
            for rank, wanted in enumerate(code.lower() for code in languages)
            if language == wanted or language.startswith(f"{wanted}-")
        ),
        None,
    )


class Offered(Protocol):
    """A transcript an episode offers: its format ("vtt", … or None if unreadable) and language."""

    @property
    def format(self) -> str | None: ...

    @property
    def language(self) -> str | None: ...


OfferedT = TypeVar("OfferedT", bound=Offered)


def best_first(offered: Iterable[OfferedT], languages: Sequence[str]) -> list[OfferedT]:
    """The readable transcripts worth trying, best first: by the configured languages in their
    order, then by TRANSCRIPT_PREFERENCE, then as offered. A language takes its variants ("en"
    takes en-GB); one of no stated language, or any when none are configured, counts as the
    first; one in a language nobody configured is left out."""

    def rank_of(language: str | None) -> int | None:
        return language_rank(language, languages) if language and languages else 0

    ranked = [
        ((rank, TRANSCRIPT_PREFERENCE.index(transcript.format)), transcript)
        for transcript in offered
        if transcript.format and (rank := rank_of(transcript.language)) is not None
    ]
    return [transcript for _, transcript in sorted(ranked, key=lambda pair: pair[0])]


def parse_transcript(text: str, mime_or_ext: str) -> list[Cue]:
    """Cues of a transcript given its MIME type or extension; CaptionError if it is broken."""
    fmt = transcript_format(mime_or_ext)
    if fmt in ("vtt", "srt"):
        return parse_captions(text, fmt)
    if fmt == "json":
        return _parse_json(text)
    if fmt == "html":
        return _parse_html(text)
    if fmt == "markdown":
        return parse_markdown_transcript(text)
    raise CaptionError(f"unsupported transcript type {mime_or_ext!r}")


def json_list(text: str, key: str, what: str, error: type[ValueError] = CaptionError) -> list:
    """The list under `key` of a JSON document, or `error` saying what is wrong with it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise error("unreadable JSON: nested too deeply") from None
    except ValueError as exc:  # a number past Python's limit on integer digits
        raise error(f"unreadable JSON: {exc}".split(";")[0]) from None
    found = data.get(key) if isinstance(data, dict) else None
    if not isinstance(found, list):
        raise error(f'not a JSON {what}: no "{key}" list')
    return found


def _parse_json(text: str) -> list[Cue]:
    segments = json_list(text, "segments", "transcript")
    cues = []
    for number, segment in enumerate(segments, 1):
        if not isinstance(segment, dict) or not {"startTime", "endTime", "body"} <= segment.keys():
            raise CaptionError(f"segment {number}: needs startTime, endTime and body")
        try:
            start, end = float(segment["startTime"]), float(segment["endTime"])
        except (TypeError, ValueError, OverflowError):  # OverflowError: a 400-digit integer
            start = end = math.nan
        if not (math.isfinite(start) and math.isfinite(end)):
            raise CaptionError(f"segment {number}: startTime and endTime must be numbers of seconds")
        body = " ".join(str(segment["body"]).split())
        speaker = str(segment.get("speaker") or "").strip() or None
        if body:
            cues.append(Cue(start, end, body, speaker))
    return checked(cues)


class _HtmlTranscript(HTMLParser):
    """Collects (speaker, start, text) from the spec's `<cite>`, `<time>` and `<p>` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str | None, float, str]] = []
        self._open: str | None = None
        self._data: list[str] = []
        self._speaker: str | None = None
        self._start: float | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("cite", "time", "p"):
            self._open, self._data = tag, []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._data.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != self._open:
            return
        self._open = None
        text = " ".join("".join(self._data).split())
        if tag == "cite":
            self._speaker = text.rstrip(":").strip() or None
        elif tag == "time":
            self._start = _clock(text)
        elif text:
            if self._start is None:
                raise CaptionError(f"paragraph {len(self.paragraphs) + 1}: no <time> before it")
            self.paragraphs.append((self._speaker, self._start, text))


def _clock(value: str) -> float:
    match = _CLOCK.fullmatch(value)
    if not match:
        raise CaptionError(f"bad <time> {value[:24]!r}: expected m:ss or h:mm:ss")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)


def _parse_html(text: str) -> list[Cue]:
    """Each paragraph lasts until the next one starts; the last one's end is unknown, so it is its start."""
    parser = _HtmlTranscript()
    parser.feed(text)
    parser.close()
    paragraphs = parser.paragraphs
    ends = [start for _, start, _ in paragraphs[1:]] + [paragraphs[-1][1]] if paragraphs else []
    return checked(
        [Cue(start, end, body, speaker) for (speaker, start, body), end in zip(paragraphs, ends, strict=True)]
    )
