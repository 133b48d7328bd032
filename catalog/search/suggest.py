"""Autocomplete: titles, tags, people, chapters and frequent phrases that match a prefix.

The list is written beside each generation at build time (`suggest.json`) and held in
memory by each worker; a lookup is a scan of a few thousand short strings.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sqlite_utils import Database

from catalog.links import item_path
from catalog.text.vocabulary import fold

SUGGEST_FILE = "suggest.json"
KIND_ORDER = {"title": 0, "tag": 1, "person": 2, "chapter": 3, "phrase": 4}
MAX_PHRASES = 2000
MIN_PHRASE_COUNT = 3
LIMIT = 8


def write_suggestions(db: Database, folder: Path, phrases: Counter) -> None:
    """Collect what can be suggested from the live catalog into the generation folder."""
    entries: dict[tuple[str, str], dict] = {}

    def add(text: str, kind: str, url: str, weight: int = 1) -> None:
        key = (kind, fold(text))
        if text.strip() and key not in entries:
            entries[key] = {"text": text.strip(), "kind": kind, "url": url, "weight": weight}
        elif text.strip():
            entries[key]["weight"] += weight

    live = "select id, title, tags, people from items where status = 'live'"
    for item_id, title, tags, people in db.execute(live):
        add(title, "title", item_path(item_id))
        for tag in json.loads(tags or "[]"):
            add(tag, "tag", f"/search?tag={fold(tag)}")
        for person in json.loads(people or "[]"):
            add(person, "person", f"/search?person={fold(person)}")
    chapters = (  # a row stored before values were checked may hold no usable start
        "select c.item_id, c.start, c.title from chapters c join items i on i.id = c.item_id"
        " where i.status = 'live' and c.start between 0 and 1000000"
    )
    for item_id, start, title in db.execute(chapters):
        add(title, "chapter", f"{item_path(item_id)}?t={int(start)}")
    for phrase, count in phrases.most_common(MAX_PHRASES):
        if count >= MIN_PHRASE_COUNT:
            add(phrase, "phrase", f"/search?q={phrase.replace(' ', '+')}", count)
    (folder / SUGGEST_FILE).write_text(json.dumps(list(entries.values()), ensure_ascii=False), encoding="utf-8")


class Suggestions:
    def __init__(self, entries: list[dict]):
        self.entries = sorted(entries, key=lambda e: (KIND_ORDER.get(e["kind"], 9), -e["weight"], e["text"]))
        self._folded = [" " + fold(e["text"]) for e in self.entries]

    @classmethod
    def load(cls, folder: Path) -> Suggestions:
        path = folder / SUGGEST_FILE
        return cls(json.loads(path.read_text(encoding="utf-8")) if path.exists() else [])

    def lookup(self, prefix: str, limit: int = LIMIT) -> list[dict]:
        """Entries with a word starting with `prefix` (several words: the phrase must follow on)."""
        wanted = " " + " ".join(fold(prefix).split())
        if wanted == " ":
            return []
        found = (e for e, text in zip(self.entries, self._folded, strict=True) if wanted in text)
        return [{k: e[k] for k in ("text", "kind", "url")} for e, _ in zip(found, range(limit), strict=False)]

    def related_tags(self, text: str, limit: int = 5) -> list[str]:
        """Tags sharing a word prefix with `text`, else the most used tags: zero-result help."""
        tags = [e for e in self.entries if e["kind"] == "tag"]
        words = [" " + w[:4] for w in fold(text).split() if len(w) > 2]
        folded = {id(e): " " + fold(e["text"]) for e in tags}
        related = [e for e in tags if any(w in folded[id(e)] for w in words)]
        ranked = related or sorted(tags, key=lambda e: -e["weight"])
        return [e["text"] for e in ranked[:limit]]
