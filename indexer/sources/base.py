"""What every source reader shares: its contract (`Reader`), the context a run gives it, and what
it yields.

A reader yields, per upstream item, one of:
- an `Item`: fetched and normalised (the run decides whether it is new, updated or unchanged);
- `Unchanged(item_id)`: still there upstream, not re-fetched this run (not due);
- `ItemFailure(item, reason)`: this item failed; its stored version stays;
- `Notice(item, message)`: worth telling the maintainer, not a failure.
It may yield `SourceUnchanged()` when the whole source answered "not modified" (a 304):
every stored item of the source stays as it is. It raises `SourceError` when the source as
a whole cannot be read; the source's items then stay as they were.

A reader does each item's work through `item_results` (or `indexer.sources.refresh.Refresh`,
which decides which items to fetch and calls it), so whatever one item raises (a malformed
file, a 400-digit number, nesting too deep to parse, a value the model refuses) fails that
item alone, with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, runtime_checkable

from catalog.storage.models import Item
from indexer.config import SourceConfig
from indexer.fetch import FetchPolicy

T = TypeVar("T")
MAX_REASON_CHARS = 300  # a hostile file's text must not make a reason line of its own size


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


Result = Item | Unchanged | ItemFailure | Notice | SourceUnchanged


@runtime_checkable
class Reader(Protocol):
    """The reader of a source kind: a module, or an object, with `read` (see `indexer.sources.KINDS`)."""

    def read(self, source: SourceConfig, context: SourceContext) -> Iterator[Result]:
        """Every item of `source`, as the module docstring says; raises SourceError if it cannot be read."""
        ...


def item_results(label: str, work: Callable[..., T | Iterator[T]], *args: object) -> list[T | ItemFailure]:
    """What `work(*args)` gives for one item (one result, or an iterator of them, read here), or a
    single ItemFailure for `label` if it raises anything at all."""
    try:
        produced = work(*args)
        return list(produced) if isinstance(produced, Iterator) else [produced]
    except Exception as exc:  # the deliberate boundary around one item: it costs that item alone
        return [ItemFailure(label, failure_reason(exc))]


def failure_reason(exc: BaseException, named: bool = False) -> str:
    """Why, in one short line. A ValueError's message is written for people (a caption error, a
    value the model refuses); any other exception, or any at all when `named`, is named by its type too."""
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else ""
    if named or not isinstance(exc, ValueError) or not message:
        message = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return message if len(message) <= MAX_REASON_CHARS else message[: MAX_REASON_CHARS - 1] + "…"
