"""`youtube` and `video` sources, read through yt-dlp's Python API (the only module that imports it).

Each configured URL (a channel, playlist, feed, web page or single video) is listed flat,
one listing request; then the entries `Refresh` picks (new, due, or failed last time) are
fetched in full (metadata, chapters, captions), and normalised by
`ytdlp_folder.item_from_info` exactly like files yt-dlp left in a folder. The others come
back as `Unchanged`. An entry's key is its item id when the listing tells it, else its URL
(a feed's entries name no id; `Refresh` remembers the id the fetch found).

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
from urllib.parse import urlparse

from yt_dlp import YoutubeDL
from yt_dlp.downloader import get_suitable_downloader
from yt_dlp.downloader.http import HttpFD
from yt_dlp.networking import Request, Response
from yt_dlp.networking._helper import get_redirect_method
from yt_dlp.networking._requests import RequestsRH
from yt_dlp.networking.exceptions import HTTPError, RequestError, TransportError
from yt_dlp.utils import DownloadError, unsmuggle_url

from catalog.storage.models import Item
from indexer.config import SourceConfig
from indexer.guard import CappedBody, Download, FetchError, FetchPolicy
from indexer.sources.base import ItemFailure, Result, SourceContext, SourceError
from indexer.sources.refresh import Refresh
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

    def read(self, source: SourceConfig, context: SourceContext) -> Iterator[Result]:
        """Every URL listed once; new and due videos fetched in full, the rest `Unchanged`."""
        settings = Settings.from_source(source, context.policy)
        if settings.cookies and not (settings.cookies.is_file() and os.access(settings.cookies, os.R_OK | os.W_OK)):
            # yt-dlp writes refreshed cookies back when it closes
            raise SourceError(f"cookies file {settings.cookies} not found, or not readable and writable")
        run = _Run(source.name, settings, Refresh(context, pause=settings.sleep_videos))
        broken = []
        for url in settings.urls:
            try:
                listing = _retrying(partial(list_url, url, settings), settings.policy)
            except (DownloadError, RequestError) as exc:  # a body that broke off can escape an extractor as it is
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
    """One read of a source: its entries, fetched in full or not as `refresh` says."""

    def __init__(self, source_name: str, settings: Settings, refresh: Refresh):
        self.source_name, self.settings, self.refresh = source_name, settings, refresh

    def entries(self, entries: Iterator[dict]) -> Iterator[Result]:
        for entry in entries:
            if entry.get("live_status") == "is_upcoming":
                continue  # a premiere not aired yet
            url = entry.get("url") or entry.get("webpage_url") or str(entry.get("id"))
            listed_id = entry_id(entry)
            label = listed_id or self.refresh.recorded_id(url) or unsmuggle_url(url)[0]
            yield from self.refresh.item(listed_id or url, self._video, entry, label, item_id=listed_id, label=label)

    def _video(self, entry: dict, label: str) -> Iterator[Item | ItemFailure]:
        """The video in full; nothing when it is gone. Anything else it raises fails this video alone."""
        try:
            yield _retrying(partial(fetch_video, entry, self.settings, self.source_name), self.settings.policy)
        except DownloadError as exc:
            failure = failure_of(exc)
            if failure.gone:
                log.info("%s: %s is gone: %s", self.source_name, label, failure.reason)
                return
            yield ItemFailure(label, failure.reason)


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
    """YoutubeDL on the guarded path of `indexer.guard`, like `fetch`: every request it makes
    (pages, APIs, caption tracks) goes through `urlopen`, where each hop of a redirect is
    checked before anything is sent to it and every body is read within `max_bytes` and the
    deadline; and nothing is handed to a program with network code of its own (ffmpeg)."""

    def __init__(self, params: dict, policy: FetchPolicy):
        self.policy = policy
        super().__init__(params)

    def build_request_director(self, handlers, preferences=None):
        # Ours alone, whatever else is installed (curl_cffi, websockets): it never follows a redirect.
        return super().build_request_director([_OneHopRH], preferences)

    def urlopen(self, req):
        try:
            return self._open(Request(req) if isinstance(req, str) else req.copy())
        except FetchError as exc:
            raise TransportError(str(exc)) from exc

    def _open(self, request: Request) -> Response:
        download = Download(request.url, self.policy)
        while True:
            request.extensions["timeout"] = download.timeout()
            try:
                return _CappedResponse(super().urlopen(request), download)
            except HTTPError as exc:
                location = exc.response.get_header("Location")
                if not (300 <= exc.status < 400 and location):
                    exc.response = _CappedResponse(exc.response, download)  # an error page is read within bounds too
                    raise
                exc.response.close()
                request = _redirected(request, exc.status, download.redirect(location))

    def dl(self, name, info, subtitle=False, test=False):
        """Only a plain http(s) file, read through `urlopen`: not an HLS playlist or an RTMP
        stream, which yt-dlp may hand to ffmpeg or rtmpdump, whose requests are past the guard."""
        if get_suitable_downloader(info, self.params, to_stdout=name == "-") is not HttpFD:
            raise DownloadError(f"{info.get('url')}: {info.get('protocol')} is not fetched, only plain http(s) files")
        return super().dl(name, info, subtitle=subtitle, test=test)


class _OneHopRH(RequestsRH):
    """yt-dlp's requests handler, answering a redirect instead of following it, so that
    `GuardedYoutubeDL.urlopen` checks where it leads before anything is sent there."""

    def _create_instance(self, cookiejar, legacy_ssl_support=None):
        session = super()._create_instance(cookiejar=cookiejar, legacy_ssl_support=legacy_ssl_support)
        session.get_redirect_target = _nowhere  # requests follows what this returns
        return session


def _nowhere(response) -> None:
    return None


def _redirected(request: Request, status: int, url: str) -> Request:
    """The next hop's request as yt-dlp makes it: a 303 (or a 301/302 after a POST) becomes a
    GET without a body; no Cookie header (the jar sends the new host's own), and no
    Authorization once the host changes."""
    hop = request.copy()
    hop.method = get_redirect_method(request.method, status)
    if hop.method != request.method:
        hop.data = None
    hop.headers.pop("Cookie", None)
    if urlparse(url).netloc != urlparse(request.url).netloc:
        hop.headers.pop("Authorization", None)
    hop.url = url
    return hop


class _CappedResponse(Response):
    """yt-dlp's response, its body read as it arrives: never past `max_bytes` nor the deadline."""

    def __init__(self, response: Response, download: Download):
        super().__init__(
            response, response.url, response.headers, response.status, response.reason, response.extensions
        )
        self.body = CappedBody(response.fp, download)  # urllib3's response: `_OneHopRH` is the only handler

    def read(self, amt: int | None = None) -> bytes:
        try:
            data = self.body.read(amt)
        except FetchError as exc:
            self.close()
            raise TransportError(str(exc)) from exc
        if self.body.raw.closed:
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
