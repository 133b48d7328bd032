"""What every source reader shares: the context a run gives it, and what it yields.

A reader yields, per upstream item, one of:
- an `Item`: fetched and normalised (the run decides whether it is new, updated or unchanged);
- `Unchanged(item_id)`: still there upstream, not re-fetched this run (not due);
- `ItemFailure(item, reason)`: this item failed; its stored version stays;
- `Notice(item, message)`: worth telling the maintainer, not a failure.
It may yield `SourceUnchanged()` when the whole source answered "not modified" (a 304):
every stored item of the source stays as it is. It raises `SourceError` when the source as
a whole cannot be read; the source's items then stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.fetch import FetchPolicy


class SourceError(RuntimeError):
    """The whole source could not be read this time; its items stay as they were."""


@dataclass(frozen=True)
class ItemFailure:
    """One item could not be read; the other items of the source go on."""

    item: str  # the file, URL or id that failed
    reason: str


@dataclass(frozen=True)
class Notice:
    """Something the maintainer should know that is not a failure (a caption file not used)."""

    item: str  # the file or id it is about
    message: str


@dataclass(frozen=True)
class Unchanged:
    """An item seen upstream that was not re-fetched this run."""

    item_id: str


@dataclass(frozen=True)
class SourceUnchanged:
    """The whole source is as it was (HTTP 304): keep every item."""


@dataclass
class SourceContext:
    """What a run tells a reader, and the state the reader keeps between runs."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    known: set[str] = field(default_factory=set)  # ids this source brought before
    due: set[str] = field(default_factory=set)  # known ids to re-fetch this run (rolling refresh)
    state: dict = field(default_factory=dict)  # JSON-able, saved after a run without SourceError
    max_new: int | None = None  # cap on new items fetched this run

    def should_fetch(self, item_id: str) -> bool:
        return item_id not in self.known or item_id in self.due
