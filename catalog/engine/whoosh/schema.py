"""The Whoosh schema, and how an Item becomes its index document.

One document per item: title, chapter titles, tags, people, description and the full
transcript or body, the facet fields, and `units`, the stored map from word positions to
segments and chapters (see catalog.engine.whoosh.moments). Ranking, totals, facets and paging run over
these documents, so one item is one hit and BM25F weighs all its fields together; the
moments of the page's items are read from the positions of the query's words in them.
Segment text is not stored in the index; SQLite holds it and the highlighter reads it there.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import fields

from catalog.engine.whoosh.tokenizer import RunningTokenizer
from catalog.storage.models import Item
from catalog.text.analysis import token_count
from catalog.text.vocabulary import fold

# Query-time weights: title, then chapter titles, then tags and people, then description,
# then transcript (see catalog.engine.whoosh.searcher).
FIELD_WEIGHTS = {
    "title": 6.0,
    "chapters": 4.0,
    "tags_text": 3.0,
    "people_text": 3.0,
    "description": 2.0,
    "transcript": 1.0,
}
DURATION_BUCKETS = ((10 * 60, "under-10"), (30 * 60, "10-30"), (60 * 60, "30-60"))


def build_schema() -> fields.Schema:
    text = RunningTokenizer()
    return fields.Schema(
        item_id=fields.ID(stored=True, sortable=True),
        units=fields.STORED,
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


def built_by_this_version(schema: fields.Schema) -> bool:
    """Whether an index has this version's fields: an older generation (one with segment
    documents, say) can be neither searched nor extended, only rebuilt."""
    return _signature(schema) == _signature(build_schema())


def _signature(schema: fields.Schema) -> dict[str, tuple]:
    """Each field's type and, for text, the version of the analysis that made its terms."""
    return {
        name: (type(field).__name__, getattr(getattr(field, "analyzer", None), "version", None))
        for name, field in schema.items()
    }


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


def unit_map(item: Item) -> dict:
    """Where each segment and chapter ends in its field's word positions, with its start
    second and speaker: what a search needs to turn a word position into a moment."""
    return {
        "transcript": {
            "ends": _ends(s.text for s in item.segments),
            "starts": [s.start for s in item.segments],
            "speakers": [s.speaker or "" for s in item.segments],
        },
        "chapters": {
            "ends": _ends(c.title for c in item.chapters),
            "starts": [c.start for c in item.chapters],
            "speakers": ["" for _ in item.chapters],
        },
    }


def _ends(texts: Iterable[str]) -> list[int]:
    ends, position = [], 0
    for text in texts:
        position += token_count(text)
        ends.append(position)
    return ends


def document(item: Item) -> dict:
    """The item's index document: every field it is found by, its facets and its unit map."""
    speakers = sorted({s.speaker for s in item.segments if s.speaker})
    return {
        "item_id": item.id,
        "units": unit_map(item),
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
