"""The coach's collections of moments: `/collections`, and each collection's own page.

A collection is an item of kind "collection", so search finds it and links to
`/items/collection:SLUG` like any item; this blueprint answers that address (Werkzeug
prefers the rule with more fixed text over `pages.item`'s `/items/<path:id>`) with a player
for every moment and the coach's note under it. Which item each moment names was settled by
the last run (`collection_links`); a moment that no longer resolves stays on the page with
its note, marked as no longer available, never dropped silently.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template
from sqlite_utils import Database

from catalog import ids
from catalog.links import item_path, moment_path
from catalog.storage import store
from catalog.web.resources import get_db

bp = Blueprint("collections", __name__)
KIND = "collection"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(collections_citing)


@bp.get("/collections")
def listing():
    rows = get_db().query(
        "select id, url, title, description, extra from items where kind = ? and status = 'live' order by title, id",
        [KIND],
    )
    collections = [store.decode_item_row(row) for row in rows]
    return render_template("collections.html", collections=collections)


@bp.get(f"/items/{KIND}:<slug>")
def page(slug: str):
    db = get_db()
    collection = store.get_item(db, ids.collection_item_id(slug))
    if collection is None:
        abort(404)
    return render_template("collection.html", collection=collection, moments=moments_of(db, collection))


def moments_of(db: Database, collection: dict) -> list[dict]:
    """The collection's moments in order, each with its note and the item it plays (None, with
    the reason, when the link does not resolve)."""
    written = collection["extra"].get("moments", [])
    links = _links(db, collection["id"])
    items = store.get_items(db, [link["item_id"] for link in links.values() if link["item_id"]])
    shown = []
    for seq, moment in enumerate(written):
        link = links.get(seq, {"item_id": None, "problem": "not checked yet: it is checked at the end of every run"})
        item = items.get(link["item_id"]) if not link["problem"] else None
        start, end = moment.get("start"), moment.get("end")
        shown.append(
            {
                "seq": seq,
                "label": moment.get("label") or (item["title"] if item else moment.get("link")),
                "note_html": moment.get("note_html", ""),
                "item": item,
                "start": start,
                "end": end,
                "url": _clip_path(item["id"], start, end) if item else None,
                "problem": link["problem"],
            }
        )
    return shown


def _links(db: Database, collection_id: str) -> dict[int, dict]:
    if not db.table("collection_links").exists():  # a catalog not yet migrated by a run
        return {}
    rows = db.query("select seq, item_id, problem from collection_links where collection_id = ?", [collection_id])
    return {row["seq"]: row for row in rows}


def _clip_path(item_id: str, start: int | None, end: int | None) -> str:
    path = moment_path(item_id, start)
    return f"{path}&end={end}" if start is not None and end is not None else path


def collections_citing(item_id: str) -> list[dict]:
    """The live collections citing `item_id` with a link that resolves, each with its title,
    page and the moments it cites: what `_collections.html` lists on an item page."""
    db = get_db()
    if not db.table("collection_links").exists():
        return []
    rows = db.query(
        "select c.id, c.title, l.start, l.end from collection_links l join items c on c.id = l.collection_id"
        " where l.item_id = ? and l.problem is null and c.status = 'live' order by c.title, c.id, l.seq",
        [item_id],
    )
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(row["id"], {"title": row["title"], "url": item_path(row["id"]), "moments": []})
        if row["start"] is not None:
            entry["moments"].append(
                {"start": row["start"], "end": row["end"], "url": _clip_path(item_id, row["start"], row["end"])}
            )
    return list(found.values())
