"""WebVTT and SRT captions read into plain cues, and YouTube's rolling auto-captions undone.

Parsing is webvtt-py's; this module adds what it leaves to the caller: one clear
error for broken files (it skips malformed cues silently), entities, speakers,
and the de-duplication that keeps auto-captioned words from being indexed twice.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, replace

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from catalog.storage.models import MAX_SECONDS


@dataclass(frozen=True)
class Cue:
    """Timed caption text; `text` keeps the caption's lines, joined by newlines."""

    start: float
    end: float
    text: str
    speaker: str | None = None


class CaptionError(ValueError):
    """A caption or transcript file that cannot be read; the message says why, on one line."""


_TIMESTAMPS = {"vtt": r"(?:\d+:)?[0-5]?\d:[0-5]?\d\.\d+", "srt": r"\d+:[0-5]?\d:[0-5]?\d[.,]\d+"}
_TIMINGS = {fmt: re.compile(rf"\s*{ts}\s*-->\s*{ts}(?:\s|$)") for fmt, ts in _TIMESTAMPS.items()}
_PARTIAL_TIMESTAMP = re.compile(r"\s*\d+:[\d:.,]*\s*")
# "Travis: ..." or "Mary Ann Lee: ..." opening a cue names who speaks.
_LABEL = re.compile(r"([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2}):(?:\s+(.*))?")
_RECENT_LINES = 3  # how many emitted lines a rolling repeat is compared with


def parse_vtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file, with `<v>` voices and `Name:` labels as speakers."""
    return parse_captions(text, "vtt")


def parse_srt(text: str) -> list[Cue]:
    """Cues of a SubRip file, with `Name:` labels as speakers."""
    return parse_captions(text, "srt")


def parse_captions(text: str, fmt: str) -> list[Cue]:
    """Cues of a caption file in `fmt` ("vtt" or "srt"); CaptionError if it is broken."""
    fmt = fmt.lower()
    if fmt not in _TIMINGS:
        raise CaptionError(f"unknown caption format {fmt!r} (expected 'vtt' or 'srt')")
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise CaptionError("empty caption file")
    if fmt == "vtt" and not text.startswith("WEBVTT"):
        raise CaptionError("not a WebVTT file: missing WEBVTT header")
    _check_timings(text, fmt)
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt).captions
    except MalformedFileError:  # only SRT gets here: the WebVTT header was checked above
        raise CaptionError("not an SRT file: expected a cue number and a timing line first") from None
    except (MalformedCaptionError, ValueError, IndexError) as error:
        raise CaptionError(f"unreadable {fmt} file: {error}") from None
    return checked(_to_cues(captions))


def checked(cues: list[Cue]) -> list[Cue]:
    """Return `cues`, or raise CaptionError if there are none, or one ends before it starts or
    is timed outside 0 to MAX_SECONDS (an hour of 5,000 digits, a NaN)."""
    if not cues:
        raise CaptionError("no cues")
    for number, cue in enumerate(cues, 1):
        if cue.end < cue.start:
            raise CaptionError(f"cue {number}: end before start")
        if not 0 <= cue.start <= cue.end <= MAX_SECONDS:
            raise CaptionError(f"cue {number}: times are not seconds from 0 to {MAX_SECONDS}")
    return cues


def _check_timings(text: str, fmt: str) -> None:
    """Fail on the timing lines webvtt-py would silently drop, such as a truncated last one."""
    lines = text.rstrip().splitlines()
    number = 0
    for line in lines:
        if "-->" in line:
            number += 1
            if not _TIMINGS[fmt].match(line):
                raise CaptionError(f"cue {number}: malformed timing line {line.strip()!r}")
    if _PARTIAL_TIMESTAMP.fullmatch(lines[-1]):
        raise CaptionError(f"truncated: file ends inside a timing line {lines[-1].strip()!r}")


def _to_cues(captions: list[webvtt.Caption]) -> list[Cue]:
    """Clean each caption's text; a speaker stays until another is named."""
    cues = []
    speaker = None
    for caption in captions:
        lines = [" ".join(html.unescape(line).split()) for line in caption.text.split("\n")]
        lines = [line for line in lines if line]
        label = _LABEL.fullmatch(lines[0]) if lines else None
        if label:
            lines = ([label[2]] if label[2] else []) + lines[1:]
        speaker = html.unescape(caption.voice) if caption.voice else (label[1] if label else None) or speaker
        if lines:
            start, end = (t.in_milliseconds() / 1000 for t in (caption.start_time, caption.end_time))
            cues.append(Cue(start, end, "\n".join(lines), speaker))
    return cues


def _norm(line: str) -> str:
    return " ".join(line.casefold().split())


def looks_rolling(cues: list[Cue]) -> bool:
    """Whether most cues open with a line of the cue before, as YouTube auto-captions do.

    Manual captions almost never do, so they are left exactly as written.
    """
    if len(cues) < 2:
        return False
    repeats = sum(
        _norm(cur.text.split("\n")[0]) in {_norm(line) for line in prev.text.split("\n")}
        for prev, cur in zip(cues, cues[1:], strict=False)
    )
    return repeats >= (len(cues) - 1) / 2


def collapse_rolling(cues: list[Cue]) -> list[Cue]:
    """Keep each auto-caption line once, timed by the cue where it first appeared.

    Rolling two-line cues repeat the previous line, 10 ms "flash" cues repeat
    the line just shown, and a growing line repeats its own start. Lines are
    compared whole with the last few emitted, so a "yeah yeah" said once stays.
    """
    if not looks_rolling(cues):
        return list(cues)
    out = []
    recent: list[str] = []
    for cue in cues:
        fresh = []
        shown: set[str] = set()
        for line in cue.text.split("\n"):
            new = _new_words(line, recent, shown)
            if new:
                fresh.append(new)
                recent = (recent + [_norm(line)])[-_RECENT_LINES:]
            shown.add(_norm(line))
        if fresh:
            out.append(replace(cue, text="\n".join(fresh)))
    return out


def _new_words(line: str, recent: list[str], shown: set[str]) -> str:
    """The part of `line` not emitted yet: all of it, none, or the words extending the last line.

    A line only grows in place: when the last line is still shown above it in
    the same cue, this line is a new one that happens to start the same way.
    """
    norm = _norm(line)
    if not norm or norm in recent:
        return ""
    words = line.split()
    last = recent[-1].split() if recent and recent[-1] not in shown else []
    if len(words) > len(last) and [w.casefold() for w in words[: len(last)]] == last:
        words = words[len(last) :]
    return " ".join(words)
