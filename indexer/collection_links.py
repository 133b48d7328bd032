"""Which catalog item each collection moment names, settled at the end of every run.

Run after every source is read and the new generation is (or is not) published, so a link
to a video indexed tonight resolves, and one to an item hidden tonight does not. The answer
is the `collection_links` table the pages read ("In collection …" on an item page, the
players of a collection page). A link that does not resolve is kept with the reason and
reported as a note of the collection's source on every run until the coach fixes it.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlite_utils import Database

from catalog.display import clock
from catalog.storage import store

TIMED_KINDS = ("video", "podcast")


def refresh(db: Database) -> dict[str, list[dict]]:
    """Resolve every live collection's moments into `collection_links`; returns, per source,
    a note for each moment that does not resolve."""
    problems: dict[str, list[dict]] = defaultdict(list)
    collections = db.query("select id, source, extra from items where kind = 'collection' and status = 'live'")
    with db.atomic():
        db.execute("delete from collection_links")
        for collection in list(collections):
            problems[collection["source"]]  # a source whose links all resolve now has no note left
            moments = json.loads(collection["extra"] or "{}").get("moments", [])
            for seq, moment in enumerate(moments):
                item_id, problem = resolve(db, moment)
                db.table("collection_links").insert(
                    {
                        "collection_id": collection["id"],
                        "seq": seq,
                        "item_id": item_id,
                        "start": moment.get("start"),
                        "end": moment.get("end"),
                        "problem": problem,
                    }
                )
                if problem:
                    message = f"moment {seq + 1} ({moment['link'][:200]}) does not resolve: {problem}"
                    problems[collection["source"]].append({"item": collection["id"], "message": message})
    return problems


def resolve(db: Database, moment: dict) -> tuple[str | None, str | None]:
    """(the item the moment names, why it cannot be shown): one of them is None."""
    item = _named_item(db, moment)
    if item is None:
        return None, _not_found(moment)
    if item["status"] != "live":
        return item["id"], f"{item['id']} is gone from its source"
    start, end, duration = moment.get("start"), moment.get("end"), item["duration"]
    if start is not None and end is not None and end <= start:
        return item["id"], f"it ends at {clock(end)}, before it starts"
    if item["kind"] in TIMED_KINDS and duration:
        if start is not None and start >= duration:
            return item["id"], f"{clock(start)} is past the end of {item['id']} ({clock(duration)})"
        if end is not None and end > duration:
            return item["id"], f"it ends at {clock(end)}, past the end of {item['id']} ({clock(duration)})"
    return item["id"], None


def _named_item(db: Database, moment: dict) -> dict | None:
    """The item a link names: by our id, by YouTube video id, or by its original address
    (a live item first, when an address is known to several)."""
    if "item" in moment:
        return store.get_item(db, moment["item"])
    if "youtube" in moment:
        sql, params = "select id from items where youtube_id = ?", [moment["youtube"]]
    else:
        sql, params = "select id from items where source_url = ? or media_url = ?", [moment["url"]] * 2
    ids = [row[0] for row in db.execute(sql + " order by status = 'live' desc, id", params)]
    return store.get_item(db, ids[0]) if ids else None


def _not_found(moment: dict) -> str:
    if "item" in moment:
        return f"no item {moment['item']} in the catalog"
    if "youtube" in moment:
        return f"no video {moment['youtube']} in the catalog"
    return "no item with this address in the catalog"
