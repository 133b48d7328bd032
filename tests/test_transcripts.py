"""Podcasting 2.0 transcripts: JSON and HTML read here, VTT and SRT handed to captions."""

from __future__ import annotations

import pytest

from indexer.captions import CaptionError, Cue, parse_srt, parse_vtt
from indexer.sources.podcast_feed import Transcript
from indexer.transcripts import TRANSCRIPT_PREFERENCE, best_first, language_rank, parse_transcript, transcript_format


def read(corpus, name: str) -> str:
    return (corpus / "vtt" / name).read_text(encoding="utf-8")


def test_json_corpus_keeps_word_level_segments_with_speakers_and_times(corpus):
    cues = parse_transcript(read(corpus, "podcastindex-example.transcript.json"), "application/json")
    assert cues == [
        Cue(0.5, 0.75, "I", "Darth Vader"),
        Cue(1.0, 1.25, "am", "Darth Vader"),
        Cue(1.5, 2.0, "your", "Darth Vader"),
        Cue(2.25, 2.5, "father.", "Darth Vader"),
        Cue(2.75, 3.0, "Nooooo", "Luke"),
    ]


def test_html_corpus_gives_one_cue_per_paragraph_until_the_next_time(corpus):
    cues = parse_transcript(read(corpus, "podcastindex-example.transcript.html"), "text/html")
    assert len(cues) == 10
    assert [c.speaker for c in cues[:4]] == ["Travis", "Sarah", "Travis", "Gilon"]
    assert {c.speaker for c in cues} == {"Travis", "Sarah", "Gilon"}
    assert [c.start for c in cues[:3]] == [0.0, 53.0, 102.0]
    assert cues[0].end == cues[1].start and cues[-1].start == cues[-1].end == 691.0
    assert cues[0].text.startswith("When you first get started in podcasting, it's almost guaranteed")
    assert "&#39;" not in "".join(c.text for c in cues)


def test_html_inline_hours_markup_and_missing_speaker():
    html = (
        "<time>1:02:03.5</time><p>Tempo <b>run</b> &amp; strides</p>"
        "<cite>Coach:</cite><time>1:02:10</time><p>Then\n  cool down.</p>"
    )
    assert parse_transcript(html, "html") == [
        Cue(3723.5, 3730.0, "Tempo run & strides"),
        Cue(3730.0, 3730.0, "Then cool down.", "Coach"),
    ]


@pytest.mark.parametrize(
    ("kind", "name", "parse"),
    [
        ("text/vtt", "podcastindex-example.vtt", parse_vtt),
        ("text/vtt; charset=utf-8", "podcastindex-example.vtt", parse_vtt),
        (".vtt", "podcastindex-example.vtt", parse_vtt),
        ("application/x-subrip", "podcastindex-example.srt", parse_srt),
        ("application/srt", "podcastindex-example.srt", parse_srt),
        ("srt", "podcastindex-example.srt", parse_srt),
    ],
)
def test_vtt_and_srt_are_read_by_captions(corpus, kind, name, parse):
    text = read(corpus, name)
    assert parse_transcript(text, kind) == parse(text)


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("{", "json", "not JSON: Expecting property name enclosed in double quotes at line 1"),
        ('{"version": "1.0.0"}', "json", 'not a JSON transcript: no "segments" list'),
        ('[{"body": "hi"}]', "json", 'not a JSON transcript: no "segments" list'),
        ('{"segments": [{"startTime": 1, "body": "hi"}]}', "json", "segment 1: needs startTime, endTime and body"),
        (
            '{"segments": [{"startTime": 0, "endTime": 1, "body": "a"},'
            ' {"startTime": "soon", "endTime": 2, "body": "b"}]}',
            "json",
            "segment 2: startTime and endTime must be numbers of seconds",
        ),
        ('{"segments": [{"startTime": 3, "endTime": 2, "body": "hi"}]}', "json", "cue 1: end before start"),
        ('{"segments": []}', "json", "no cues"),
        ("<html><body>Nothing here</body></html>", "text/html", "no cues"),
        ("<time>soon</time><p>hi</p>", "text/html", "bad <time> 'soon': expected m:ss or h:mm:ss"),
        ("<cite>Sam:</cite><p>hi</p>", "text/html", "paragraph 1: no <time> before it"),
        ("<time>1:00</time><p>a</p><time>0:30</time><p>b</p>", "text/html", "cue 1: end before start"),
        ("", "text/vtt", "empty caption file"),
        ("hello", "text/plain", "unsupported transcript type 'text/plain'"),
    ],
)
def test_malformed_transcripts_raise_caption_error(text, kind, message):
    with pytest.raises(CaptionError) as raised:
        parse_transcript(text, kind)
    assert str(raised.value) == message


def test_transcript_format_names():
    assert [transcript_format(k) for k in ("TEXT/VTT", "application/json; charset=utf-8", ".html", "text/plain")] == [
        "vtt",
        "json",
        "html",
        None,
    ]


def offered(*transcripts: tuple[str, str | None]) -> list[Transcript]:
    return [Transcript(f"https://x/{n}", mime, language) for n, (mime, language) in enumerate(transcripts)]


def test_the_best_transcript_is_the_first_readable_one_by_format():
    assert TRANSCRIPT_PREFERENCE == ("vtt", "json", "srt", "html", "markdown")
    some = offered(
        ("text/html", None), ("application/x-subrip", None), ("application/json", None), ("text/plain", None)
    )
    assert best_first(some, []) == [some[2], some[1], some[0]]  # text/plain is not a transcript
    vtt = offered(("text/vtt", None))
    assert best_first(some + vtt, [])[0] == vtt[0]
    assert best_first(offered(("text/plain", "en")), ["en"]) == best_first([], ["en"]) == []


def test_the_configured_languages_come_before_the_format():
    some = offered(("text/vtt", "fr"), ("text/vtt", "en-GB"), ("application/x-subrip", "de"), ("text/html", None))
    french, british, german, unstated = some
    assert best_first(some, ["de", "EN"]) == [german, unstated, british]  # no stated language: as the first
    assert best_first(some, ["en"]) == [british, unstated]  # a language takes its regional variants
    assert best_first(some, []) == [french, british, german, unstated]  # none configured: format, then feed order


def test_a_language_code_takes_its_variants_and_nothing_else():
    codes = ("de", "EN-orig", "en-GB", "english", "fr")
    assert [language_rank(code, ["de", "en"]) for code in codes] == [0, 1, 1, None, None]
