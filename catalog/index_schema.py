"""The two Whoosh indexes of a generation, and how an Item becomes their documents.

- `items/`: one document per item (title, chapter titles, tags, people, description and the
  full transcript or body) plus the facet fields. Ranking, totals, facets and paging run
  here, so one item is one hit and BM25F weighs all its fields together.
- `moments/`: one document per transcript segment (15-40 s) or paragraph (field `doc` is
  `seg`) and per chapter title (`chap`), each with its start second. A hit here is a moment:
  it knows its second. Moment searches are restricted to the items on the current page.
Two indexes, not one: the item index's postings list items only, so ranking never reads
past a catalog's worth of segment postings, and the two are written in parallel.
Segment text is not stored in the index; SQLite holds it and the highlighter reads it there.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh import fields

from catalog.analysis import stemmed_analyzer
from catalog.models import Item
from catalog.vocabulary import fold

# Query-time weights: title, then chapter titles, then tags and people, then description,
# then transcript (see catalog.engine).
FIELD_WEIGHTS = {
    "title": 6.0,
    "chapters": 4.0,
    "tags_text": 3.0,
    "people_text": 3.0,
    "description": 2.0,
    "transcript": 1.0,
}
FACETS = ("kind", "tag", "person", "year", "duration", "captions")
FILTERS = (*FACETS, "speaker")
DURATION_BUCKETS = ((10 * 60, "under-10"), (30 * 60, "10-30"), (60 * 60, "30-60"))


ITEMS, MOMENTS = "items", "moments"  # the generation's two index folders


def item_schema() -> fields.Schema:
    text = stemmed_analyzer()
    return fields.Schema(
        item_id=fields.ID(stored=True, sortable=True),
        speaker=fields.KEYWORD(commas=True),  # full names and their words, folded
        title=fields.TEXT(analyzer=text, phrase=True),
        chapters=fields.TEXT(analyzer=text, phrase=True),
        tags_text=fields.TEXT(analyzer=text, phrase=True),
        people_text=fields.TEXT(analyzer=text, phrase=True),
        description=fields.TEXT(analyzer=text, phrase=True),
        transcript=fields.TEXT(analyzer=text, phrase=True),
        kind=fields.ID(sortable=True),
        tag=fields.KEYWORD(commas=True, lowercase=True),
        person=fields.KEYWORD(commas=True, lowercase=True),
        year=fields.ID(sortable=True),
        duration=fields.ID(sortable=True),
        captions=fields.ID(sortable=True),
        published=fields.ID(sortable=True),
    )


def moment_schema() -> fields.Schema:
    text = stemmed_analyzer()
    return fields.Schema(
        doc=fields.ID(stored=True),
        item_id=fields.ID(stored=True),
        seq=fields.NUMERIC(int, stored=True),
        start=fields.NUMERIC(float, stored=True),
        speaker=fields.KEYWORD(commas=True),
        transcript=fields.TEXT(analyzer=text, phrase=True),
        chapters=fields.TEXT(analyzer=text, phrase=True),
    )


SCHEMAS = {ITEMS: item_schema, MOMENTS: moment_schema}


def duration_bucket(seconds: int | None) -> str:
    if not seconds:
        return "unknown"
    for limit, name in DURATION_BUCKETS:
        if seconds < limit:
            return name
    return "over-60"


def speaker_keys(name: str) -> list[str]:
    """A speaker is found by full name or by any one of its words: "marisol vega", "vega"."""
    full = " ".join(fold(name).replace(",", " ").split())
    return list(dict.fromkeys([full, *full.split()])) if full else []


def _keywords(values: tuple[str, ...]) -> str:
    return ",".join(v.replace(",", " ").strip().lower() for v in values if v.strip())


def moment_documents(item: Item) -> Iterator[dict]:
    """One document per segment (or paragraph) and per chapter of the item."""
    for seq, segment in enumerate(item.segments):
        doc = {"doc": "seg", "item_id": item.id, "seq": seq, "transcript": segment.text}
        if segment.start is not None:
            doc["start"] = float(segment.start)
        if segment.speaker:
            doc["speaker"] = ",".join(speaker_keys(segment.speaker))
        yield doc
    for seq, chapter in enumerate(item.chapters):
        yield {
            "doc": "chap",
            "item_id": item.id,
            "seq": seq,
            "start": float(chapter.start),
            "chapters": chapter.title,
        }


def item_documents(item: Item) -> Iterator[dict]:
    """The item's one document in the item index: every field it is found by, and its facets."""
    speakers = sorted({s.speaker for s in item.segments if s.speaker})
    yield {
        "item_id": item.id,
        "title": item.title,
        "chapters": "\n".join(c.title for c in item.chapters),
        "tags_text": " ; ".join(item.tags),
        "people_text": " ; ".join((*item.people, *speakers)),
        "description": item.description,
        "transcript": "\n".join(s.text for s in item.segments),
        "kind": item.kind,
        "tag": _keywords(item.tags),
        "person": _keywords(tuple(dict.fromkeys((*item.people, *speakers)))),
        "year": (item.published or "")[:4] or "unknown",
        "duration": duration_bucket(item.duration),
        "captions": item.captions,
        "published": item.published or "",
        "speaker": ",".join(key for name in speakers for key in speaker_keys(name)),
    }


DOCUMENTS = {ITEMS: item_documents, MOMENTS: moment_documents}
