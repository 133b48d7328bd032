"""Query parsing: forgiving, bounded, and never an error (checked with hypothesis too)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.query import MAX_QUERY_CHARS, parse


def test_words_phrases_exclusions_and_speaker():
    parsed = parse('4 x 400 "strides before" -marathon speaker:"Lena Hartwell"')
    assert parsed.terms == ("4x400",)
    assert parsed.phrases == (("stride", "befor"),)
    assert parsed.excluded == ("marathon",)
    assert parsed.speaker == "lena hartwell"
    assert parsed.words == '4 x 400 "strides before" -marathon'


def test_unquoted_stop_words_are_dropped_unless_nothing_else_is_left():
    assert parse("strides before a race").terms == ("stride", "befor", "race")
    assert parse("the").terms == ("the",)


def test_phrases_keep_their_stop_words():
    assert parse('"race in the rain"').phrases == (("race", "in", "the", "rain"),)


def test_syntax_is_just_text():
    assert parse("AND OR NOT").terms == ("not",)
    assert parse('"').is_empty and parse("*").is_empty and parse("").is_empty
    assert parse("title:").terms == ("titl",)
    assert parse("speaker:Vega").speaker == "vega" and parse("speaker:Vega").is_empty
    assert parse('speaker:"" relay').speaker is None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_parses_within_bounds(text):
    parsed = parse(text)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    for term in (*parsed.terms, *parsed.excluded, *(w for p in parsed.phrases for w in p)):
        assert isinstance(term, str) and term


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(['"', "-", "*", "speaker:", "4", "x", "400", "relay", " ", "AND", ":", "(", "~"]), max_size=30
    )
)
def test_operator_soup_parses(pieces):
    parse("".join(pieces))
