"""The baseline the catalog must beat: a plain SQLite FTS5 index over the same catalog.

Items are ranked by FTS5's bm25 over title, description and the whole transcript or body
(`porter unicode61`), the query's words OR'ed (or AND'ed) as typed, quoted phrases kept as
phrases, `-word` left out. Moments are one row per caption cue (an article's paragraph
counts as one untimed cue): an item's best three cues by bm25, best first. The answers
have the shape of /api/search results, so the same scoring applies to both.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from catalog.storage import store

_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+")
MOMENTS = 3


class Fts5Baseline:
    """An in-memory FTS5 index of one data folder's catalog."""

    def __init__(self, data_dir: Path):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "create virtual table item using fts5(id unindexed, title, description, body, tokenize='porter unicode61')"
        )
        self.db.execute(
            "create virtual table cue using fts5(item_id unindexed, start unindexed, text, tokenize='porter unicode61')"
        )
        catalog = store.open_readonly(data_dir)
        for row in catalog.execute("select id, title, description from items where status = 'live'").fetchall():
            item_id, title, description = row
            segments = catalog.execute(
                "select text, start, cue_times from segments where item_id = ? order by seq", [item_id]
            ).fetchall()
            body = "\n".join(text for text, _, _ in segments)
            self.db.execute("insert into item values (?, ?, ?, ?)", [item_id, title, description or "", body])
            for text, start, cue_times in segments:
                for cue_start, cue_text in _cues(text, start, cue_times):
                    self.db.execute("insert into cue values (?, ?, ?)", [item_id, cue_start, cue_text])

    def search(self, query: str, joiner: str = "OR", limit: int = 10) -> list[dict]:
        """Results shaped like /api/search's: `{"id", "moments": [{"start"}, ...]}`, best first."""
        match = fts_query(query, joiner)
        if not match:
            return []
        rows = self.db.execute(
            "select id from item where item match ? order by bm25(item) limit ?", [match, limit]
        ).fetchall()
        results = []
        for (item_id,) in rows:
            cues = self.db.execute(
                "select start from cue where cue match ? and item_id = ? order by bm25(cue) limit ?",
                [match, item_id, MOMENTS],
            ).fetchall()
            results.append({"id": item_id, "moments": [{"start": start} for (start,) in cues]})
        return results


def fts_query(text: str, joiner: str) -> str:
    """An FTS5 MATCH expression: phrases kept, words quoted, `-word` dropped, joined by `joiner`."""
    phrases = [" ".join(_WORD.findall(p)) for p in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text)
    words = [w for token in rest.split() if not token.startswith("-") for w in _WORD.findall(token)]
    parts = [f'"{p}"' for p in phrases if p] + [f'"{w}"' for w in words]
    return f" {joiner} ".join(parts)


def _cues(text: str, start: float | None, cue_times: str | None) -> list[tuple[float | None, str]]:
    """A segment's text cut at its cues' offsets, each with its second."""
    times = json.loads(cue_times or "[]") or [[0, start]]
    pieces = []
    for number, (offset, second) in enumerate(times):
        end = times[number + 1][0] if number + 1 < len(times) else len(text)
        if text[offset:end].strip():
            pieces.append((second, text[offset:end]))
    return pieces
