"""Caption or transcript text in, stored segments out: parse, de-duplicate, segment."""

from __future__ import annotations

from catalog.storage.models import Segment
from indexer.captions import collapse_rolling, looks_rolling
from indexer.segmenting import segment_cues
from indexer.transcripts import parse_transcript


def segments_from(text: str, fmt: str, auto: bool = False) -> list[Segment]:
    """Segments of a caption/transcript file; CaptionError if it does not parse.

    Auto-captions, and anything that looks like YouTube's rolling style, are
    de-duplicated first so each spoken word is stored once.
    """
    cues = parse_transcript(text, fmt)
    if auto or looks_rolling(cues):
        cues = collapse_rolling(cues)
    return segment_cues(cues)
