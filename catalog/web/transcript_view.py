"""A transcript as a visitor reads it: caption cues with their own seconds, in paragraphs.

The store keeps 15–40 s segments (what search ranks); read as they are, those are walls of
text cut mid-sentence. Here the cues inside them come back out, each with the second it
starts, and are laid out again for reading: a paragraph ends where the speaker changes, a
chapter begins, or (once it has run a while) a sentence ends; unpunctuated auto-captions end
one at a cue boundary instead. The query's words are marked with the index analyzer, so a
mark covers exactly what matched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from catalog.text.marks import marked, spans_of

SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*$")
PUNCTUATED_SHARE = 0.15  # of cues ending a sentence: below this the text is unpunctuated captions
MIN_PARAGRAPH_SECONDS = 15  # a punctuated paragraph ends at the first sentence end after this
MAX_PARAGRAPH_SECONDS = 60  # ... and at a cue boundary after this, sentence or not
CAPTION_PARAGRAPH_SECONDS = 25  # unpunctuated captions: a paragraph of about this long
_LONE_I = re.compile(r"(?<![\w'’])i(?=$|[\s,.?!'’])")


@dataclass(frozen=True)
class Cue:
    start: float | None
    text: str
    html: Markup  # escaped text, the query's words in <mark>
    anchor: str | None = None  # "s-N" on the first cue of stored segment N (old links point there)


@dataclass(frozen=True)
class Paragraph:
    start: float | None
    speaker: str | None
    cues: tuple[Cue, ...]
    chapter: str | None = None  # the chapter that begins with this paragraph


@dataclass(frozen=True)
class Transcript:
    paragraphs: tuple[Paragraph, ...]
    current: Cue | None  # the cue being said at the page's second

    def until_choices(self, start: float, limit: int = 24) -> list[int]:
        """Whole seconds a clip from `start` can end at: where each of the next paragraphs ends
        (the one after it begins), so a clip never stops mid-sentence."""
        starts = sorted({int(p.start) for p in self.paragraphs if p.start is not None and p.start >= start + 2})
        return starts[:limit]


def transcript(
    segments: Iterable[dict],
    chapters: Iterable[dict] = (),
    at: float | None = None,
    terms: frozenset[str] = frozenset(),
    auto: bool = False,
) -> Transcript:
    """The stored segments (rows of `store.item_segments`) laid out for reading, with the cue
    playing at second `at` and the query `terms` marked. `auto`: auto-captions, whose lone
    lowercase "i" is written "I"."""
    cues = list(_cues(segments, terms, auto))
    punctuated = sum(bool(SENTENCE_END.search(text)) for _, text, _, _ in cues) >= PUNCTUATED_SHARE * len(cues)
    chapter_starts = sorted((c["start"], c["title"]) for c in chapters if c["start"] is not None)
    paragraphs: list[Paragraph] = []
    current: list[tuple[float | None, str, str | None, Cue]] = []
    next_chapter = 0
    opening_chapter = None
    for entry in cues:
        start, text, speaker, _ = entry
        reached = None
        while start is not None and next_chapter < len(chapter_starts) and chapter_starts[next_chapter][0] <= start:
            reached = chapter_starts[next_chapter][1]
            next_chapter += 1
        if current and (reached is not None or _closes(current, start, speaker, punctuated)):
            paragraphs.append(_paragraph(current, opening_chapter))
            current, opening_chapter = [], None
        if reached is not None:
            opening_chapter = reached
        current.append(entry)
    if current:
        paragraphs.append(_paragraph(current, opening_chapter))
    return Transcript(tuple(paragraphs), _cue_at(paragraphs, at))


def _cues(segments: Iterable[dict], terms: frozenset[str], auto: bool):
    """(start, text, speaker, Cue) for every cue of every segment, in order."""
    for segment in segments:
        text = _capitalised(segment["text"]) if auto else segment["text"]
        spans = spans_of(text, terms)
        times = json.loads(segment.get("cue_times") or "[]") or [[0, segment["start"]]]
        if segment["start"] is None:
            times = [[0, None]]
        bounds = [offset for offset, _ in times] + [len(text)]
        for n, (_, second) in enumerate(times):
            low, high = _trimmed(text, bounds[n], bounds[n + 1])
            if low >= high:
                continue
            piece = text[low:high]
            anchor = f"s-{segment['seq']}" if n == 0 else None
            cue = Cue(second, piece, marked(text, low, high, spans), anchor)
            yield second, piece, segment.get("speaker"), cue


def _trimmed(text: str, low: int, high: int) -> tuple[int, int]:
    low, high = max(0, min(low, len(text))), max(0, min(high, len(text)))
    while low < high and text[low].isspace():
        low += 1
    while high > low and text[high - 1].isspace():
        high -= 1
    return low, high


def _closes(current: list, start: float | None, speaker: str | None, punctuated: bool) -> bool:
    """Whether the paragraph built so far ends before a cue starting at `start`."""
    first_start, _, first_speaker, _ = current[0]
    if speaker != first_speaker:
        return True
    if start is None or first_start is None:
        return start is None and first_start is None  # untimed text: one paragraph per stored segment
    ran = start - first_start
    if not punctuated:
        return ran >= CAPTION_PARAGRAPH_SECONDS
    return ran >= MAX_PARAGRAPH_SECONDS or (ran >= MIN_PARAGRAPH_SECONDS and bool(SENTENCE_END.search(current[-1][1])))


def _paragraph(entries: list, chapter: str | None) -> Paragraph:
    return Paragraph(
        start=entries[0][0], speaker=entries[0][2], cues=tuple(cue for *_, cue in entries), chapter=chapter
    )


def _capitalised(text: str) -> str:
    """Auto-captions' lone "i" (and "i'm", "i'll") as "I": same length, so offsets hold."""
    return _LONE_I.sub("I", text)


def _cue_at(paragraphs: list[Paragraph], at: float | None) -> Cue | None:
    """The cue being said at second `at`: the last that starts in or before that second (a
    `?t=` is a whole second, a cue may start at 134.4 s)."""
    if at is None:
        return None
    found = None
    for paragraph in paragraphs:
        for cue in paragraph.cues:
            if cue.start is not None and int(cue.start) <= at:
                found = cue
    return found
