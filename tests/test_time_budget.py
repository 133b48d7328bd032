"""One query cannot hold a worker: ranking stops at its time budget, and the answer says partial."""

from catalog.generations.live import LiveIndex
from catalog.search.document import SearchRequest, run_search
from catalog.search.query import parse
from catalog.storage import store
from catalog.storage.models import Item, Segment
from indexer import build


def test_a_search_past_its_budget_returns_what_it_has(fresh_data):
    db = store.open_for_writing(fresh_data)
    with db.atomic():
        for n in range(1200):
            store.save_item(
                db,
                Item(
                    id=f"workout:w{n}",
                    kind="workout",
                    title=f"Easy run {n}",
                    source="w",
                    segments=(Segment(f"easy running day {n}"),),
                ),
                "t",
            )
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    generation = LiveIndex(fresh_data).current()
    index = generation.index
    unhurried = index.search(parse("easy day 17"), {})
    assert not unhurried.partial and unhurried.item_ids[0] == "workout:w17"  # every item holds "easy day"
    hurried = index.search(parse("easy day 17"), {}, budget=0.000001)
    assert hurried.partial  # ranking stopped after its first word: a looser answer, marked so
    assert hurried.total == 1200
    phrases = index.search(parse('"easy running" "day 17"'), {}, budget=0.000001)
    assert phrases.partial and phrases.total == 1200  # the second phrase was not checked

    doc = run_search(generation, store.open_readonly(fresh_data), SearchRequest.from_args({"q": "easy"}))
    assert doc["partial"] is False and doc["total"] == 1200
