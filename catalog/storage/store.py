"""The SQLite record of the catalog: items, segments, chapters, raw payloads, runs.

The indexer is the only writer (`open_for_writing`); the web opens it read-only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from catalog.ids import youtube_id_from_url
from catalog.links import item_path, web_url
from catalog.storage.migrations import migrations
from catalog.storage.models import Chapter, InvalidItem, Item, Segment

log = logging.getLogger(__name__)
DB_NAME = "catalog.db"
JSON_COLUMNS = ("tags", "people", "extra")
URL_COLUMNS = ("source_url", "thumbnail", "media_url")


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def open_for_writing(data_dir: Path) -> Database:
    """Open (creating and migrating if needed) the catalog for the single writer."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    db = Database(db_path(data_dir))
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db


def open_for_dry_run(data_dir: Path) -> Database:
    """The catalog as it is, read-only (or, when there is none yet, an empty one in memory):
    a dry run reads what it needs and writes nothing, not even a new file."""
    if db_path(data_dir).exists():
        return open_readonly(data_dir)
    db = Database(memory=True)
    migrations.apply(db)
    return db


class CatalogMissing(LookupError):
    """There is no catalog in the data folder yet: run `catalog reindex`."""


def open_readonly(data_dir: Path) -> Database:
    """Open the catalog read-only, so nothing on the web side can write or take a write lock."""
    path = db_path(data_dir)
    if not path.exists():
        raise CatalogMissing(f"no catalog at {path}; run `catalog reindex`")
    return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))


def content_hash(item: Item) -> str:
    """A digest of everything a visitor can see, so an unchanged item is never rewritten.

    The same JSON `dataclasses.asdict` would give, built without its deep copy (most of an
    import's time went there); rows below are made the same way."""
    visible = dict(vars(item), segments=[vars(s) for s in item.segments], chapters=[vars(c) for c in item.chapters])
    visible.pop("raw")
    blob = json.dumps(visible, sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def change_kind(db: Database, item: Item) -> str:
    """ "new", "updated" or "unchanged": what saving `item` would do, without writing."""
    row = db.execute("select content_hash, status from items where id = ?", [item.id]).fetchone()
    if row is None:
        return "new"
    return "unchanged" if row == (content_hash(item), "live") else "updated"


def save_item(db: Database, item: Item, now: str, read: bool = True) -> str:
    """Insert or update one item with its segments, chapters and raw payload.

    Returns what `change_kind` said. An unchanged item only gets its last_seen
    refreshed, so its rows (and its place in the index) stay as they are. An item
    not `read` from its source this run (corrected again from what is stored) keeps
    when it was last seen and checked, so its refresh and gone counts go on as before.
    """
    change = change_kind(db, item)
    with db.atomic():
        if change == "unchanged":
            if read:
                db.execute(
                    "update items set last_seen = ?, checked_at = ?, gone_count = 0 where id = ?",
                    [now, now, item.id],
                )
            return change
        before = db.execute(
            "select first_seen, last_seen, checked_at, gone_count from items where id = ?", [item.id]
        ).fetchone()
        first_seen, last_seen, checked_at, gone_count = before or (now, now, now, 0)
        row = _item_row(item)
        row.update(
            content_hash=content_hash(item),
            first_seen=first_seen,
            last_seen=now if read else last_seen,
            checked_at=now if read else checked_at,
            status="live",
            gone_count=0 if read else gone_count,
        )
        db.table("items").upsert(row, pk="id")
        db.execute("delete from segments where item_id = ?", [item.id])
        db.execute("delete from chapters where item_id = ?", [item.id])
        db.table("segments").insert_all(
            ({"item_id": item.id, "seq": n, **vars(s)} for n, s in enumerate(item.segments)),
            pk=("item_id", "seq"),
        )
        db.table("chapters").insert_all(
            ({"item_id": item.id, "seq": n, **vars(c)} for n, c in enumerate(item.chapters)),
            pk=("item_id", "seq"),
        )
        if item.raw is not None:
            db.table("raw").upsert(
                {
                    "item_id": item.id,
                    "source": item.source,
                    "fetched": now,
                    "payload": json.dumps(item.raw, ensure_ascii=False, default=str),
                },
                pk="item_id",
            )
    return change


def touch(db: Database, item_ids: set[str], now: str) -> None:
    """Record that items were seen upstream without being fetched again."""
    with db.atomic():
        for item_id in item_ids:
            db.execute("update items set last_seen = ?, gone_count = 0 where id = ?", [now, item_id])


def source_items(db: Database, source: str) -> list[dict]:
    """id, published, captions and checked_at of a source's live items: what a run plans with."""
    return list(
        db.query(
            "select id, published, captions, checked_at from items where source = ? and status = 'live'",
            [source],
        )
    )


def count_missing(db: Database, source: str, seen: set[str], gone_after: int) -> set[str]:
    """Count another "gone" answer for the source's live items not seen this run; returns
    those gone `gone_after` times in a row or more, which are to be hidden (see `hide`)."""
    missing = [
        row[0]
        for row in db.execute("select id from items where source = ? and status = 'live'", [source])
        if row[0] not in seen
    ]
    with db.atomic():
        for item_id in missing:
            db.execute("update items set gone_count = gone_count + 1 where id = ?", [item_id])
    counts = db.execute("select id, gone_count from items where source = ? and status = 'live'", [source])
    return {item_id for item_id, count in counts if item_id not in seen and count >= gone_after}


def hide(db: Database, item_ids: set[str]) -> None:
    """Make items unavailable: kept with everything they had, never deleted, and live again
    when their source lists them. The run does this in a transaction it commits only once a
    generation without them is published, so SQLite never hides what visitors still see."""
    for item_id in item_ids:
        db.execute("update items set status = 'unavailable' where id = ?", [item_id])


def _item_row(item: Item) -> dict:
    row = {key: value for key, value in vars(item).items() if key not in ("segments", "chapters", "raw")}
    row["url"] = item_path(item.id)
    for key in URL_COLUMNS:
        row[key] = web_url(row[key])
    row["tags"] = list(item.tags)
    row["people"] = list(item.people)
    return row


def decode_item_row(row: dict) -> dict:
    """Turn the JSON text columns of an items row back into lists and dicts."""
    row = dict(row)
    for key in JSON_COLUMNS:
        value = row.get(key)
        row[key] = json.loads(value) if value else ([] if key != "extra" else {})
    return row


def get_item(db: Database, item_id: str) -> dict | None:
    rows = list(db.query("select * from items where id = ?", [item_id]))
    return decode_item_row(rows[0]) if rows else None


def get_items(db: Database, item_ids: list[str]) -> dict[str, dict]:
    """Fetch many items by id in one query, keyed by id."""
    if not item_ids:
        return {}
    marks = ",".join("?" * len(item_ids))
    rows = db.query(f"select * from items where id in ({marks})", list(item_ids))
    return {row["id"]: decode_item_row(row) for row in rows}


def item_raw(db: Database, item_id: str) -> dict | None:
    """The source payload kept with an item (None when it has none)."""
    row = db.execute("select payload from raw where item_id = ?", [item_id]).fetchone()
    return json.loads(row[0]) if row else None


def item_segments(db: Database, item_id: str) -> list[dict]:
    return list(
        db.query(
            "select seq, start, end, text, speaker, cue_times from segments where item_id = ? order by seq",
            [item_id],
        )
    )


def item_chapters(db: Database, item_id: str) -> list[dict]:
    return list(db.query("select seq, start, title from chapters where item_id = ? order by seq", [item_id]))


def live_items(db: Database, only: list[str] | None = None) -> Iterator[Item]:
    """Live items (all, or those of `only`) with segments and chapters, for the index build."""
    if only is None:
        rows = db.query("select * from items where status = 'live' order by id")
    else:
        marks = ",".join("?" * len(only))
        rows = db.query(f"select * from items where status = 'live' and id in ({marks}) order by id", only)
    for row in rows:
        try:
            item = load_item(db, decode_item_row(row))
        except InvalidItem as exc:  # stored by a version that did not check values
            log.error(
                "item %s left out of the index: %s (it is stored again when its source gives a sane version)",
                row["id"],
                exc,
                extra={"fields": {"item": row["id"], "reason": str(exc)}},
            )
            continue
        yield item


def load_item(db: Database, row: dict) -> Item:
    segments = tuple(
        Segment(
            text=s["text"],
            start=s["start"],
            end=s["end"],
            speaker=s["speaker"],
            cue_times=tuple(tuple(pair) for pair in json.loads(s["cue_times"] or "[]")),
        )
        for s in item_segments(db, row["id"])
    )
    chapters = tuple(Chapter(start=c["start"], title=c["title"]) for c in item_chapters(db, row["id"]))
    fields = {k: row[k] for k in Item.__dataclass_fields__ if k in row}
    fields.update(tags=tuple(row["tags"]), people=tuple(row["people"]))
    return Item(**fields, segments=segments, chapters=chapters)


def live_texts(db: Database) -> Iterator[str]:
    """All searchable text of the live items, for the spelling vocabulary."""
    queries = (
        "select title || ' ' || description || ' ' || tags || ' ' || people from items where status = 'live'",
        "select s.text from segments s join items i on i.id = s.item_id where i.status = 'live'",
        "select c.title from chapters c join items i on i.id = c.item_id where i.status = 'live'",
    )
    for sql in queries:
        for (text,) in db.execute(sql):
            yield text or ""


def names_as_written(db: Database) -> Iterator[tuple[str, str]]:
    """("tag" or "person", name) for every tag, person and transcript speaker of the live items,
    as their sources wrote them (the index folds them; the pages show them like this)."""
    for tags, people in db.execute("select tags, people from items where status = 'live'"):
        yield from (("tag", tag) for tag in json.loads(tags or "[]"))
        yield from (("person", person) for person in json.loads(people or "[]"))
    speakers = (
        "select distinct s.speaker from segments s join items i on i.id = s.item_id"
        " where i.status = 'live' and s.speaker is not null"
    )
    for (speaker,) in db.execute(speakers):
        yield "person", speaker


def save_source_title(db: Database, name: str, title: str | None) -> None:
    """Record the display title sources.toml gives a source (None: it has none any more)."""
    db.table("sources").upsert({"name": name, "title": title}, pk="name")


def source_titles(db: Database) -> dict[str, str]:
    """Each source's display `title` from sources.toml, by source name (a catalog written
    before titles existed has none)."""
    if "title" not in db.table("sources").columns_dict:
        return {}
    return {name: title for name, title in db.execute("select name, title from sources where title is not null")}


def workouts_linking(db: Database, youtube_id: str) -> list[str]:
    """Ids of live workouts whose video is this YouTube video."""
    rows = db.execute("select id, json_extract(extra, '$.video') from items where kind = 'workout' and status = 'live'")
    return [item_id for item_id, video in rows if video and youtube_id_from_url(video) == youtube_id]


def item_ids(db: Database, status: str | None = None) -> set[str]:
    sql, params = "select id from items", []
    if status:
        sql, params = sql + " where status = ?", [status]
    return {row[0] for row in db.execute(sql, params)}


def counts(db: Database) -> dict:
    """Item counts by kind and status, for reports, /healthz and the status page."""
    result = {"items": 0, "live": 0, "unavailable": 0, "segments": 0, "by_kind": {}}
    if not db.table("items").exists():
        return result
    for kind, status, n in db.execute("select kind, status, count(*) from items group by kind, status"):
        result["items"] += n
        result[status] = result.get(status, 0) + n
        if status == "live":
            result["by_kind"][kind] = n
    result["segments"] = db.execute("select count(*) from segments").fetchone()[0]
    return result
