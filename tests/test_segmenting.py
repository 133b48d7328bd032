"""Cues joined into 15–40 s segments."""

from __future__ import annotations

from catalog.storage.models import Segment
from indexer.captions import Cue, collapse_rolling, parse_srt, parse_vtt
from indexer.segmenting import MAX_SEGMENT_CHARS, segment_cues
from indexer.transcripts import parse_transcript

from .conftest import FIXTURES, YTDLP_SITE


def steady(texts: list[str], seconds: float = 5.0, speaker: str | None = None) -> list[Cue]:
    """Back-to-back cues of equal length."""
    return [Cue(n * seconds, (n + 1) * seconds, text, speaker) for n, text in enumerate(texts)]


def durations(segments: list[Segment]) -> list[float]:
    return [s.end - s.start for s in segments]


def test_empty_input():
    assert segment_cues([]) == []


def test_segment_fields_come_from_first_and_last_cue():
    cues = [Cue(1.0, 3.0, "two\nlines", "Sam"), Cue(3.0, 4.5, "  and   more.", "Sam")]
    assert segment_cues(cues) == [
        Segment(text="two lines and more.", start=1.0, end=4.5, speaker="Sam", cue_times=((0, 1.0), (10, 3.0)))
    ]


def test_sentence_end_closes_a_segment_only_once_it_is_long_enough():
    cues = steady(["Short one.", "still going", "and on", "to the end.", "next part", "last."])
    segments = segment_cues(cues)
    assert [s.text for s in segments] == ["Short one. still going and on to the end.", "next part last."]
    assert [(s.start, s.end) for s in segments] == [(0.0, 20.0), (20.0, 30.0)]


def test_sentence_end_may_be_followed_by_a_closing_quote():
    cues = steady(['he said "go', "go", 'go!"', "then"], seconds=6.0)
    assert [s.text for s in segment_cues(cues)] == ['he said "go go go!"', "then"]


def test_pause_closes_a_long_enough_segment():
    cues = [Cue(0, 8, "no punctuation"), Cue(8, 16, "here either"), Cue(18, 20, "after a pause"), Cue(20.5, 22, "gap")]
    assert [s.text for s in segment_cues(cues)] == ["no punctuation here either", "after a pause gap"]


def test_short_pause_or_early_pause_does_not_close():
    cues = [Cue(0, 5, "one"), Cue(7, 12, "two"), Cue(12.5, 17, "three")]
    assert len(segment_cues(cues)) == 1


def test_unpunctuated_stream_is_cut_at_max_seconds_on_a_cue_boundary():
    cues = steady([f"word{n}" for n in range(40)], seconds=3.0)
    segments = segment_cues(cues)
    assert all(d <= 40 for d in durations(segments))
    assert all(d >= 15 for d in durations(segments)[:-1])
    cue_ends = {c.end for c in cues}
    assert all(s.end in cue_ends for s in segments)
    assert " ".join(s.text for s in segments) == " ".join(c.text for c in cues)


def test_speaker_change_always_closes():
    cues = [Cue(0, 2, "Hi.", "Ann"), Cue(2, 3, "Hello", "Bo"), Cue(3, 4, "there", "Bo"), Cue(4, 5, "Bye", "Ann")]
    assert [(s.speaker, s.text) for s in segment_cues(cues)] == [("Ann", "Hi."), ("Bo", "Hello there"), ("Ann", "Bye")]


def test_word_level_cues_merge_into_normal_segments():
    words = [f"w{n}." if n % 12 == 11 else f"w{n}" for n in range(300)]
    cues = [Cue(n * 0.4, n * 0.4 + 0.3, word, "Coach") for n, word in enumerate(words)]
    segments = segment_cues(cues)
    assert all(15 <= d <= 40 for d in durations(segments)[:-1])
    assert all(s.text.endswith(".") for s in segments)
    assert sum(len(s.text.split()) for s in segments) == 300


def test_json_corpus_words_join_into_phrases_per_speaker(corpus):
    text = (corpus / "vtt" / "podcastindex-example.transcript.json").read_text(encoding="utf-8")
    segments = segment_cues(parse_transcript(text, "json"))
    assert [(s.text, s.start, s.end, s.speaker) for s in segments] == [
        ("I am your father.", 0.5, 2.5, "Darth Vader"),
        ("Nooooo", 2.75, 3.0, "Luke"),
    ]
    assert [second for _, second in segments[0].cue_times] == [0.5, 1.0, 1.5, 2.25]


def test_rolling_auto_captions_stay_within_bounds():
    """Unpunctuated auto-captions are cut by length alone, and no word is lost or doubled."""
    text = (FIXTURES / "rolling" / "coach-talk.en.vtt").read_text(encoding="utf-8")
    cues = collapse_rolling(parse_vtt(text))
    segments = segment_cues(cues)
    assert len(segments) > 10
    assert all(d <= 40 for d in durations(segments))
    assert all(d >= 15 for d in durations(segments)[:-1])  # one speaker throughout
    assert sum(len(s.text.split()) for s in segments) == sum(len(c.text.split()) for c in cues)
    assert " ".join(s.text for s in segments).count("holding a potato chip") == 1


def test_podcastindex_srt_segments_follow_speaker_turns(corpus):
    text = (corpus / "vtt" / "podcastindex-example.srt").read_text(encoding="utf-8")
    segments = segment_cues(parse_srt(text))
    assert all(d <= 40 for d in durations(segments))
    turns = [s.speaker for n, s in enumerate(segments) if n == 0 or segments[n - 1].speaker != s.speaker]
    assert turns[:4] == ["Travis", "Sarah", "Travis", "Gilon"]


def test_research_fixture_relay_segment():
    cues = collapse_rolling(parse_vtt((YTDLP_SITE / "captions.en.vtt").read_text(encoding="utf-8")))
    segments = segment_cues(cues)
    assert " ".join(s.text for s in segments).count("four by four hundred relay") == 1
    [segment] = [s for s in segments if "four by four hundred relay" in s.text]
    assert abs(segment.start - 3.21) <= 5


def test_an_overlong_cue_is_split_into_bounded_pieces_timed_in_order():
    long_text = " ".join(f"word{n}" for n in range(3000))  # about 26,000 characters
    cues = [Cue(0.0, 2.0, "Before.", "Ann"), Cue(2.0, 602.0, long_text, "Bo"), Cue(602.0, 604.0, "After.", "Ann")]
    segments = segment_cues(cues)
    assert max(len(s.text) for s in segments) <= MAX_SEGMENT_CHARS
    assert " ".join(s.text for s in segments) == f"Before. {long_text} After."
    starts = [second for s in segments for _, second in s.cue_times]
    assert starts == sorted(starts) and starts[1] == 2.0 and starts[-1] == 602.0
    assert [s.speaker for s in segments if "word" in s.text] == ["Bo"] * (len(segments) - 2)
    # each piece is timed where its words fall in the cue
    said = 2.0 + 600.0 * long_text.index("word1500 ") / len(long_text)
    middle = next(s for s in segments if "word1500 " in s.text)
    assert middle.start <= said <= middle.end and middle.end - middle.start < 60
