"""The notes a source's items carry from run to run, so /status keeps telling them.

A reader says a caption track was not used only when it reads the item; on the nights the
item is `Unchanged` it says nothing, though the track is still there. So a note the reader
gives right after an item belongs to that item and stays until the item is read again (or
leaves the source). Notes about the read itself (a correction that no longer matches) are
made afresh by every good read, and those of the checks at the end of a run (a collection
link that does not resolve, a drop in caption coverage) by every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceNotes:
    items: dict[str, list[dict]] = field(default_factory=dict)  # item id -> its notes
    run: list[dict] = field(default_factory=list)  # this read's own
    checks: list[dict] = field(default_factory=list)  # the last run's checks; the run replaces them at its end
    _current: str | None = None  # the item the reader gave last

    @classmethod
    def carried_over(cls, stored: dict) -> SourceNotes:
        """The notes kept from the last run; the run's own start empty."""
        items = {key: list(value) for key, value in (stored.get("items") or {}).items()}
        return cls(items=items, checks=list(stored.get("checks") or []))

    def item_read(self, item_id: str) -> None:
        self._current = item_id
        self.items[item_id] = []

    def item_skipped(self) -> None:
        """The reader gave something other than a read item: what follows is not about it."""
        self._current = None

    def add(self, note: dict) -> None:
        """A note from the reader: about the item it just read, else about the run."""
        (self.items[self._current] if self._current else self.run).append(note)

    def add_to_run(self, note: dict) -> None:
        self.run.append(note)

    def stored(self, live: set[str]) -> dict:
        """What to keep: the notes of the items still in the source, this read's, and the checks'."""
        items = {key: notes for key, notes in self.items.items() if key in live and notes}
        return {"items": items, "run": self.run, "checks": self.checks}
