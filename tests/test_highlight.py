"""Highlighting marks what matched, escapes everything else, and finds the second of a match."""

from catalog.analysis import analyze
from catalog.highlight import highlight, second_of_first_match


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


def test_second_of_first_match_uses_the_cue_it_is_in():
    text = "warm up easy then four by four hundred relay legs"
    cue_times = [[0, 100.0], [18, 104.5], [44, 108.0]]
    assert second_of_first_match(text, cue_times, terms("4x400"), 100.0) == 104.5
    assert second_of_first_match(text, cue_times, terms("legs"), 100.0) == 108.0
    assert second_of_first_match(text, cue_times, terms("marathon"), 100.0) == 100.0
