"""Search over the indexed sample: the interview's relay moment, filters, sorting, paging."""

import re

import pytest

from catalog.generations.live import LiveIndex
from catalog.search.document import SearchRequest, run_search
from catalog.storage import store
from tests.helpers import index_workouts, live_search

INTERVIEW = "youtube:smplIntrv01"
FIRST_RELAY_MENTION = 134  # seconds: "…the four by four hundred relay" in the auto-captions
RELAY_CHAPTER = 393.0  # the chapter "The 4x400 relay"


@pytest.fixture(scope="module")
def search(sample_data):
    generation = LiveIndex(sample_data).current()
    db = store.open_readonly(sample_data)

    def run(q: str = "", **args) -> dict:
        return run_search(generation, db, SearchRequest.from_args({"q": q, **args}))

    return run


@pytest.mark.parametrize("query", ["4x400 relay", "4 x 400", "four by four hundred", "4×400m relay", '"4x400 relay"'])
def test_relay_forms_find_the_interview_with_its_chapter_and_first_mention(search, query):
    doc = search(query)
    top = doc["results"][0]
    assert top["id"] == INTERVIEW
    assert [m["score"] for m in top["moments"]] == sorted((m["score"] for m in top["moments"]), reverse=True)
    assert (RELAY_CHAPTER, "The 4x400 relay") in [(m["start"], m["chapter"]) for m in top["moments"]]
    (mention,) = [m for m in top["moments"] if m["start"] is not None and abs(m["start"] - FIRST_RELAY_MENTION) <= 5]
    assert mention["url"] == f"/items/{INTERVIEW}?t={int(mention['start'])}"
    assert mention["source_url"] == f"https://www.youtube.com/watch?v=smplIntrv01&t={int(mention['start'])}s"
    assert "<mark>four by four hundred</mark>" in mention["text_html"]


RESULT_KEYS = {
    "id",
    "kind",
    "title",
    "url",
    "source_url",
    "published",
    "duration",
    "thumbnail",
    "snippet_html",
    "moments",
}
MOMENT_KEYS = {"start", "end", "text_html", "url", "source_url"}


def test_every_result_has_the_documented_keys(search):
    doc = search("strides", per_page=50)
    assert {"query", "total", "page", "facets", "suggestion", "results"} <= set(doc)
    assert len(doc["results"]) == doc["total"] > 1
    for result in doc["results"]:
        assert RESULT_KEYS <= set(result), result["id"]
        assert len(result["moments"]) <= 3, result["id"]
        scores = [moment["score"] for moment in result["moments"]]
        assert scores == sorted(scores, reverse=True), result["id"]  # best first
        for moment in result["moments"]:
            assert MOMENT_KEYS <= set(moment), (result["id"], moment)


def test_results_cover_every_kind(search):
    assert search()["facets"]["kind"] == {"article": 3, "collection": 1, "podcast": 2, "video": 3, "workout": 3}


def test_kind_filter_and_facet_counts(search):
    doc = search("strides", kind="workout")
    assert doc["results"] and {r["kind"] for r in doc["results"]} == {"workout"}
    assert doc["facets"]["kind"] == {"workout": doc["total"]}


def test_tag_filter(search):
    doc = search("", tag="strides")
    assert doc["total"] >= 1
    assert all("strides" in [t.lower() for t in r["tags"]] for r in doc["results"])


def test_newest_first(search):
    dates = [r["published"] for r in search("running", sort="newest", per_page=50)["results"]]
    assert dates == sorted(dates, reverse=True)


def test_paging(search):
    everything = [r["id"] for r in search(per_page=50)["results"]]
    first, second = search(per_page=5), search(per_page=5, page=2)
    assert [r["id"] for r in first["results"] + second["results"]] == everything[:10]
    assert first["pages"] == 3


@pytest.mark.parametrize("query", ["easy run strides", "relay coach advice", "track workout"])
def test_pages_of_a_query_go_on_where_the_last_one_stopped(search, query):
    """The passage pass re-orders the same first items whatever page is asked for."""
    everything = [r["id"] for r in search(query, per_page=50)["results"]]
    paged = [r["id"] for page in (1, 2, 3) for r in search(query, per_page=4, page=page)["results"]]
    assert len(everything) > 4 and paged == everything[:12]


def test_chapter_hits_link_to_the_chapter_start(search):
    moments = search("advice for older runners")["results"][0]["moments"]
    chapter = next(m for m in moments if m["chapter"])
    assert chapter["chapter"] == "Advice for older runners" and chapter["start"] == 460


def test_article_moments_link_to_their_paragraph(search):
    doc = search("4 x 400m relay", kind="article")
    moments = [(result["url"], moment) for result in doc["results"] for moment in result["moments"]]
    assert moments
    for url, moment in moments:
        assert moment["start"] is None and re.fullmatch(re.escape(url) + r"#p-\d+", moment["url"]), moment


def test_excluded_words(search):
    with_relay = {r["id"] for r in search("masters")["results"]}
    without = {r["id"] for r in search("masters -relay")["results"]}
    assert INTERVIEW in with_relay and INTERVIEW not in without


def test_typos_find_what_their_corrections_find(search):
    for typo, word in [("relya", "relay"), ("plyometrcs", "plyometrics"), ("marthon", "marathon")]:
        corrected, expected = search(typo), search(word)
        assert expected["results"]
        assert [r["id"] for r in corrected["results"]] == [r["id"] for r in expected["results"]]
        assert corrected["suggestion"] == word and corrected["query"] == typo
        assert expected["suggestion"] is None


def test_a_word_items_say_only_in_another_form_counts(search):
    """No sample item says "striding", but many say "stride" and "strides": the word is kept
    as it is (same stem, same results), not left out as a word no item contains."""

    def ids(doc: dict) -> list[str]:
        return [result["id"] for result in doc["results"]]

    doc = search("striding drills")
    assert doc["suggestion"] is None
    assert ids(doc) == ids(search("strides drills")) != ids(search("drills"))


def test_every_result_of_a_several_word_query_gets_its_moments(search):
    results = search("strides before a race")["results"]
    assert len(results) >= 3
    assert all(r["moments"] for r in results[:3])


@pytest.mark.parametrize(
    "forms",
    [
        ["5K", "5 k", "5km", "five k", "5,000 m", "5000m"],
        ["1500 m", "1,500m", "fifteen hundred"],
        ["800m", "800 m", "eight hundred"],
    ],
)
def test_each_distance_form_finds_the_same_items(search, forms):
    found = [[r["id"] for r in search(form, per_page=50)["results"]] for form in forms]
    assert found[0], forms[0]
    assert all(ids == found[0] for ids in found), dict(zip(forms, found, strict=True))


@pytest.mark.parametrize("query", ["4x400 relay", "strides before a race", "plyometrics", "Harold Okafor", "threshold"])
def test_typing_a_query_key_by_key_never_finds_nothing(search, query):
    """The last word is matched as a prefix while it is typed (Meilisearch's rule)."""
    final = {result["id"] for result in search(query)["results"]}
    for end in range(1, len(query) + 1):
        typed = query[:end]
        if typed.endswith(" "):
            continue  # a finished word: searched as typed
        doc = search(typed)
        assert doc["total"] > 0, typed
        if end >= len(query.split()[0]) + 3:  # a few letters into a later word: the final results show
            assert final & {result["id"] for result in doc["results"]}, typed


def test_a_word_being_typed_stands_for_the_words_it_begins(search):
    doc = search("stri")
    assert doc["suggestion"] is None and doc["results"][0]["id"] == "youtube:smplDrill02"
    assert "<mark>strides</mark>" in doc["results"][0]["title_html"].lower()
    assert search("stri ")["total"] == 0  # with a space after it, "stri" is a finished word: no such word
    assert search("five k")["results"] == search("5K")["results"]  # "k" ends a distance, not a prefix


def test_a_whole_number_of_miles_finds_the_logs_gps_decimals(fresh_data, tmp_path):
    """Training logs give GPS distances ("16.14 miles"); a visitor asks for "16 mile long run"."""
    workouts = {
        "sunday.md": "---\nname: Sunday\n---\nLong run on the trails, 16.14 miles.\n",
        "tuesday.md": "---\nname: Tuesday\n---\nTempo run, 6 miles with 4 at threshold.\n",
    }
    assert index_workouts(fresh_data, tmp_path / "config", workouts).exit_code == 0
    results = live_search(fresh_data, "16 mile run")["results"]
    assert [result["id"] for result in results] == ["workout:sunday", "workout:tuesday"]
    assert "<mark>16.14</mark>" in results[0]["moments"][0]["text_html"]
    other = live_search(fresh_data, "14 miles")["results"]  # 16.14 is no 14: its whole part decides
    assert other and not any("16.14</mark>" in m["text_html"] for r in other for m in r["moments"])
