"""The SQLite record: migrations, change detection, never deleting, read-only access."""

import sqlite3
from dataclasses import replace

import pytest

from catalog.storage import store
from catalog.storage.models import Chapter, Item, Segment


def make_item(**changes) -> Item:
    item = Item(
        id="youtube:abc",
        kind="video",
        title="Strides before a race",
        source="videos",
        tags=("strides",),
        segments=(Segment("first part", 0.0, 20.0), Segment("second part", 20.0, 41.5, "Coach")),
        chapters=(Chapter(0.0, "Intro"),),
        raw={"id": "abc"},
    )
    return replace(item, **changes)


def test_migrations_are_idempotent(fresh_data):
    store.open_for_writing(fresh_data).close()
    db = store.open_for_writing(fresh_data)
    assert {"items", "segments", "chapters", "raw", "runs", "sources"} <= set(db.table_names())
    applied = [m["name"] for m in db.query("select name from _sqlite_migrations")]
    assert applied == ["m001_initial", "m002_source_health_and_collections", "m003_source_titles"]


def test_save_reports_new_unchanged_updated(fresh_data):
    db = store.open_for_writing(fresh_data)
    assert store.save_item(db, make_item(), "2026-01-01") == "new"
    assert store.save_item(db, make_item(), "2026-01-02") == "unchanged"
    assert store.save_item(db, make_item(title="Strides, revised"), "2026-01-03") == "updated"
    row = store.get_item(db, "youtube:abc")
    assert (row["first_seen"], row["last_seen"], row["title"]) == ("2026-01-01", "2026-01-03", "Strides, revised")
    assert row["tags"] == ["strides"]
    assert row["url"] == "/items/youtube:abc"


def test_new_segments_replace_the_old_ones(fresh_data):
    db = store.open_for_writing(fresh_data)
    store.save_item(db, make_item(), "t1")
    store.save_item(db, make_item(segments=(Segment("only one now", 0.0, 30.0),)), "t2")
    assert [s["text"] for s in store.item_segments(db, "youtube:abc")] == ["only one now"]


def test_round_trip_through_the_store_keeps_the_item(fresh_data):
    db = store.open_for_writing(fresh_data)
    item = make_item(segments=(Segment("a b", 1.0, 3.0, "Sam", cue_times=((0, 1.0), (2, 2.0))),))
    store.save_item(db, item, "t1")
    loaded = next(store.live_items(db))
    assert replace(loaded, raw=None) == replace(item, raw=None)
    assert store.content_hash(loaded) == store.content_hash(item)


def test_missing_items_are_due_to_hide_only_after_n_answers_and_are_kept(fresh_data):
    db = store.open_for_writing(fresh_data)
    store.save_item(db, make_item(), "t1")
    assert store.count_missing(db, "videos", seen=set(), gone_after=2) == set()
    assert store.count_missing(db, "videos", seen=set(), gone_after=2) == {"youtube:abc"}
    assert store.get_item(db, "youtube:abc")["status"] == "live", "hidden only when the run says so"
    store.hide(db, {"youtube:abc"})
    row = store.get_item(db, "youtube:abc")
    assert (row["status"], row["gone_count"]) == ("unavailable", 2)
    assert list(store.live_items(db)) == []
    assert store.item_segments(db, "youtube:abc"), "an unavailable item keeps its transcript"
    assert store.save_item(db, make_item(), "t3") == "updated"
    assert store.get_item(db, "youtube:abc")["status"] == "live"


def test_readonly_connection_cannot_write(fresh_data):
    store.open_for_writing(fresh_data).close()
    db = store.open_readonly(fresh_data)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("insert into runs (status) values ('x')")


def test_counts(fresh_data):
    db = store.open_for_writing(fresh_data)
    store.save_item(db, make_item(), "t1")
    store.save_item(db, make_item(id="article:x", kind="article", segments=()), "t1")
    counts = store.counts(db)
    assert (counts["items"], counts["live"], counts["segments"]) == (2, 2, 2)
    assert counts["by_kind"] == {"video": 1, "article": 1}
