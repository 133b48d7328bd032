"""`youtube` and `video` sources, read through yt-dlp's Python API (the only module that imports it).

Each configured URL (a channel, playlist, feed, web page or single video) is listed flat,
one listing request; then only the entries that are new or due are fetched in full
(metadata, chapters, captions), and normalised by `ytdlp_folder.item_from_info` exactly
like files yt-dlp left in a folder. The others come back as `Unchanged`.

A listing that fails is a `SourceError` once the other URLs are read (every item stays).
A video that fails is an `ItemFailure`, except one that is gone (404/410, unavailable,
private): it is left out, and the run hides it after `gone_after` runs without it.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from yt_dlp import YoutubeDL
from yt_dlp.networking import Response
from yt_dlp.networking.exceptions import TransportError
from yt_dlp.utils import DownloadError, unsmuggle_url

from catalog.models import Item
from indexer.captions import CaptionError
from indexer.fetch import FetchError, FetchPolicy, check_url
from indexer.sources.base import ItemFailure, SourceContext, SourceError, Unchanged
from indexer.sources.ytdlp_folder import item_from_info
from indexer.sources.ytdlp_options import Settings, entries_of, entry_id, failure_of

T = TypeVar("T")
log = logging.getLogger("catalog.reindex")


class UnusableResult(ValueError):
    """yt-dlp answered, but not with what a source can index (a bare file, a playlist)."""


@dataclass(frozen=True)
class VideoSource:
    """The reader of one kind: `youtube` (channels, playlists, videos) or `video` (web pages)."""

    kind: str

    def read(self, source, context: SourceContext) -> Iterator[Item | Unchanged | ItemFailure]:
        """Every URL listed once; new and due videos fetched in full, the rest `Unchanged`."""
        settings = Settings.from_source(source, context.policy)
        if settings.cookies and not (settings.cookies.is_file() and os.access(settings.cookies, os.R_OK | os.W_OK)):
            # yt-dlp writes refreshed cookies back when it closes
            raise SourceError(f"cookies file {settings.cookies} not found, or not readable and writable")
        run = _Run(source.name, settings, context)
        broken = []
        for url in settings.urls:
            try:
                listing = _retrying(partial(list_url, url, settings), settings.policy)
            except DownloadError as exc:
                broken.append(f"{url}: {failure_of(exc).reason}")
                continue
            except UnusableResult as exc:
                broken.append(f"{url}: {exc}")
                continue
            yield from run.entries(entries_of(listing))
        if broken:
            raise SourceError("; ".join(broken))


channels = VideoSource("youtube")
pages = VideoSource("video")


class _Run:
    """One read of a source: which entries are due, how many new ones so far, who was seen."""

    def __init__(self, source_name: str, settings: Settings, context: SourceContext):
        self.source_name, self.settings, self.context = source_name, settings, context
        # entry URL -> item id, for listings (feeds) whose entries carry no id of their own;
        # rebuilt from the entries listed now (kept only if the run ends without SourceError)
        self.remembered: dict = context.state.get("ids", {})
        self.ids: dict = {}
        context.state["ids"] = self.ids
        self.seen: set[str] = set()
        self.new = self.fetched = 0

    def entries(self, entries: Iterator[dict]) -> Iterator[Item | Unchanged | ItemFailure]:
        limit = self.context.max_new
        for entry in entries:
            url = entry.get("url") or entry.get("webpage_url") or str(entry.get("id"))
            item_id = self.item_id(entry, url)
            if item_id in self.seen or entry.get("live_status") == "is_upcoming":
                continue  # listed twice (a channel's tabs overlap), or a premiere not aired yet
            if item_id and not self.context.should_fetch(item_id):
                self.seen.add(item_id)
                yield Unchanged(item_id)
                continue
            if item_id not in self.context.known:
                if limit is not None and self.new >= limit:
                    continue  # waits for the next run
                self.new += 1
            result = self.fetch(entry, item_id or url)
            if isinstance(result, Item):
                self.seen.add(result.id)
                if entry_id(entry) is None:
                    self.ids[url] = result.id
            if result is not None:
                yield result

    def item_id(self, entry: dict, url: str) -> str | None:
        """The id the entry's item has: from the listing, or remembered from an earlier fetch."""
        found = entry_id(entry)
        if found is None and url in self.remembered:
            found = self.ids[url] = self.remembered[url]
        return found

    def fetch(self, entry: dict, label: str) -> Item | ItemFailure | None:
        """The video in full; None when it is gone."""
        if self.fetched:
            time.sleep(self.settings.sleep_videos)
        self.fetched += 1
        try:
            return _retrying(partial(fetch_video, entry, self.settings, self.source_name), self.settings.policy)
        except DownloadError as exc:
            failure = failure_of(exc)
            if failure.gone:
                log.info("%s: %s is gone: %s", self.source_name, label, failure.reason)
                return None
            return ItemFailure(label, failure.reason)
        except (CaptionError, UnusableResult) as exc:
            return ItemFailure(label, str(exc))
        except (KeyError, TypeError, ValueError) as exc:
            return ItemFailure(label, f"unusable info from yt-dlp: {type(exc).__name__}: {exc}")


def list_url(url: str, settings: Settings) -> dict:
    """A channel, playlist, feed or page with its entries left flat; a video as itself."""
    with GuardedYoutubeDL(settings.listing_params(), settings.policy) as ydl:
        info = ydl.sanitize_info(ydl.extract_info(url, download=False))
    if info.get("direct") and info.get("url") == info.get("webpage_url"):
        raise UnusableResult("no video or audio on the page: the body is not HTML")
    return info


def fetch_video(entry: dict, settings: Settings, source_name: str) -> Item:
    """One video in full: metadata, chapters and captions, normalised into an Item.

    `entry` is a flat listing entry (extracted now) or a resolved info dict such as a saved
    info.json (only its captions are downloaded, from the URLs it holds). yt-dlp picks the
    manual track of each configured language when there is one, else the auto-captions.
    """
    with tempfile.TemporaryDirectory(prefix="catalog-ytdlp-") as folder:
        with GuardedYoutubeDL(settings.fetch_params(folder), settings.policy) as ydl:
            result = ydl.process_ie_result(copy.deepcopy(entry), download=True)
        if result.get("_type", "video") != "video":
            raise UnusableResult(f"{result.get('webpage_url')} is a playlist, not a video: list it as a URL of its own")
        path = next(Path(folder).glob("*.info.json"), None)
        if path is None:
            raise UnusableResult("yt-dlp wrote no info.json")
        info = json.loads(path.read_text(encoding="utf-8"))
        for key in ("webpage_url", "original_url"):  # feed entries carry yt-dlp's private fragment
            if isinstance(info.get(key), str):
                info[key] = unsmuggle_url(info[key])[0]
        return item_from_info(info, path, source_name, list(settings.languages))


class GuardedYoutubeDL(YoutubeDL):
    """YoutubeDL held to the source's FetchPolicy on every request it makes, like `fetch`:
    no private-network host unless allowed (a page cannot point yt-dlp inside the network),
    and no body read past `max_bytes`."""

    def __init__(self, params: dict, policy: FetchPolicy):
        self.policy = policy
        super().__init__(params)

    def urlopen(self, req):
        try:
            check_url(req if isinstance(req, str) else req.url, self.policy)
        except FetchError as exc:
            raise TransportError(str(exc)) from exc
        return _CappedResponse(super().urlopen(req), self.policy.max_bytes)


class _CappedResponse(Response):
    """A response that refuses to read past `limit` bytes."""

    def __init__(self, response: Response, limit: int):
        super().__init__(
            response, response.url, response.headers, response.status, response.reason, response.extensions
        )
        self.limit, self.count = limit, 0

    def read(self, amt: int | None = None) -> bytes:
        data = self.fp.read(amt)
        self.count += len(data)
        if self.count > self.limit:
            self.close()
            raise TransportError(f"{self.url}: body is over the {self.limit}-byte limit")
        if self.fp.closed:
            self.close()
        return data


def _retrying(call: Callable[[], T], policy: FetchPolicy) -> T:
    """`call()`, once more after the wait a 429/5xx asked for: yt-dlp never reads Retry-After.

    A wait longer than the policy's `max_retry_after` fails now, to be retried next run.
    """
    try:
        return call()
    except DownloadError as exc:
        wait = failure_of(exc).retry_after
        if wait is None or wait > policy.max_retry_after:
            raise
        log.info("yt-dlp was asked to retry after %g s; waiting", wait)
        time.sleep(wait)
    return call()
