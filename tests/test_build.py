"""Generations: full builds, incremental updates over hard links, checks, publishing."""

import os
from contextlib import closing

import pytest

from catalog.generations.live import history, index_root, live_name, open_generation
from catalog.search.query import parse
from catalog.storage import runs, store
from catalog.storage.models import Item, Segment
from catalog.text.analysis import analyze
from indexer import build


def item(n: int, text: str = "easy running") -> Item:
    return Item(
        id=f"workout:w{n}",
        kind="workout",
        title=f"Workout {n}",
        source="workouts",
        segments=(Segment(f"{text} number {n}"),),
    )


def found(data_dir, name: str, query: str) -> list[str]:
    with closing(open_generation(data_dir, name).index) as index:
        return index.search(parse(query), {}).item_ids


def test_update_reenters_only_changed_items_and_leaves_the_base_intact(fresh_data):
    db = store.open_for_writing(fresh_data)
    for n in range(5):
        store.save_item(db, item(n), "t1")
    base = build.build_generation(db, fresh_data)
    build.publish(fresh_data, base)

    store.save_item(db, item(2, text="hill repeats"), "t2")
    new = build.update_generation(db, fresh_data, base, {"workout:w2"})

    assert found(fresh_data, new, "hill repeats") == ["workout:w2"]
    assert "workout:w2" not in found(fresh_data, new, "easy")
    assert found(fresh_data, base, "hill repeats") == []  # the base generation is untouched
    with (
        closing(open_generation(fresh_data, base).index) as old,
        closing(open_generation(fresh_data, new).index) as fresh,
    ):
        assert old.doc_count() == fresh.doc_count()
    shared = [f for f in (index_root(fresh_data) / base).iterdir() if (index_root(fresh_data) / new / f.name).exists()]
    assert any(os.stat(f).st_ino == os.stat(index_root(fresh_data) / new / f.name).st_ino for f in shared)


def test_an_updated_items_old_words_are_no_longer_held(fresh_data):
    """Whoosh's document frequency still counts a deleted document; `holds`, which decides
    whether a query word is a catalog word, must not."""
    db = store.open_for_writing(fresh_data)
    for n in range(3):
        store.save_item(db, item(n), "t1")
    store.save_item(db, item(9, text="fartlek"), "t1")
    base = build.build_generation(db, fresh_data)
    store.save_item(db, item(9, text="hill repeats"), "t2")
    new = build.update_generation(db, fresh_data, base, {"workout:w9"})
    fartlek, hill = analyze("fartlek hill")
    with (
        closing(open_generation(fresh_data, base).index) as old,
        closing(open_generation(fresh_data, new).index) as fresh,
    ):
        assert old.holds(fartlek) and not old.holds(hill)
        assert fresh.holds(hill) and not fresh.holds(fartlek)


def test_hidden_items_leave_the_index(fresh_data):
    db = store.open_for_writing(fresh_data)
    for n in range(3):
        store.save_item(db, item(n), "t1")
    base = build.build_generation(db, fresh_data)
    store.hide(db, store.count_missing(db, "workouts", seen={"workout:w0", "workout:w1"}, gone_after=1))
    new = build.update_generation(db, fresh_data, base, {"workout:w2"})
    assert sorted(found(fresh_data, new, "easy")) == ["workout:w0", "workout:w1"]


def test_publish_keeps_three_generations_and_prunes_leftovers(fresh_data):
    db = store.open_for_writing(fresh_data)
    store.save_item(db, item(0), "t1")
    names = []
    for _ in range(4):
        names.append(build.build_generation(db, fresh_data))
        build.publish(fresh_data, names[-1])
    half_built = index_root(fresh_data) / "gen-00000000T000000000000Z"
    half_built.mkdir()
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    assert len(history(fresh_data)) == 3 and live_name(fresh_data) == history(fresh_data)[-1]
    assert sorted(p.name for p in index_root(fresh_data).glob("gen-*")) == history(fresh_data)
    assert not half_built.exists()


def test_check_refuses_a_generation_that_lost_most_documents(fresh_data):
    db = store.open_for_writing(fresh_data)
    for n in range(10):
        store.save_item(db, item(n), "t1")
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    store.hide(db, store.count_missing(db, "workouts", seen={"workout:w0"}, gone_after=1))
    smaller = build.build_generation(db, fresh_data)
    problems = build.check_generation(fresh_data, smaller, min_share=0.5, golden=())
    assert problems and "under 50% of the live" in problems[0]


def test_rollback_returns_to_the_previous_generation_and_forgets_the_bad_one(fresh_data):
    db = store.open_for_writing(fresh_data)
    store.save_item(db, item(0), "t1")
    first = build.build_generation(db, fresh_data)
    build.publish(fresh_data, first)
    store.save_item(db, item(1, text="a bad import"), "t2")
    second = build.build_generation(db, fresh_data)
    build.publish(fresh_data, second)
    assert build.rollback(db, fresh_data) == (second, first)
    assert live_name(fresh_data) == first and history(fresh_data) == [first]
    assert runs.index_behind(db), "the next run rebuilds from SQLite"
    with pytest.raises(build.NothingToRollBack):
        build.rollback(db, fresh_data)
