"""Moments read from word positions in the item document: each lands in the unit that said it."""

from contextlib import closing

import pytest

from catalog.engine.whoosh.schema import unit_map
from catalog.generations.live import open_generation
from catalog.search.query import parse
from catalog.storage import store
from catalog.storage.models import Chapter, Item, Segment
from indexer import build

from .helpers import live_search

SEGMENTS = (
    Segment("welcome back to the show today we talk hills", 0.0, 20.0, "Marisol Vega"),
    Segment("the hill was steep and the repeats were hard", 20.0, 40.0, "Harold Okafor"),
    Segment("our relay ran the 4 x\n400 at the county meet", 40.0, 60.0, "Harold Okafor"),  # a line break inside
    Segment("next week hill repeats again said the coach", 60.0, 80.0, "Marisol Vega"),
    Segment("and then four by four hundred with the juniors", 80.0, 100.0, "Marisol Vega"),
)
CHAPTERS = (Chapter(0.0, "Intro"), Chapter(40.0, "Relay talk"), Chapter(60.0, "Hill repeats"))


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    data = tmp_path_factory.mktemp("moments") / "data"
    db = store.open_for_writing(data)
    video = Item(id="video:v1", kind="video", title="Club night", source="v", segments=SEGMENTS, chapters=CHAPTERS)
    other = Item(id="video:v2", kind="video", title="Other", source="v", segments=(Segment("easy day", 0.0, 9.0),))
    for item in (video, other):
        store.save_item(db, item, "t")
    with closing(open_generation(data, build.build_generation(db, data)).index) as index:
        yield index


def moments(index, query: str, **filters: str) -> list[tuple[str, int, float | None]]:
    found = index.search(parse(query), filters)
    return [("chapter" if m.is_chapter else "segment", m.seq, m.start) for m in found.moments.get("video:v1", [])]


def test_unit_ends_count_the_words_of_each_segment_as_the_index_does():
    units = unit_map(Item(id="v", kind="video", title="t", source="v", segments=SEGMENTS, chapters=CHAPTERS))
    # "4 x\n400" spans a line break: three index words there, as the tokenizer reads it, not one
    assert units["transcript"]["ends"] == [9, 18, 29, 37, 43]
    assert units["chapters"]["ends"] == [1, 3, 5]


def test_words_after_a_line_break_land_in_their_own_segment(searcher):
    assert moments(searcher, "county") == [("segment", 2, 40.0)]
    assert moments(searcher, "coach") == [("segment", 3, 60.0)]
    assert moments(searcher, "juniors") == [("segment", 4, 80.0)]


def test_a_phrase_must_hold_within_the_moment(searcher):
    # segment 1 has "hill" and "repeats" apart: not a moment of the phrase
    assert set(moments(searcher, '"hill repeats"')) == {("chapter", 2, 60.0), ("segment", 3, 60.0)}


def test_the_best_unit_comes_first_and_every_word_scores(searcher):
    found = moments(searcher, "four by four hundred relay")
    assert found[0] == ("segment", 4, 80.0)  # relay form + "relay" synonym spoken here
    assert ("segment", 2, 40.0) in found


def test_a_speaker_filter_keeps_that_speakers_segments_only(searcher):
    assert moments(searcher, "hill", speaker="harold okafor") == [("segment", 1, 20.0)]
    unfiltered = moments(searcher, "hill")
    assert len(unfiltered) == 3 and {("segment", 0, 0.0), ("segment", 3, 60.0)} & set(unfiltered)  # Marisol's


def moments_found(data_dir, item: Item, query: str) -> list[dict]:
    """Index `item` alone into a fresh catalog and return the moments `query` finds in it."""
    db = store.open_for_writing(data_dir)
    store.save_item(db, item, "t")
    build.publish(data_dir, build.build_generation(db, data_dir))
    (result,) = live_search(data_dir, query)["results"]
    return result["moments"]


def test_the_moment_that_holds_all_the_words_comes_first(fresh_data):
    """`4x400 relay`: the distance medley relay at 3:10 is a relay too, but 7:42 is the answer."""
    segments = (
        Segment("welcome to the club podcast, tonight it is all about the track season", 0.0, 30.0),
        Segment("last month we ran the distance medley relay at the indoor meet", 190.0, 215.0),
        Segment("the shoes, the spikes, and what to eat the night before a meet", 300.0, 330.0),
        Segment("and then the four by four hundred relay, which closed the meet", 462.0, 490.0),
    )
    item = Item(id="video:meet", kind="video", title="Track season", source="v", segments=segments)
    assert [m["start"] for m in moments_found(fresh_data, item, "4x400 relay")] == [462.0, 190.0]


def test_the_moment_that_says_more_of_the_question_beats_one_that_repeats_part_of_it(fresh_data):
    """`how long should a podcast episode be`: an intro that keeps saying "podcast episode"
    holds less of the question than the passage that talks about how long an episode runs."""
    segments = (
        Segment(
            "welcome to the podcast: in this episode of the podcast we look back on the year, episode by episode",
            0.0,
            30.0,
        ),
        Segment("our podcast started with one microphone in a spare room", 30.0, 60.0),
        Segment("so how long should an episode of a podcast be? as long as it stays good", 219.0, 245.0),
        Segment("every podcast needs show notes and a long list of links", 300.0, 330.0),
        Segment("the long run on sunday came up on the last podcast too", 400.0, 430.0),
    )
    item = Item(id="podcast:tips", kind="podcast", title="Tips", source="p", segments=segments)
    found = moments_found(fresh_data, item, "how long should a podcast episode be")
    assert found[0]["start"] == 219.0
    assert [m["score"] for m in found] == sorted((m["score"] for m in found), reverse=True)


def test_words_that_name_the_item_do_not_choose_its_moment(fresh_data):
    """The intro names the guest; the answer is where the question's other words are said."""
    segments = (
        Segment("we are here with our old friend Arun Gupta, a free man now, Arun", 0.0, 11.0),
        Segment("thanks for having me, it is good to be back on the show", 11.0, 30.0),
        Segment("the last time I applied for a job was back in ninety eight", 47.0, 56.0),
        Segment("a job is a job, but this one was a good one for a long time", 300.0, 330.0),
    )
    item = Item(id="podcast:arun", kind="podcast", title="Friends 108: with Arun Gupta", source="p", segments=segments)
    assert moments_found(fresh_data, item, "when did arun gupta last apply for a job")[0]["start"] == 47.0
