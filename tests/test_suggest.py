"""Autocomplete: GET /api/suggest?q= answers titles, tags, people, chapters and phrases."""

from catalog.search.suggest import Suggestions

ENTRIES = [
    {"text": "hill repeats", "kind": "phrase", "url": "/search?q=hill+repeats", "weight": 9},
    {"text": "Hill repeats", "kind": "tag", "url": "/search?tag=hill repeats", "weight": 1},
    {"text": "Strides before a race", "kind": "title", "url": "/items/youtube:x", "weight": 1},
    {"text": "Harold Okafor", "kind": "person", "url": "/search?person=harold okafor", "weight": 1},
]


def test_prefix_of_any_word_titles_first():
    title = {"text": "Hard hills, easy days", "kind": "title", "url": "/items/youtube:y", "weight": 1}
    found = Suggestions([*ENTRIES, title]).lookup("h")
    assert [e["kind"] for e in found] == ["title", "tag", "person", "phrase"]
    assert [e["text"] for e in Suggestions(ENTRIES).lookup("befo")] == ["Strides before a race"]


def test_several_words_must_follow_on():
    assert [e["text"] for e in Suggestions(ENTRIES).lookup("hill rep")] == ["Hill repeats", "hill repeats"]
    assert Suggestions(ENTRIES).lookup("repeats hill") == []


def test_empty_prefix_suggests_nothing():
    assert Suggestions(ENTRIES).lookup("   ") == []


def test_api_suggest_on_the_sample(client):
    doc = client.get("/api/suggest", query_string={"q": "stri"}).get_json()
    kinds = {e["kind"] for e in doc["suggestions"]}
    assert doc["query"] == "stri" and {"title", "tag"} <= kinds
    assert any(
        e["text"] == "Strides before a race: how and why" and e["url"] == "/items/youtube:smplDrill02"
        for e in doc["suggestions"]
    )
    chapter = next(
        e for e in client.get("/api/suggest?q=advice for").get_json()["suggestions"] if e["kind"] == "chapter"
    )
    assert chapter["url"] == "/items/youtube:smplIntrv01?t=460"


def test_api_suggest_takes_any_input(client):
    for prefix in ["", '"', "x" * 5000, "\x00", "🏃"]:
        response = client.get("/api/suggest", query_string={"q": prefix})
        assert response.status_code == 200 and isinstance(response.get_json()["suggestions"], list)
