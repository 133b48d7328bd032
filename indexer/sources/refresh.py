"""Which listed items a run fetches, and what it remembers for the next run: one rule for every reader.

A reader lists its source (a feed, a sitemap, a channel, a folder) and hands each listed item to
`Refresh.item` with a key (its item id when the listing says it, else what the listing calls it:
a page URL, a file name) and a fingerprint of what the listing says about it (a digest of a feed
entry, a sitemap's lastmod, the sizes and times of files; None when the listing says nothing).
The item is fetched when
- it is new (its id is not among the source's known items), unless `max_new` new items were
  fetched this run already: then it waits for a later run;
- it is due for the rolling refresh (`SourceContext.due`);
- its fingerprint is not the one recorded last time, or its last fetch failed.
Otherwise it is `Unchanged` and costs nothing. Between two fetches that make requests the run
waits `pause` seconds (the source's `sleep`), so a site is asked politely.

What a run learns is kept in `context.state["fingerprints"]`, key -> {"id", "fingerprint"}, for
the keys it listed; the run saves the state only when the source did not fail as a whole.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from catalog.storage.models import Item
from indexer.sources.base import ItemFailure, Result, SourceContext, Unchanged, item_results

STATE_KEY = "fingerprints"
_FAILED = object()  # stands for the fingerprint of an item whose last fetch failed: unequal to any


class Refresh:
    """One run over one source's listing: what to fetch, what was fetched, what is left for later."""

    def __init__(self, context: SourceContext, pause: float = 0.0) -> None:
        self.context, self.pause = context, pause
        self.recorded: dict = context.state.get(STATE_KEY) or {}
        self.records: dict[str, dict] = {}
        context.state[STATE_KEY] = self.records
        self.complete = True  # False once a listed item waits or fails: the next run must list it again
        self.handled: set[str] = set()  # item ids given this run, so one listed twice is read once
        self.new = 0
        self.requested = False

    def recorded_id(self, key: str) -> str | None:
        """The item id an earlier run found behind `key`."""
        record = self._record(key)
        return record["id"] if record else None

    def item(
        self,
        key: str,
        work: Callable[..., Result | Iterator[Result]],
        *args: object,
        fingerprint: object = None,
        item_id: str | None = None,
        label: str | None = None,
        requests: bool = True,
    ) -> list[Result]:
        """What one listed item gives this run: `[Unchanged(id)]` when it need not be fetched; nothing
        when it was given already this run or waits under `max_new`; else what `work(*args)` gives
        (one ItemFailure, labelled `label` or `key`, for anything it raises). `item_id` is the id
        when the listing tells it; `requests` is False when fetching it asks nothing of the network."""
        record = self._record(key)
        item_id = item_id or (record["id"] if record else None)
        known = item_id in self.context.known
        skipped = self._skipped(key, item_id, known, record, fingerprint)
        if skipped is not None:
            return skipped
        self._wait_politely(requests)
        results = item_results(label or key, work, *args)
        self._remember(key, item_id if known else None, record, fingerprint, results)
        return results

    def _skipped(
        self, key: str, item_id: str | None, known: bool, record: dict | None, fingerprint: object
    ) -> list[Result] | None:
        """What an item that is not fetched gives (`Unchanged`, or nothing), None for one to fetch."""
        if item_id in self.handled:
            return []
        recorded = record.get("fingerprint", _FAILED) if record else None
        if known and item_id not in self.context.due and recorded == fingerprint:
            self.handled.add(item_id)
            self.records[key] = {"id": item_id, "fingerprint": fingerprint}
            return [Unchanged(item_id)]
        if not known and self.context.max_new is not None and self.new >= self.context.max_new:
            self.complete = False  # waits for a later run
            return []
        if not known:
            self.new += 1
        if item_id:
            self.handled.add(item_id)
        return None

    def _remember(
        self, key: str, known_id: str | None, record: dict | None, fingerprint: object, results: list[Result]
    ) -> None:
        """Record the item a fetch gave. After a failure a known item is recorded without a
        fingerprint, so the next run fetches it again (a new one is simply new again); after
        nothing (gone upstream) its record stays as it was."""
        items = [result for result in results if isinstance(result, Item)]
        self.handled |= {item.id for item in items}
        failed = any(isinstance(result, ItemFailure) for result in results)
        if items and not failed:
            self.records[key] = {"id": items[0].id, "fingerprint": fingerprint}
            return
        self.complete = False
        if known_id and failed:
            self.records[key] = {"id": known_id}
        elif known_id and record:
            self.records[key] = record

    def _record(self, key: str) -> dict | None:
        record = self.recorded.get(key)
        return record if isinstance(record, dict) and isinstance(record.get("id"), str) else None

    def _wait_politely(self, requests: bool) -> None:
        if requests:
            if self.requested and self.pause:
                time.sleep(self.pause)
            self.requested = True


def file_stamp(folder: Path, names: list[str]) -> list[list]:
    """The fingerprint of a set of files in `folder`, cheap for big ones: name, size and mtime of each
    (None for one that cannot be read, so it is read again, and fails with the reason)."""
    stamp = []
    for name in names:
        try:
            stat = (folder / name).stat()
        except OSError:
            stamp.append([name, None, None])
        else:
            stamp.append([name, stat.st_size, stat.st_mtime_ns])
    return stamp


def file_digest(path: Path) -> str | None:
    """The fingerprint of one file: a digest of its bytes (None when it cannot be read, so it is read
    again, and fails with the reason)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return None
