"""`Refresh`, the one rule every reader follows for what it fetches again, and what it remembers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from catalog.storage.models import Item
from indexer.config import SourceConfig
from indexer.sources import reader
from indexer.sources import refresh as refresh_module
from indexer.sources.base import ItemFailure, SourceContext, Unchanged
from indexer.sources.refresh import Refresh, file_digest, file_stamp

from .conftest import SAMPLE


class Upstream:
    """What a reader's fetch finds: an item per key, a failure, or nothing (gone); it counts fetches."""

    def __init__(self) -> None:
        self.fetched: list[str] = []
        self.failing: set[str] = set()
        self.gone: set[str] = set()

    def fetch(self, key: str, item_id: str):
        self.fetched.append(key)
        if key in self.failing:
            raise ConnectionError(f"{key} did not answer")
        if key not in self.gone:
            yield Item(id=item_id, kind="article", title=key, source="blog")


def run(context: SourceContext, upstream: Upstream, listing: dict, by_id: bool = False) -> tuple[list, Refresh]:
    """One run over `listing` (key -> fingerprint; the item id is "article:" + key), as a reader makes it;
    `by_id`: the listing tells each item's id."""
    refresh = Refresh(context)
    results = []
    for key, fingerprint in listing.items():
        item_id = f"article:{key}"
        told = item_id if by_id else None
        results += refresh.item(key, upstream.fetch, key, item_id, fingerprint=fingerprint, item_id=told)
    return results, refresh


def next_context(previous: SourceContext, results: list, **fields) -> SourceContext:
    """The context the following run gets: the ids stored so far, the state saved (through JSON, as stored)."""
    known = previous.known | {r.id for r in results if isinstance(r, Item)}
    return SourceContext(known=known, state=json.loads(json.dumps(previous.state)), **fields)


def test_new_items_are_fetched_then_unchanged_ones_are_not():
    upstream, first = Upstream(), SourceContext()
    results, refresh = run(first, upstream, {"a": "1", "b": "1"})
    assert [r.id for r in results] == ["article:a", "article:b"] and refresh.complete
    second = next_context(first, results)
    again, _ = run(second, upstream, {"a": "1", "b": "1"})
    assert again == [Unchanged("article:a"), Unchanged("article:b")]
    assert upstream.fetched == ["a", "b"]


def test_a_changed_fingerprint_or_a_due_item_is_fetched_again():
    upstream, first = Upstream(), SourceContext()
    results, _ = run(first, upstream, {"a": "1", "b": "1", "c": "1"})
    second = next_context(first, results, due={"article:c"})
    again, _ = run(second, upstream, {"a": "2", "b": "1", "c": "1"})
    assert upstream.fetched[3:] == ["a", "c"]
    assert again[1] == Unchanged("article:b")


def test_new_items_past_max_new_wait_and_known_ones_do_not_count():
    upstream, first = Upstream(), SourceContext(max_new=1)
    results, refresh = run(first, upstream, {"a": "1", "b": "1"})
    assert [r.id for r in results] == ["article:a"] and not refresh.complete
    second = next_context(first, results, max_new=1, due={"article:a"})
    again, refresh = run(second, upstream, {"a": "1", "b": "1", "c": "1"})
    assert [r.id for r in again] == ["article:a", "article:b"]  # a is due, b is the one new item
    assert upstream.fetched == ["a", "a", "b"] and not refresh.complete


@pytest.mark.parametrize("fingerprint", ["1", None])  # None: the listing says nothing but the id
def test_a_known_item_that_failed_is_fetched_again_next_run_a_new_one_leaves_no_record(fingerprint):
    upstream, first = Upstream(), SourceContext()
    results, _ = run(first, upstream, {"a": fingerprint}, by_id=True)
    upstream.failing = {"a", "b"}
    second = next_context(first, results, due={"article:a"})
    failed, refresh = run(second, upstream, {"a": fingerprint, "b": fingerprint}, by_id=True)
    assert [type(r) for r in failed] == [ItemFailure, ItemFailure] and not refresh.complete
    assert failed[0] == ItemFailure("a", "ConnectionError: a did not answer")
    assert second.state["fingerprints"] == {"a": {"id": "article:a"}}
    upstream.failing = set()
    third = next_context(second, [])  # not due any more, same fingerprint
    retried, _ = run(third, upstream, {"a": fingerprint}, by_id=True)
    assert [r.id for r in retried] == ["article:a"] and upstream.fetched == ["a", "a", "b", "a"]


def test_an_item_gone_upstream_keeps_its_record():
    upstream, first = Upstream(), SourceContext()
    results, _ = run(first, upstream, {"a": "1"})
    upstream.gone = {"a"}
    second = next_context(first, results)
    assert run(second, upstream, {"a": "2"})[0] == []
    assert second.state["fingerprints"] == first.state["fingerprints"]


def test_an_id_learned_from_a_fetch_names_the_key_next_run_and_one_listed_twice_is_read_once():
    upstream, first = Upstream(), SourceContext()
    results, _ = run(first, upstream, {"a": "1"})
    second = next_context(first, results)
    refresh = Refresh(second)
    assert refresh.recorded_id("a") == "article:a" and refresh.recorded_id("z") is None
    twice = refresh.item("a", upstream.fetch, "a", "article:a", fingerprint="1")
    twice += refresh.item("a-again", upstream.fetch, "a", "article:a", fingerprint="1", item_id="article:a")
    assert twice == [Unchanged("article:a")]
    fresh = Refresh(SourceContext())  # an id a fetch found is not fetched again under another key
    found = fresh.item("/feed-entry-1", upstream.fetch, "a", "article:a")
    assert found + fresh.item("a", upstream.fetch, "a", "article:a", item_id="article:a") == found
    upstream.failing = {"b"}  # nor is one the listing names twice, even when its fetch failed
    failing = Refresh(SourceContext())
    failures = [failing.item(key, upstream.fetch, "b", "article:b", item_id="article:b") for key in ("b", "b2")]
    assert [len(results) for results in failures] == [1, 0] and upstream.fetched == ["a", "a", "b"]


def test_a_listing_that_says_nothing_needs_no_record_to_leave_a_known_item_alone():
    """As a channel's flat listing: nothing but ids, so known items that are not due are not fetched,
    whatever state an older run left (here: a shape this rule does not write)."""
    upstream = Upstream()
    context = SourceContext(known={"article:a"}, state={"fingerprints": {"a": "older shape"}})
    results, _ = run(context, upstream, {"a": None}, by_id=True)
    assert results == [Unchanged("article:a")] and upstream.fetched == []


def test_the_pause_falls_between_fetches_that_make_requests(monkeypatch):
    pauses: list[float] = []
    monkeypatch.setattr(refresh_module.time, "sleep", pauses.append)
    upstream, refresh = Upstream(), Refresh(SourceContext(), pause=0.25)
    for key, requests in (("a", True), ("b", False), ("c", True), ("d", True)):
        refresh.item(key, upstream.fetch, key, f"article:{key}", requests=requests)
    assert pauses == [0.25, 0.25] and upstream.fetched == ["a", "b", "c", "d"]


def test_file_fingerprints_change_with_the_files(tmp_path):
    note = tmp_path / "note.md"
    note.write_text("one")
    stamp, digest = file_stamp(tmp_path, ["note.md", "missing.vtt"]), file_digest(note)
    assert stamp[1] == ["missing.vtt", None, None] and file_digest(tmp_path / "missing.md") is None
    note.write_text("two, longer")
    assert file_stamp(tmp_path, ["note.md", "missing.vtt"]) != stamp and file_digest(note) != digest


@pytest.mark.parametrize(("kind", "folder"), [("workouts", "workouts"), ("collections", "collections")])
def test_a_folder_reader_reads_again_only_the_file_that_changed(tmp_path, kind, folder):
    shutil.copytree(SAMPLE / folder, tmp_path / folder)
    source = SourceConfig("mine", kind, {"path": folder}, base_dir=tmp_path)
    first = SourceContext()
    items = list(reader(kind).read(source, first))
    assert items and all(isinstance(item, Item) for item in items)
    edited: Path = sorted((tmp_path / folder).glob("*.md"))[0]
    edited.write_text(edited.read_text().replace("\n\n", "\n\nA line the coach added.\n\n", 1))

    again = list(reader(kind).read(source, next_context(first, items)))

    assert [r.id for r in again if isinstance(r, Item)] == [items[0].id]
    assert {r.item_id for r in again if isinstance(r, Unchanged)} == {item.id for item in items[1:]}
