"""Cues joined into 15–40 s segments: long enough to read as a search hit, short enough to jump to.

No segment holds more than MAX_SEGMENT_CHARS characters: a cue longer than that (a whole talk
pasted into one caption, a hostile 20 MB cue) is first split into pieces of whole words, each
timed where it falls in the cue, so every stored unit stays small and its times stay in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from catalog.storage.models import Segment
from indexer.captions import Cue

# a sentence ends at . ? ! or … possibly followed by closing quotes or brackets
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")
MAX_SEGMENT_CHARS = 2000  # a normal 40 s segment holds about 600


def segment_cues(
    cues: list[Cue],
    min_seconds: float = 15,
    max_seconds: float = 40,
    pause_seconds: float = 1.5,
) -> list[Segment]:
    """Join de-duplicated cues into time-coded segments.

    A segment closes at a sentence end or a pause once it lasts `min_seconds`,
    always before it would pass `max_seconds` (so unpunctuated auto-captions
    are cut at a cue boundary) or MAX_SEGMENT_CHARS, and always when the speaker changes.
    """
    segments: list[Segment] = []
    current: list[Cue] = []
    length = 0  # characters of the segment being built
    for cue in (piece for whole in cues for piece in _bounded(whole)):
        words = len(" ".join(cue.text.split()))
        if not words:
            continue
        too_long = length + 1 + words > MAX_SEGMENT_CHARS
        if current and (too_long or _closes_before(current, cue, min_seconds, max_seconds, pause_seconds)):
            segments.append(_join(current))
            current, length = [], 0
        current.append(cue)
        length += words + (1 if length else 0)
    if current:
        segments.append(_join(current))
    return segments


def _bounded(cue: Cue) -> Iterator[Cue]:
    """The cue itself, or, when longer than MAX_SEGMENT_CHARS, pieces of whole words (a word
    longer than that is cut), each starting where its first character falls in the cue."""
    words = cue.text.split() if len(cue.text) > MAX_SEGMENT_CHARS else None
    if words is None or len(" ".join(words)) <= MAX_SEGMENT_CHARS:
        yield cue
        return
    pieces: list[str] = []
    piece: list[str] = []
    length = 0
    for word in (w[i : i + MAX_SEGMENT_CHARS] for w in words for i in range(0, len(w), MAX_SEGMENT_CHARS)):
        if piece and length + 1 + len(word) > MAX_SEGMENT_CHARS:
            pieces.append(" ".join(piece))
            piece, length = [], 0
        length += len(word) + (1 if piece else 0)
        piece.append(word)
    pieces.append(" ".join(piece))
    total = sum(map(len, pieces)) + len(pieces) - 1
    starts, offset = [], 0
    for text in pieces:
        starts.append(cue.start + (cue.end - cue.start) * offset / total)
        offset += len(text) + 1
    for text, start, end in zip(pieces, starts, [*starts[1:], cue.end], strict=True):
        yield Cue(start, end, text, cue.speaker)


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
