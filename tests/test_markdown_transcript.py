"""Markdown transcripts: sentence cues whose times are interpolated between sparse timestamps."""

from __future__ import annotations

import pytest

from indexer.captions import CaptionError
from indexer.markdown_transcript import parse_markdown_transcript

from .conftest import CORPUS


def test_times_are_interpolated_by_words_between_marks():
    text = "**Ann:** One two three four. Five six seven eight.\n\n\\[00:10\\] Nine ten. Eleven twelve.\n\n[00:20] Thirteen fourteen."
    cues = parse_markdown_transcript(text)
    assert [(c.start, c.text) for c in cues] == [
        (0.0, "One two three four."),
        (5.0, "Five six seven eight."),  # word 4 of 8 before the 10 s mark
        (10.0, "Nine ten."),
        (15.0, "Eleven twelve."),  # word 2 of 4 between the 10 and 20 s marks
        (20.0, "Thirteen fourteen."),
    ]
    assert [c.speaker for c in cues] == ["Ann"] * 5  # a speaker holds until another is named
    assert cues[-1].end == pytest.approx(
        20.0 + 2 / (12 / 20), abs=0.001
    )  # the average rate carries on past the last mark


def test_a_mark_inside_a_paragraph_starts_a_new_cue():
    cues = parse_markdown_transcript("We ran hills today. \\[01:00:00\\] Then we did strides.")
    assert [(c.start, c.text) for c in cues] == [(0.0, "We ran hills today."), (3600.0, "Then we did strides.")]


def test_asides_links_and_emphasis_are_not_words():
    text = "[00:05] **Bo:** That was *so* funny \\[laughter\\]. See [the plan](https://example.org/p) and _tempo_ runs."
    (first, second) = parse_markdown_transcript(text)
    assert (first.speaker, first.text, second.text) == ("Bo", "That was so funny.", "See the plan and tempo runs.")


def test_a_mark_that_goes_back_in_time_is_ignored():
    cues = parse_markdown_transcript("[00:10] A b. [00:05] C d. [00:30] E f.")
    assert [(c.start, c.text) for c in cues] == [(10.0, "A b."), (20.0, "C d."), (30.0, "E f.")]


@pytest.mark.parametrize(
    ("text", "message"),
    [("Just words, no times.", "no timestamps"), ("[00:10] \\[laughter\\]", "no words")],
)
def test_unusable_transcripts_are_caption_errors(text, message):
    with pytest.raises(CaptionError, match=message):
        parse_markdown_transcript(text)


def test_real_changelog_transcript_lands_on_its_running_section():
    """Changelog & Friends 108: the running talk sits between the [20:21] and [24:17] marks."""
    cues = parse_markdown_transcript((CORPUS / "transcripts" / "changelog-friends-108.md").read_text(encoding="utf-8"))
    assert all(a.start <= b.start for a, b in zip(cues, cues[1:], strict=False))
    (pace,) = [c for c in cues if "9:15 pace per mile" in c.text]
    assert 20 * 60 + 21 < pace.start < 24 * 60 + 17 and pace.speaker == "Arun Gupta"
    assert not any("\\[" in c.text or "**" in c.text for c in cues)
