"""Cues joined into 15–40 s segments: long enough to read as a search hit, short enough to jump to."""

from __future__ import annotations

import re

from catalog.models import Segment
from indexer.captions import Cue

# a sentence ends at . ? ! or … possibly followed by closing quotes or brackets
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")


def segment_cues(
    cues: list[Cue],
    min_seconds: float = 15,
    max_seconds: float = 40,
    pause_seconds: float = 1.5,
) -> list[Segment]:
    """Join de-duplicated cues into time-coded segments.

    A segment closes at a sentence end or a pause once it lasts `min_seconds`,
    always before it would pass `max_seconds` (so unpunctuated auto-captions
    are cut at a cue boundary), and always when the speaker changes.
    """
    segments: list[Segment] = []
    current: list[Cue] = []
    for cue in cues:
        if not cue.text.strip():
            continue
        if current and _closes_before(current, cue, min_seconds, max_seconds, pause_seconds):
            segments.append(_join(current))
            current = []
        current.append(cue)
    if current:
        segments.append(_join(current))
    return segments


def _closes_before(current: list[Cue], cue: Cue, min_seconds: float, max_seconds: float, pause_seconds: float) -> bool:
    """Whether the segment built from `current` must end before `cue` joins it."""
    last = current[-1]
    if cue.speaker != last.speaker or cue.end - current[0].start > max_seconds:
        return True
    if last.end - current[0].start < min_seconds:
        return False
    return bool(_SENTENCE_END.search(last.text.rstrip())) or cue.start - last.end >= pause_seconds


def _join(cues: list[Cue]) -> Segment:
    """One segment; `cue_times` keeps where each cue starts, so a hit can name its exact second."""
    parts: list[str] = []
    cue_times: list[tuple[int, float]] = []
    offset = 0
    for cue in cues:
        words = " ".join(cue.text.split())
        if words:
            cue_times.append((offset, cue.start))
            parts.append(words)
            offset += len(words) + 1
    return Segment(
        text=" ".join(parts),
        start=cues[0].start,
        end=cues[-1].end,
        speaker=cues[0].speaker,
        cue_times=tuple(cue_times),
    )
