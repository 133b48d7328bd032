"""Highlighting marks what matched, escapes everything else, and finds the second of a match."""

from catalog.text.analysis import analyze
from catalog.text.highlight import highlight, second_of_best_window


def terms(query: str) -> frozenset[str]:
    return frozenset(analyze(query))


def test_marks_the_whole_normalised_span():
    html = highlight("we ran the four by four hundred relay", terms("4x400 relay"))
    assert html == "we ran the <mark>four by four hundred</mark> <mark>relay</mark>"


def test_escapes_markup_in_the_text():
    html = highlight('<script>alert("x")</script> relay & more', terms("relay"))
    assert html == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>relay</mark> &amp; more"


def test_long_text_is_cut_around_the_first_match():
    text = "warm up " * 60 + "then strides before the race " + "cool down " * 60
    html = highlight(text, terms("strides"))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>strides</mark>" in html
    assert len(html) < 300


def weights(**by_word: float) -> dict[str, float]:
    return {analyze(word)[0]: weight for word, weight in by_word.items()}


def test_a_moment_opens_at_the_cue_of_its_words():
    text = "warm up easy then four by four hundred relay legs"
    cue_times = [[0, 100.0], [18, 104.5], [44, 108.0]]
    assert second_of_best_window(text, cue_times, weights(**{"4x400": 2.0}), (), 100.0) == 104.5
    assert second_of_best_window(text, cue_times, weights(legs=1.0), (), 100.0) == 108.0
    assert second_of_best_window(text, cue_times, weights(marathon=1.0), (), 100.0) == 100.0


def test_a_moment_opens_where_the_query_words_are_said_together_not_at_a_passing_common_word():
    text = (
        "the race went well and the race after that too but nobody talked about it. "
        "then came the medley relay and later the four by four hundred relay race"
    )
    cue_times = [[0, 10.0], [text.index("then"), 20.0], [text.index("and later"), 30.0]]
    found = second_of_best_window(text, cue_times, weights(race=0.2, relay=1.0, **{"4x400": 3.0}), (), 0.0)
    assert found == 30.0  # "four by four hundred relay race", not the first "race" at 10 s nor "medley relay" at 20 s


def test_a_phrase_moment_opens_at_the_phrase():
    text = "tempo pace is hard. the long run is easy, and the tempo run is in between"
    cue_times = [[0, 5.0], [text.index("the long"), 9.0], [text.index("and the"), 14.0]]
    phrase = tuple(analyze("tempo run"))
    found = second_of_best_window(text, cue_times, weights(tempo=2.0, run=0.5), (phrase,), 0.0)
    assert found == 14.0  # "tempo run" starts there, though "tempo" alone comes first
