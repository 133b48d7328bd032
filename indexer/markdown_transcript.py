"""Markdown transcripts with timestamps here and there, read into timed sentence cues.

Many shows publish human transcripts as Markdown: speaker turns as `**Name:**`, and a
timestamp every few minutes (`[20:21]`, `\\[01:15:56.04\\]`). Times are known only at
those marks, so every word gets one by linear interpolation over word counts between the
two marks around it (people speak at a fairly even rate); the first word is at 0 s; after
the last mark the transcript's own average rate carries on. Each sentence becomes a cue
starting at its first word's time, so a hit opens within seconds of where it is said.
Bracketed asides that are not times (`[laughter]`) are not speech and are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from indexer.captions import CaptionError, Cue, checked

_MARK = re.compile(r"\\?\[(?:(\d{1,2}):)?(\d{1,2}):(\d{2}(?:\.\d+)?)\\?\]")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)")
_ASIDE = re.compile(r"\\?\[[^\]\n]{0,80}?\\?\]")
_SPEAKER = re.compile(r"^(\\?\[[\d:.]+\\?\]\s*)?\*\*([^*\n]{1,80}?):?\*\*:?\s*")  # a mark may come first
_SENTENCE_END = re.compile(r"(?<=[.?!…])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9]|\\?\[\d)")
_MARKDOWN = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])|(?<!\w)[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}(?!\w)")
MAX_SECONDS = 48 * 3600.0


@dataclass(frozen=True)
class _Sentence:
    text: str
    speaker: str | None
    first_word: int  # index in the transcript's words


def parse_markdown_transcript(text: str) -> list[Cue]:
    """Sentence cues of a Markdown transcript; CaptionError if it holds no timestamp or no words."""
    marks: list[tuple[int, float]] = []  # (word index, seconds), times rising
    sentences: list[_Sentence] = []
    words = 0
    speaker = None
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        label = _SPEAKER.match(paragraph.strip())
        if label:
            speaker = label.group(2).strip()
            paragraph = (label.group(1) or "") + paragraph.strip()[label.end() :]
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            pieces = _MARK.split(sentence)
            spoken = []
            for number in range(0, len(pieces), 4):
                spoken += _words(pieces[number])
                if number + 3 < len(pieces):
                    _add_mark(marks, words + len(spoken), pieces[number + 1 : number + 4])
            if spoken:
                sentences.append(_Sentence(" ".join(spoken), speaker, words))
                words += len(spoken)
    if not marks:
        raise CaptionError("no timestamps such as [12:34] in the Markdown transcript")
    if not sentences:
        raise CaptionError("no words in the Markdown transcript")
    clock = _Clock(marks, words)
    starts = [clock.seconds(sentence.first_word) for sentence in sentences]
    ends = [*starts[1:], clock.seconds(words)]
    return checked(
        [
            Cue(start, max(end, start), sentence.text, sentence.speaker)
            for sentence, start, end in zip(sentences, starts, ends, strict=True)
        ]
    )


def _words(text: str) -> list[str]:
    """The spoken words of a piece of Markdown: asides, emphasis and escapes removed."""
    text = _ASIDE.sub(" ", _LINK.sub(r"\1", text))
    text = _MARKDOWN.sub(lambda m: m.group(1) or "", text)
    return re.sub(r"\s+(?=[.,;:?!…])", "", text).split()


def _add_mark(marks: list[tuple[int, float]], word: int, clock: list[str | None]) -> None:
    """Keep a timestamp that moves time forward; one going back (a typo) is ignored."""
    hours, minutes, seconds = clock
    at = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    if at <= MAX_SECONDS and (not marks or (at > marks[-1][1] and word >= marks[-1][0])):
        if marks and word == marks[-1][0]:
            marks.pop()
        marks.append((word, at))


class _Clock:
    """Seconds of any word, interpolated between the marks around it."""

    def __init__(self, marks: list[tuple[int, float]], words: int):
        if marks[0][0] > 0:
            marks = [(0, 0.0), *marks] if marks[0][1] > 0 else marks
        self.words = [word for word, _ in marks]
        self.times = [seconds for _, seconds in marks]
        last_word, last_time = marks[-1]
        # words per second so far carries on past the last mark
        self.rate = last_word / last_time if last_word and last_time else 2.5
        self.total = words

    def seconds(self, word: int) -> float:
        at = bisect_right(self.words, word) - 1
        if at < 0:
            return 0.0
        if at == len(self.words) - 1:
            return round(self.times[-1] + (word - self.words[-1]) / self.rate, 3)
        span_words = self.words[at + 1] - self.words[at]
        span_time = self.times[at + 1] - self.times[at]
        return round(self.times[at] + span_time * (word - self.words[at]) / span_words, 3)
