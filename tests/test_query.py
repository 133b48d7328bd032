"""Query parsing: forgiving, bounded, and never an error (checked with hypothesis too)."""

import re
from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from catalog.search.query import MAX_QUERY_CHARS, parse, typed_prefix


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
@example("\U00010e60")  # a Rumi digit: str.isdigit() says yes, int() says no
@example("sub \U00010e60 minute mile")
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
def test_operator_soup_is_read_as_plain_words(pieces):
    text = "".join(pieces)
    parsed = parse(text)
    assert parsed.text == " ".join(text.split())
    words = (*parsed.terms, *parsed.excluded, *(word for phrase in parsed.phrases for word in phrase))
    assert all(re.fullmatch(r"[\w:]+", word) for word in words), words  # no quote, *, (, ~ or - leaks into a word
    assert len(set(parsed.terms)) == len(parsed.terms) and len(set(parsed.excluded)) == len(parsed.excluded)


@pytest.mark.parametrize(
    ("typed", "prefix"),
    [
        ("stri", "stri"),
        ("4x400 rel", "rel"),
        ("Harold Ok", "Ok"),
        ("strides ", None),  # a space after it: the word is finished
        ('"tempo ru', None),  # inside an open phrase: phrases are matched as written
        ("tempo -ru", None),  # an excluded word is excluded as written
        ("speaker:har", None),
        ("", None),
    ],
)
def test_the_word_being_typed_is_the_last_one_with_nothing_after_it(typed, prefix):
    assert typed_prefix(typed) == prefix


def test_a_whole_number_of_miles_stands_for_its_decimals_once_the_index_gives_them():
    parsed = parse("16 mile long run after zone 2")
    assert parsed.whole_miles() == ["16"]  # "zone 2" is no distance
    widened = replace(parsed, decimals=(("16", ("16.14", "16.56")),))
    assert widened.alternatives("16") == ("16", "16.14", "16.56")
    assert widened.alternatives("2") == ("2",)
    assert {"16.14", "16.56"} <= widened.highlight_terms
