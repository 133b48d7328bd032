"""Ranking reads postings itself, so it must give Whoosh's own BM25F scores and keep its promises."""

import pytest
from whoosh import query as wq

from catalog import engine, store
from catalog.analysis import analyze
from catalog.generations import LiveIndex, open_generation
from catalog.index_schema import FIELD_WEIGHTS
from catalog.models import Item, Segment
from catalog.query import parse
from catalog.ranking import ItemStats, _field_scores
from indexer import build

WORDS = ["relay", "tempo", "strides", "coach", "marathon", "4x400", "5000", "hill"]


@pytest.mark.parametrize("word", [analyze(w)[0] for w in WORDS])
def test_field_scores_are_whooshs_bm25f(sample_data, word):
    generation = LiveIndex(sample_data).current()
    searcher, stats = generation.shared_searcher, ItemStats.load(generation.shared_searcher)
    compared = 0
    for field, weight in FIELD_WEIGHTS.items():
        whoosh = {hit.docnum: hit.score for hit in searcher.search(wq.Term(field, word, boost=weight), limit=None)}
        ours = _field_scores(searcher, stats, field, word, weight)
        assert ours.keys() == whoosh.keys()
        assert all(ours[docnum] == pytest.approx(score, rel=1e-9) for docnum, score in whoosh.items())
        compared += len(ours)
    assert compared  # every word of the list is in the sample


def test_a_phrase_of_stop_words_still_ranks_by_them(fresh_data):
    db = store.open_for_writing(fresh_data)
    long_talk = " ".join(["we ran easy miles along the river"] * 40) + " then back to the track"
    store.save_item(
        db, Item(id="video:a", kind="video", title="Long talk", source="v", segments=(Segment(long_talk),)), "t"
    )
    store.save_item(
        db,
        Item(
            id="video:b",
            kind="video",
            title="Back to the track",
            source="v",
            description="Back to the track, and back to the track again.",
        ),
        "t",
    )
    store.save_item(
        db, Item(id="video:c", kind="video", title="Track", source="v", segments=(Segment("to a track"),)), "t"
    )
    with open_generation(fresh_data, build.build_generation(db, fresh_data)).searcher() as searcher:
        found = engine.search(searcher, parse('"to the"'), {})
    assert found.item_ids == ["video:b", "video:a"]
