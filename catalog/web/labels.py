"""What visitors read instead of the maintainer's vocabulary: names and tags as their sources
wrote them (the index keeps them folded, so matching ignores case), and each source's title.

Both are looked up once per request; the names once per generation too, since they only
change when a new generation is published.
"""

from __future__ import annotations

from flask import g

from catalog.storage import store
from catalog.web.resources import get_db, run_live

# Where an item names its own show or channel, best first: the source's own name for it.
OWN_NAMES = ("show", "series", "channel", "uploader", "site")


def facet_key(value: str) -> str:
    """A tag's or a person's facet value as the index stores it (`catalog.engine.whoosh.schema.document`)."""
    return value.replace(",", " ").strip().lower()


def names_as_written() -> dict[str, dict[str, str]]:
    """{"tag": {"m55": "M55"}, "person": {"harold okafor": "Harold Okafor"}} for the live catalog."""
    if "names_as_written" not in g:
        # Without an index a value reads as it is stored, folded: a label is never worth an error.
        g.names_as_written = run_live(
            lambda generation: generation.remember(("names-as-written",), lambda: _names(get_db())), otherwise={}
        )
    return g.names_as_written


def _names(db) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {"tag": {}, "person": {}, "speaker": {}}
    for facet, name in store.names_as_written(db):
        names[facet].setdefault(facet_key(name), name)
    for folded, name in names["person"].items():
        names["speaker"].setdefault(folded, name)
    return names


def name_as_written(facet: str, value: str) -> str | None:
    """A folded facet value ("m55") as its source wrote it ("M55"), if it is a name or a tag."""
    return names_as_written().get(facet, {}).get(value)


def source_label(item: dict) -> str | None:
    """The title a visitor sees for where an item (or a search result) comes from: the
    source's `title` in sources.toml, else the show's or channel's own name, else nothing
    (never the config key)."""
    if "source_titles" not in g:
        g.source_titles = store.source_titles(get_db())
    titled = g.source_titles.get(item.get("source"))
    if titled:
        return titled
    extra = item["extra"] if "extra" in item else _extra_of(item["id"])
    return next((str(extra[key]) for key in OWN_NAMES if extra.get(key)), None)


def _extra_of(item_id: str) -> dict:
    """The kind-specific fields of an item a search result does not carry."""
    row = store.get_item(get_db(), item_id)
    return row["extra"] if row else {}
