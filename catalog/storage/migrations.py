"""The catalog's SQLite schema, as an ordered set of migrations."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("coach-catalog")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("items").create(
        {
            "id": str,
            "kind": str,
            "title": str,
            "url": str,
            "source_url": str,
            "source": str,
            "published": str,
            "duration": int,
            "description": str,
            "tags": str,  # JSON list
            "people": str,  # JSON list
            "thumbnail": str,
            "captions": str,  # manual, auto or none
            "media_url": str,
            "youtube_id": str,
            "body_html": str,
            "extra": str,  # JSON object
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,  # last run that saw it upstream
            "checked_at": str,  # last run that fetched it in full
            "status": str,  # live or unavailable
            "gone_count": int,
        },
        pk="id",
        not_null={"kind", "title", "source", "content_hash", "status"},
        defaults={"status": "live", "gone_count": 0, "captions": "none", "description": ""},
    )
    db.table("items").create_index(["source"])
    db.table("segments").create(
        {
            "item_id": str,
            "seq": int,
            "start": float,
            "end": float,
            "text": str,
            "speaker": str,
            "cue_times": str,  # JSON list of [offset, second]
        },
        pk=("item_id", "seq"),
        foreign_keys=[("item_id", "items", "id")],
        not_null={"text"},
    )
    db.table("chapters").create(
        {"item_id": str, "seq": int, "start": float, "title": str},
        pk=("item_id", "seq"),
        foreign_keys=[("item_id", "items", "id")],
    )
    db.table("raw").create(
        {"item_id": str, "source": str, "fetched": str, "payload": str},
        pk="item_id",
        foreign_keys=[("item_id", "items", "id")],
    )
    db.table("runs").create(
        {
            "id": int,
            "started": str,
            "finished": str,
            "status": str,  # running, ok, partial, failed, dry-run
            "changed": int,  # 1 if the run changed the catalog
            "generation": str,  # the generation it published, if any
            "summary": str,  # JSON: per-source counts
            "errors": str,  # JSON list of {source, item, reason}
        },
        pk="id",
    )
    db.table("sources").create(
        {
            "name": str,
            "kind": str,
            "last_run": int,
            "last_status": str,
            "last_error": str,
            "state": str,  # JSON: etag, last-modified and other per-source bookkeeping
        },
        pk="name",
    )


@migrations()
def m002_source_health_and_collections(db: Database) -> None:
    """What /status and /healthz tell about each source, and the moments collections cite."""
    sources = db.table("sources")
    sources.add_column("last_success", str)  # when the source last read without failing
    sources.add_column("failing_since", str)  # the start of its first failed run in a row
    sources.add_column("failures", int, not_null_default=0)  # failed runs in a row
    sources.add_column("notes", str)  # JSON: {"items": {item id: [notes]}, "run": [notes]}
    sources.add_column("coverage", str)  # JSON: live items by caption source after the last run
    sources.add_column("coverage_before", str)  # JSON: the same after the run before it
    db.table("collection_links").create(
        {
            "collection_id": str,
            "seq": int,  # the moment's place in its collection
            "item_id": str,  # the cited item, when the link resolves
            "start": int,
            "end": int,
            "problem": str,  # why the link does not resolve (then item_id may be null)
        },
        pk=("collection_id", "seq"),
    )
    db.table("collection_links").create_index(["item_id"])


@migrations()
def m003_source_titles(db: Database) -> None:
    """The display title a source is given in sources.toml (visitors never see its config key)."""
    db.table("sources").add_column("title", str)
