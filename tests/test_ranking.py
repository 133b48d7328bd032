"""Ranking reads postings itself: its BM25F must be Whoosh's (with one idf per item), and the
matching strategy must keep its promises."""

from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from catalog.engine.whoosh import passages
from catalog.engine.whoosh.kept import read_frequencies
from catalog.engine.whoosh.ranking import ItemStats, _bm25, item_idf
from catalog.engine.whoosh.schema import FIELD_WEIGHTS
from catalog.generations.live import LiveIndex, open_generation
from catalog.search.query import parse
from catalog.storage import store
from catalog.storage.models import Item, Segment
from catalog.text.analysis import analyze
from indexer import build

from .helpers import whooshs_bm25f

WORDS = ["relay", "tempo", "strides", "coach", "marathon", "4x400", "5000", "hill"]


@pytest.mark.parametrize("word", [analyze(w)[0] for w in WORDS])
def test_field_scores_are_whooshs_bm25f_with_one_idf_per_item(sample_data, word):
    shared = LiveIndex(sample_data).current().index.searcher
    stats = ItemStats.load(shared)
    whoosh_searcher = whooshs_bm25f(shared, stats)
    holders = {d for field in FIELD_WEIGHTS for d in read_frequencies(shared.reader(), field, word)}
    compared = 0
    for field, weight in FIELD_WEIGHTS.items():
        query = wq.Term(field, word, boost=weight)
        whoosh = {hit.docnum: hit.score for hit in whoosh_searcher.search(query, limit=None)}
        ours = _bm25(shared, stats, field, read_frequencies(shared.reader(), field, word), item_idf(stats, holders))
        assert ours.keys() == whoosh.keys()
        assert all(ours[docnum] == pytest.approx(score, rel=1e-9) for docnum, score in whoosh.items())
        compared += len(ours)
    assert compared  # every word of the list is in the sample


def searched(data_dir, items: list[Item], query: str) -> list[str]:
    """Index `items` into a fresh catalog and return the ids `query` ranks, best first."""
    db = store.open_for_writing(data_dir)
    for item in items:
        store.save_item(db, item, "t")
    with closing(open_generation(data_dir, build.build_generation(db, data_dir)).index) as index:
        return index.search(parse(query), {}).item_ids


def talk(item_id: str, text: str) -> Item:
    return Item(id=f"video:{item_id}", kind="video", title=f"Talk {item_id}", source="v", segments=(Segment(text),))


def test_question_words_never_exclude_and_every_word_need_not_be_there(fresh_data):
    found = searched(
        fresh_data,
        [
            talk("answer", "running eases my anxiety more than anything else"),
            talk("other", "we talked about shoes and socks"),
        ],
        "how does running help with anxiety",  # nobody says "help", nobody says "how" or "does"
    )
    assert found == ["video:answer"]


def test_items_holding_more_of_the_query_weight_come_first(fresh_data):
    filler = [talk(f"easy{n}", "an easy run today and an easy run tomorrow") for n in range(6)]
    found = searched(
        fresh_data,
        [
            *filler,
            talk("both", "a tempo run, then hills at the end of it"),
            talk("tempo", "tempo tempo tempo tempo, all tempo"),
        ],
        "tempo hills run",
    )
    # "run" is in every item, so it weighs next to nothing; holding both "tempo" and "hills"
    # beats saying "tempo" five times, and items holding only "run" still come, last
    assert found[:2] == ["video:both", "video:tempo"]
    assert set(found[2:]) == {item.id for item in filler}


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
    with closing(open_generation(fresh_data, build.build_generation(db, fresh_data)).index) as index:
        found = index.search(parse('"to the"'), {})
    assert found.item_ids == ["video:b", "video:a"]


def test_words_said_in_one_passage_beat_the_same_words_scattered_over_a_long_transcript(fresh_data):
    """A talk holds "rest", "days", "training" and "plan", each a minute apart; the episode whose
    description says "include rest in your training plan" is the answer."""
    scattered = tuple(
        Segment(f"{words} and then some more talk about the weather and the river path", 60.0 * n)
        for n, words in enumerate(["a good rest", "three days", "our training group", "a plan for the summer"])
    )
    filler = [talk(f"easy{n}", "an easy run along the river path today") for n in range(6)]
    found = searched(
        fresh_data,
        [
            *filler,
            Item(id="video:talk", kind="video", title="A talk", source="v", segments=scattered),
            Item(
                id="podcast:recovery",
                kind="podcast",
                title="Recovery",
                source="p",
                description="It's important to include rest in your training plan.",
            ),
        ],
        "rest days in my training plan",
    )
    assert found[:2] == ["podcast:recovery", "video:talk"]


@settings(max_examples=300, deadline=None)
@given(
    first=st.lists(st.floats(min_value=0.0, max_value=50.0), min_size=0, max_size=45),
    shares=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=45, max_size=45),
    limit=st.integers(min_value=1, max_value=50),
)
def test_the_passage_pass_reads_only_what_can_enter_the_page_and_matches_reading_the_whole_pool(first, shares, limit):
    ranked = sorted(range(len(first)), key=lambda d: (-first[d], d))
    scores = dict(enumerate(first))
    asked: list[int] = []

    def fake_shares(read, docnums, weights, held_in, parsed):
        asked.extend(docnums)
        return {d: shares[d] for d in docnums}

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passages, "best_shares", fake_shares)
        found = passages.rerank(None, ranked, scores, {}, {}, parse("x"), limit)
    pool = ranked[: passages.POOL]
    whole = sorted(pool, key=lambda d: (-first[d] * shares[d], d))
    assert found == (whole + ranked[passages.POOL :])[:limit]
    # each item read once; past the page's own items, only those whose first score reaches the
    # weakest final score of the page's own items (a share is at most 1, so no other can enter)
    assert len(asked) == len(set(asked))
    page = pool[:limit]
    floor = min((first[d] * shares[d] for d in page), default=0.0) if len(page) == limit else 0.0
    assert set(asked) == set(page) | {d for d in pool[limit:] if first[d] >= floor}
