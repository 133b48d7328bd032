"""The catalog's analyzer as a Whoosh tokenizer: the terms of `catalog.text.analysis`, with
true positions and character spans, so the index, the query and the highlighter agree."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from catalog.text import analysis


class RunningTokenizer(Tokenizer):
    """The stemmed, normalised terms of every searchable text field."""

    def __init__(self) -> None:
        self.version = analysis.ANALYSIS_VERSION  # pickled with the schema, read back by `built_by_this_version`

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__ and other.version == self.version

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self.version))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.text = token.original = value
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        position = start_pos
        for line_start, pieces in analysis.lines(value):
            for piece in pieces:
                token.text = piece.text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = piece.text
                if positions:
                    token.pos = position
                if chars:
                    token.startchar = start_char + line_start + piece.start
                    token.endchar = start_char + line_start + piece.end
                position += 1
                yield token
