"""How catalog values read to a person: clock times, lengths, facet names and values, and what
kind of thing a suggestion is.

The only place they are formatted: the pages' Jinja filters, the labels the pages' scripts
read (data attributes and JSON) and the `catalog search` listing all take their words from
here, so a second reads "2:14" and a facet has one name wherever it is shown.
"""

from __future__ import annotations

FACET_NAMES = {
    "kind": "Kind",
    "tag": "Topic",
    "person": "Guest or host",
    "year": "Year",
    "duration": "Length",
    "captions": "Captions",
    "speaker": "Speaker",
}
KIND_NAMES = {
    "video": "Video",
    "podcast": "Podcast",
    "article": "Article",
    "workout": "Workout",
    "collection": "Collection",
}
# Facet values that are the catalog's own words; tags, names and years are data and read as they are.
VALUE_NAMES = {
    "kind": KIND_NAMES,
    "year": {"unknown": "Undated"},
    "duration": {
        "under-10": "Under 10 min",
        "10-30": "10–30 min",
        "30-60": "30–60 min",
        "over-60": "Over an hour",
        "unknown": "Length unknown",
    },
    "captions": {"manual": "Human transcript", "auto": "Auto-captions", "none": "No transcript"},
}
# What an autocomplete entry (catalog.search.suggest) points to.
SUGGESTION_NAMES = {"title": "Title", "tag": "Topic", "person": "Person", "chapter": "Chapter", "phrase": "Search"}


def clock(seconds: float | None) -> str:
    """12:34 or 1:02:03, in whole seconds rounded down; "" for no time."""
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def duration(seconds: float | None) -> str:
    """ "42 min" or "1 h 05 min"; "" for an unknown length."""
    if not seconds:
        return ""
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02} min" if minutes >= 60 else f"{minutes} min"


def facet_label(name: str) -> str:
    """A facet's name as a heading: "tag" is "Topic"."""
    return FACET_NAMES.get(name, name.capitalize())


def value_label(name: str, value: str) -> str | None:
    """A facet value in the catalog's own words ("under-10" is "Under 10 min"), or None when
    the value is data that reads as its source wrote it (a tag, a name, a year)."""
    return VALUE_NAMES.get(name, {}).get(value)


def suggestion_label(kind: str) -> str:
    """What an autocomplete entry is: "tag" is "Topic", "phrase" a "Search"."""
    return SUGGESTION_NAMES.get(kind, kind)
