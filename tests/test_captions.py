"""WebVTT/SRT parsing and the undoing of YouTube's rolling auto-captions."""

from __future__ import annotations

import random

import pytest

from indexer.captions import (
    CaptionError,
    Cue,
    collapse_rolling,
    looks_rolling,
    parse_captions,
    parse_srt,
    parse_vtt,
)

from .conftest import CORPUS, FIXTURES, YTDLP_SITE

# our own coach talk: YouTube-shaped rolling auto-captions, and manual German subtitles of its opening
ROLLING_EN = FIXTURES / "rolling" / "coach-talk.en.vtt"
MANUAL_DE = FIXTURES / "rolling" / "coach-talk.de.vtt"


def read(corpus, name: str) -> str:
    return (corpus / "vtt" / name).read_text(encoding="utf-8")


def lines_of(cues: list[Cue]) -> list[str]:
    return [line for cue in cues for line in cue.text.split("\n")]


def words(cues: list[Cue]) -> int:
    return sum(len(cue.text.split()) for cue in cues)


# --- parsing -----------------------------------------------------------------


def test_vtt_header_metadata_style_note_identifiers_and_settings():
    text = """\ufeffWEBVTT - a title
Kind: captions
Language: en

STYLE
::cue(.loud) { color: red; }

NOTE written by hand

intro
00:00:01.000 --> 00:00:02.500 align:start position:0%
Hello  <c.loud>there</c>

2
00:01:02.250 --> 00:01:04.000 line:0
second <00:01:03.000><c>cue</c>
"""
    assert parse_vtt(text) == [
        Cue(1.0, 2.5, "Hello there"),
        Cue(62.25, 64.0, "second cue"),
    ]


def test_vtt_short_timestamps_and_no_blank_line_between_cues():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\none\n00:02.000 --> 00:03.000\ntwo\n"
    assert [(c.start, c.text) for c in parse_vtt(text)] == [(1.0, "one"), (2.0, "two")]


def test_vtt_voice_tags_and_entities():
    text = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v.loud Mary Ann>Q&amp;A &lt;live&gt;&nbsp;now</v>\n"
    [cue] = parse_vtt(text)
    assert (cue.speaker, cue.text) == ("Mary Ann", "Q&A <live> now")


def test_srt_comma_millis_multiline_and_formatting_tags():
    text = (
        "1\n00:00:01,500 --> 00:00:03,250\n<i>first line</i>\nsecond   line\n\n"
        "2\n00:00:04,000 --> 00:00:05,000\nthird\n"
    )
    assert parse_srt(text) == [
        Cue(1.5, 3.25, "first line\nsecond line"),
        Cue(4.0, 5.0, "third"),
    ]


def test_speaker_label_becomes_speaker_and_carries_to_following_cues():
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nTravis: Hi there\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nstill Travis\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nMary Ann Lee: hello\n\n"
        "4\n00:00:04,000 --> 00:00:05,000\nthe time: 5 pm\n\n"
        "5\n00:00:05,000 --> 00:00:06,000\nOne Two Three Four: not a name\n"
    )
    assert [(c.speaker, c.text) for c in parse_srt(text)] == [
        ("Travis", "Hi there"),
        ("Travis", "still Travis"),
        ("Mary Ann Lee", "hello"),
        ("Mary Ann Lee", "the time: 5 pm"),
        ("Mary Ann Lee", "One Two Three Four: not a name"),
    ]


def test_parse_captions_dispatches_and_rejects_unknown_format():
    srt = "1\n00:00:01,000 --> 00:00:02,000\nhi\n"
    assert parse_captions(srt, "SRT") == parse_srt(srt)
    with pytest.raises(CaptionError, match=r"^unknown caption format 'sbv'"):
        parse_captions(srt, "sbv")


# --- malformed input ---------------------------------------------------------

GARBAGE = random.Random(7).randbytes(600).decode("utf-8", errors="replace")
TWELVE_SRT = "".join(f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\ncue {n}\n\n" for n in range(1, 12))


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("", "vtt", "empty caption file"),
        ("  \n\n", "srt", "empty caption file"),
        ("00:00:01.000 --> 00:00:02.000\nhi\n", "vtt", "not a WebVTT file: missing WEBVTT header"),
        (GARBAGE, "vtt", "not a WebVTT file: missing WEBVTT header"),
        (GARBAGE, "srt", "not an SRT file: expected a cue number and a timing line first"),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n\n00:00:03.000 --> 00:0",
            "vtt",
            "cue 2: malformed timing line '00:00:03.000 --> 00:0'",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n\n00:00:03.0",
            "vtt",
            "truncated: file ends inside a timing line '00:00:03.0'",
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:03,0",
            "srt",
            "truncated: file ends inside a timing line '00:00:03,0'",
        ),
        (
            "WEBVTT\n\n00:00:01.000 --> 00:75:00.000\nbad minutes\n",
            "vtt",
            "cue 1: malformed timing line '00:00:01.000 --> 00:75:00.000'",
        ),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nbackwards\n", "vtt", "cue 1: end before start"),
        (TWELVE_SRT + "12\n00:00:12,000 --> 00:00:11,000\nbackwards\n", "srt", "cue 12: end before start"),
        ("WEBVTT\nKind: captions\n\nNOTE nothing spoken\n", "vtt", "no cues"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<c> </c>\n", "vtt", "no cues"),
    ],
)
def test_malformed_input_raises_caption_error_with_specific_message(text, fmt, message):
    with pytest.raises(CaptionError) as raised:
        parse_captions(text, fmt)
    assert str(raised.value) == message


@pytest.mark.parametrize(("name", "fmt"), [("webvtt-py-youtube_dl.vtt", "vtt"), ("podcastindex-example.srt", "srt")])
def test_truncation_anywhere_gives_cues_or_caption_error_only(corpus, name, fmt):
    text = read(corpus, name)[:1500]
    for cut in range(len(text) + 1):
        try:
            cues = parse_captions(text[:cut], fmt)
        except CaptionError:
            continue
        assert cues and all(cue.text for cue in cues)


# --- corpus files ------------------------------------------------------------


def test_podcastindex_vtt_voices_and_entity(corpus):
    cues = parse_vtt(read(corpus, "podcastindex-example.vtt"))
    assert len(cues) == 7
    assert [c.speaker for c in cues] == ["Sarah"] * 5 + ["Gillian"] * 2
    assert "Welcome to Podcasting Q&A, where you learn" in cues[2].text
    assert (cues[5].start, cues[5].end) == (19.08, 21.45)


def test_podcastindex_srt_speaker_labels(corpus):
    cues = parse_srt(read(corpus, "podcastindex-example.srt"))
    assert len(cues) == 222
    assert {c.speaker for c in cues} == {"Travis", "Sarah", "Gilon"}
    assert cues[0] == Cue(0.179, 2.399, "When you first get\nstarted in podcasting, it's", "Travis")
    assert not any(c.text.startswith(("Travis:", "Sarah:", "Gilon:")) for c in cues)


def test_youtube_dl_vtt_strips_word_timings_and_classes(corpus):
    cues = parse_vtt(read(corpus, "webvtt-py-youtube_dl.vtt"))
    telling = "this will happen is I'm telling"
    assert [c.text for c in cues] == ["yeah", "yeah\nwhat", telling, telling]
    assert (cues[0].start, cues[-1].end) == (286.07, 305.4)
    assert collapse_rolling(cues) == [
        Cue(286.07, 286.47, "yeah"),
        Cue(286.47, 304.08, "what"),
        Cue(304.08, 305.069, "this will happen is I'm telling"),
    ]


def test_rolling_auto_captions_keep_each_line_once():
    """Every spoken line is indexed once, so its words do not count three times in the ranking."""
    cues = parse_vtt(ROLLING_EN.read_text(encoding="utf-8"))
    assert looks_rolling(cues)
    collapsed = collapse_rolling(cues)
    kept = lines_of(collapsed)

    assert all(a.casefold() != b.casefold() for a, b in zip(kept, kept[1:], strict=False))
    assert len(kept) == len(set(kept))
    assert {line.casefold() for line in lines_of(cues)} == {line.casefold() for line in kept}  # nothing lost
    phrase = "holding a potato chip"
    assert (" ".join(lines_of(cues)).count(phrase), " ".join(kept).count(phrase)) == (3, 1)
    # raw words, then de-duplicated words, measured on the file as committed: its 156 lines hold
    # 1007 words, each line shown three times (rising, flash, rolled up) but the last (6 words) once
    assert (words(cues), words(collapsed)) == (3009, 1007)
    assert words(collapsed) * 2 < words(cues)


def test_rolling_line_keeps_the_start_of_the_cue_where_it_first_appeared():
    """A hit jumps to where the words are spoken, not to where they roll up a line later."""
    collapsed = collapse_rolling(parse_vtt(ROLLING_EN.read_text(encoding="utf-8")))
    assert collapsed[:2] == [
        Cue(0.4, 3.033, "hey everybody welcome back so today I"),
        Cue(3.043, 5.415, "want to talk about three things"),
    ]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [(MANUAL_DE, "vtt"), (CORPUS / "vtt" / "podcastindex-example.srt", "srt")],
    ids=["coach-talk.de.vtt", "podcastindex-example.srt"],
)
def test_manual_captions_pass_through_unchanged(path, fmt):
    """Manual subtitles never look rolling, so they are indexed exactly as written."""
    cues = parse_captions(path.read_text(encoding="utf-8"), fmt)
    assert not looks_rolling(cues)
    assert collapse_rolling(cues) == cues
    assert words(collapse_rolling(cues)) == words(cues)


def test_research_fixture_relay_phrase_once_at_its_first_cue():
    collapsed = collapse_rolling(parse_vtt((YTDLP_SITE / "captions.en.vtt").read_text(encoding="utf-8")))
    assert " ".join(lines_of(collapsed)).count("four by four hundred relay") == 1
    [cue] = [c for c in collapsed if "four by four hundred relay" in c.text]
    assert (cue.start, cue.text) == (3.21, "today we talk about the four by four hundred relay")


# --- collapse_rolling on small inline streams ---------------------------------


def test_collapse_drops_flash_and_rolling_repeats_but_keeps_repetition_within_a_line():
    cues = [
        Cue(0.0, 2.0, "yeah yeah okay"),
        Cue(2.0, 2.01, "yeah yeah okay"),
        Cue(2.01, 4.0, "yeah yeah okay\nso we run"),
        Cue(4.0, 4.01, "So  we run"),
        Cue(4.01, 6.0, "so we run\nso we run"),
    ]
    assert collapse_rolling(cues) == [Cue(0.0, 2.0, "yeah yeah okay"), Cue(2.01, 4.0, "so we run")]


def test_collapse_emits_only_the_words_that_extend_the_last_line():
    cues = [
        Cue(0.0, 1.0, "this"),
        Cue(1.0, 2.0, "this will"),
        Cue(2.0, 3.0, "this will\nhappen is"),
        Cue(3.0, 4.0, "this will\nhappen is I'm telling"),
        Cue(4.0, 5.0, "happen is I'm telling\nyou"),
    ]
    assert collapse_rolling(cues) == [
        Cue(0.0, 1.0, "this"),
        Cue(1.0, 2.0, "will"),
        Cue(2.0, 3.0, "happen is"),
        Cue(3.0, 4.0, "I'm telling"),
        Cue(4.0, 5.0, "you"),
    ]


def test_collapse_keeps_a_new_line_that_starts_like_the_one_above_it():
    cues = [Cue(0.0, 2.0, "warm up\nokay"), Cue(2.0, 2.01, "okay"), Cue(2.01, 4.0, "okay\nokay so today")]
    assert collapse_rolling(cues) == [Cue(0.0, 2.0, "warm up\nokay"), Cue(2.01, 4.0, "okay so today")]


def test_collapse_leaves_clean_captions_alone_even_with_a_repeated_line():
    said = ["Thank you.", "Thank you.", "Let's begin.", "Warm up first.", "Then we run."]
    cues = [Cue(float(n), n + 1.0, text) for n, text in enumerate(said)]
    assert not looks_rolling(cues)
    assert collapse_rolling(cues) == cues
    assert collapse_rolling([]) == []


def test_voice_names_are_unescaped_like_the_text():
    cues = parse_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana &amp; Bo>Hi &amp; welcome\n")
    assert (cues[0].speaker, cues[0].text) == ("Ana & Bo", "Hi & welcome")
