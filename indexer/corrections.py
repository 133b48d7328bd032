"""The coach's transcript corrections, applied to every item of a source each time it is read.

The reader's own version of a corrected transcript is kept beside it (in the raw payload), so
every run applies the corrections file as it is now (`indexer.corrections_file`) to the
source's text as it is now: an edited or deleted correction takes effect at once, and one
that no longer matches (the captions changed upstream) is reported on every run until the
coach fixes or removes it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace

from sqlite_utils import Database

from catalog.display import clock
from catalog.storage import store
from catalog.storage.models import Item, Segment
from indexer.corrections_file import Correction
from indexer.sources.base import Notice

UNCORRECTED = "uncorrected_segments"  # the raw payload's copy of the reader's own segments


class Corrector:
    """The corrections of one source's file, by item."""

    def __init__(self, corrections: list[Correction], sources: tuple[str, ...] = ()):
        self.sources = sources  # the sources that read this file, in the run's order; each corrects its own items
        self.by_item: dict[str, list[Correction]] = defaultdict(list)
        for correction in corrections:
            self.by_item[correction.item].append(correction)

    @property
    def items(self) -> set[str]:
        return set(self.by_item)

    def apply(self, item: Item) -> tuple[Item, list[Notice]]:
        """`item` with its corrections applied to the reader's own segments, and a notice for
        each correction that no longer matches. The raw payload keeps the reader's segments."""
        corrections = self.by_item.get(item.id)
        if not corrections:
            return item, []
        raw = dict(item.raw or {})
        originals = raw.pop(UNCORRECTED, None)
        segments = _segments(originals) if originals is not None else list(item.segments)
        notices = []
        if not any(s.start is not None for s in segments):
            return replace(item, segments=tuple(segments), raw=raw or None), [
                Notice(c.label, f"{item.id} has no timed transcript to correct") for c in corrections
            ]
        corrected = list(segments)
        for correction in corrections:
            corrected, matched = _APPLY[correction.kind](corrected, correction)
            if not matched:
                notices.append(Notice(correction.label, f"no longer matches: {_missing(correction)} in {item.id}"))
        if corrected != segments:
            raw[UNCORRECTED] = [vars(s) for s in segments]
        return replace(item, segments=tuple(corrected), raw=raw or None), notices


def _segments(rows: list[dict]) -> list[Segment]:
    return [Segment(**{**row, "cue_times": tuple(tuple(pair) for pair in row.get("cue_times") or ())}) for row in rows]


def _missing(correction: Correction) -> str:
    where = _range(correction)
    if correction.kind == "fix":
        return f"{correction.find!r} is not said{where}"
    if correction.kind == "cue":
        return f"no caption cue starts at {clock(correction.start)}"
    return f"no segment is spoken by {correction.voice!r}{where}"


def _range(correction: Correction) -> str:
    if correction.start is None and correction.end is None:
        return ""
    if correction.end is None:
        return f" after {clock(correction.start)}"
    return f" between {clock(correction.start or 0)} and {clock(correction.end)}"


def _cues(segment: Segment) -> list[tuple[int, float]]:
    """Where each cue starts in the segment's text, and its second (the segment itself when it
    has no cue times)."""
    return list(segment.cue_times) or [(0, segment.start or 0.0)]


def _second_at(cues: list[tuple[int, float]], offset: int) -> float:
    return max((second for start, second in cues if start <= offset), default=cues[0][1])


def _spliced(segment: Segment, start: int, end: int, new: str) -> Segment:
    """The segment with text[start:end] replaced by `new`; cues after it move with the text."""
    text = segment.text[:start] + new + segment.text[end:]
    delta = len(new) - (end - start)
    cue_times = tuple(
        (offset if offset <= start else offset + delta if offset >= end else start + min(offset - start, len(new)), s)
        for offset, s in segment.cue_times
    )
    return replace(segment, text=text, cue_times=cue_times)


def _fix(segments: list[Segment], correction: Correction) -> tuple[list[Segment], bool]:
    words = r"\s+".join(map(re.escape, correction.find.split()))
    pattern = re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)
    matched, out = False, []
    for segment in segments:
        cues = _cues(segment)
        for found in reversed(list(pattern.finditer(segment.text))):  # from the end: offsets before stay put
            if correction.in_range(_second_at(cues, found.start())):
                segment, matched = _spliced(segment, found.start(), found.end(), correction.replace), True
        out.append(segment)
    return out, matched


def _cue(segments: list[Segment], correction: Correction) -> tuple[list[Segment], bool]:
    for n, segment in enumerate(segments):
        cues = _cues(segment)
        for index, (offset, second) in enumerate(cues):
            if correction.start <= second < correction.start + 1:
                end = cues[index + 1][0] - 1 if index + 1 < len(cues) else len(segment.text)
                return [*segments[:n], _spliced(segment, offset, end, correction.text), *segments[n + 1 :]], True
    return segments, False


def _speaker(segments: list[Segment], correction: Correction) -> tuple[list[Segment], bool]:
    matched, out = False, []
    for segment in segments:
        if segment.speaker == correction.voice and correction.in_range(segment.start or 0.0):
            segment, matched = replace(segment, speaker=correction.name), True
        out.append(segment)
    return out, matched


_APPLY = {"fix": _fix, "cue": _cue, "speaker": _speaker}


def stored_items(db: Database, corrector: Corrector, source_name: str, read: set[str]) -> Iterator[Item | Notice]:
    """The source's live items that corrections name but the run did not read, as stored (with
    the reader's own text in their raw payload), to be corrected again with the file as it is
    now; and a notice for each correction that names no live item this file can correct.

    Items of the other sources reading the same file (one file for the catalog) are theirs to
    correct; an item no source has is reported by the last of them to read (an earlier one
    cannot tell: a later one may bring it tonight)."""
    later = corrector.sources[corrector.sources.index(source_name) + 1 :] if source_name in corrector.sources else ()
    for item_id in sorted(corrector.items - read):
        row = store.get_item(db, item_id)
        theirs = row is not None and row["source"] != source_name and row["source"] in corrector.sources
        if theirs or (row is None and later):
            continue
        why = _not_correctable(row, source_name)
        if why:
            yield from (Notice(c.label, f"{item_id} {why}") for c in corrector.by_item[item_id])
        else:
            yield replace(store.load_item(db, row), raw=store.item_raw(db, item_id))


def _not_correctable(row: dict | None, source_name: str) -> str | None:
    """Why this source cannot correct the item of `row` (None when it can)."""
    if row is None:
        return "is not in the catalog"
    if row["source"] != source_name:
        return f"is an item of source {row['source']!r}, which does not read this file"
    return "is gone from its source" if row["status"] != "live" else None


def sharing(sources: Iterable) -> dict[str, tuple[str, ...]]:
    """For each source with corrections, every source reading the same file or folder, in the
    order of sources.toml (so the run reads them in that order)."""
    paths = {source.name: source.path("corrections") for source in sources if "corrections" in source.options}
    return {name: tuple(other for other, p in paths.items() if p == path) for name, path in paths.items()}
