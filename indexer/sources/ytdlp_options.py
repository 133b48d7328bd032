"""What a `youtube` or `video` source asks of yt-dlp, and how to read its answers.

The option dicts handed to `YoutubeDL` for listing a URL and
for fetching one video (option names are yt-dlp's own, see the `YoutubeDL` docstring);
the entries of a listing with the item ids they will have; and a yt-dlp error read as
"gone" or "failed, retry after N s". Kept apart from `indexer.sources.youtube`, the one
module that imports yt-dlp, so none of this needs it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from catalog.ids import ytdlp_item_id
from indexer.config import SourceConfig
from indexer.fetch import RETRYABLE, FetchPolicy, retry_after
from indexer.options import YTDLP

SLEEPS = ("sleep_requests", "sleep_subtitles", "sleep_videos")
SUBTITLE_FORMATS = "vtt/srt/best"
GONE_STATUSES = {404, 410}
GONE_PHRASES = ("Video unavailable", "Private video", "members-only")
CAPTION_FAILURE = "Unable to download video subtitles"  # yt-dlp's words: the video is there
log = logging.getLogger("catalog.reindex.ytdlp")


def subtitle_patterns(languages: tuple[str, ...]) -> list[str]:
    """yt-dlp's `subtitleslangs` (regexes, matched ignoring case) for language codes.

    "en" also takes a regional track such as "en-GB" or "es-419" (often the only manual
    one), but not YouTube's "en-orig" or its machine translations such as "en-de"
    (English from German): a region is upper case, so that part is matched with case.
    """
    return [rf"{re.escape(lang)}(?-i:-[A-Z]{{2}}|-[0-9]{{3}})?" for lang in languages]


@dataclass(frozen=True)
class Settings:
    """One source's options, resolved: what to read and how politely (defaults: `indexer.options.YTDLP`)."""

    urls: tuple[str, ...]
    languages: tuple[str, ...] = tuple(YTDLP["languages"].default)
    cookies: Path | None = None
    sleep_requests: float = YTDLP["sleep_requests"].default
    sleep_subtitles: float = YTDLP["sleep_subtitles"].default
    sleep_videos: float = YTDLP["sleep_videos"].default  # the reader's own pause between two videos
    policy: FetchPolicy = field(default_factory=FetchPolicy)

    @classmethod
    def from_source(cls, source: SourceConfig, policy: FetchPolicy) -> Settings:
        """Settings of a configured source (`cookies` resolved against the config folder)."""
        options = source.options
        urls = [options["url"]] if "url" in options else options["urls"]
        return cls(
            urls=tuple(u.strip() for u in urls),
            languages=tuple(options["languages"]),
            cookies=source.path("cookies") if "cookies" in options else None,
            policy=policy,
            **{key: options[key] for key in SLEEPS},
        )

    def listing_params(self) -> dict:
        """Options for listing a channel, playlist or page: entries stay flat (one request)."""
        return {**self._common(), "extract_flat": "in_playlist"}

    def fetch_params(self, folder: str) -> dict:
        """Options for one video: full metadata plus captions, written into `folder`."""
        return {
            **self._common(),
            # A URL that turns out to be a playlist is listed, never fetched video by video.
            "extract_flat": "in_playlist",
            "writeinfojson": True,
            "writesubtitles": True,
            "writeautomaticsub": True,  # yt-dlp writes the manual track of a language when there is one
            "subtitleslangs": subtitle_patterns(self.languages),
            "subtitlesformat": SUBTITLE_FORMATS,
            "outtmpl": {"default": f"{folder}/%(id)s.%(ext)s"},
        }

    def _common(self) -> dict:
        policy = self.policy
        params = {
            "skip_download": True,
            "ignore_no_formats_error": True,  # metadata and captions are all we want
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "logger": YtdlpLog(),
            "socket_timeout": policy.timeout,
            "retries": policy.retries,
            "extractor_retries": policy.retries,
            # yt-dlp's own retries (5xx on downloads, 403/429 on YouTube's API) back off as
            # `fetch` does; it never reads Retry-After, which the reader honours itself.
            "retry_sleep_functions": {"http": self.backoff, "extractor": self.backoff},
            "sleep_interval_requests": self.sleep_requests,
            "sleep_interval_subtitles": self.sleep_subtitles,
        }
        if self.cookies:
            params["cookiefile"] = str(self.cookies)
        if policy.allow_private:
            # yt-dlp would send even 127.0.0.1 through an http_proxy from the environment.
            params["proxy"] = ""
        return params

    def backoff(self, n: int) -> float:
        """Seconds before yt-dlp's retry number n+1: doubling, capped like Retry-After."""
        return min(self.policy.backoff * 2**n, self.policy.max_retry_after)


class YtdlpLog:
    """yt-dlp's `logger=`: its chatter goes to the debug log, not to the run's output.

    Errors come back as exceptions, which the reader turns into failures with a reason.
    """

    def debug(self, message: str) -> None:
        log.debug("%s", message)

    def info(self, message: str) -> None:
        log.debug("%s", message)

    def warning(self, message: str) -> None:
        log.debug("warning: %s", message)

    def error(self, message: str) -> None:
        log.debug("error: %s", message)


def entries_of(info: dict) -> Iterator[dict]:
    """The videos of a listing: a video itself, else the entries, nested playlists
    (a channel's Videos/Shorts/Live tabs) flattened."""
    if info.get("_type", "video") != "playlist":
        yield info
        return
    for entry in info.get("entries") or ():
        if isinstance(entry, dict):
            yield from entries_of(entry)


def entry_id(entry: dict) -> str | None:
    """The item id a listing entry will have (as `item_from_info` makes it), if it says."""
    resolved = entry.get("_type", "video") == "video"
    key = entry.get("extractor_key") if resolved else entry.get("ie_key")
    return ytdlp_item_id(key, str(entry["id"])) if key and entry.get("id") else None


@dataclass(frozen=True)
class Failure:
    """What a yt-dlp error means for the video it was about."""

    reason: str  # one line
    gone: bool = False  # 404/410, unavailable, private: leave it out, let the run count it gone
    retry_after: float | None = None  # seconds a 429/5xx asked for


def failure_of(exc: Exception) -> Failure:
    """Read a yt-dlp `DownloadError`: its one-line reason, whether the video is gone, Retry-After.

    A caption download that fails never makes a video gone: the video page answered.
    """
    reason = one_line(getattr(exc, "msg", None) or str(exc))
    http = next((e for e in _chain(exc) if _is_http_error(e)), None)
    status = http.status if http is not None else None
    gone = CAPTION_FAILURE not in reason and (status in GONE_STATUSES or any(p in reason for p in GONE_PHRASES))
    wait = retry_after(http.response.headers.get("Retry-After")) if status in RETRYABLE else None
    return Failure(reason, gone, wait)


def _is_http_error(exc: BaseException) -> bool:
    """yt-dlp's HTTPError, known by its shape: a status and the response it came with."""
    return isinstance(getattr(exc, "status", None), int) and hasattr(exc, "response")


def one_line(message: str) -> str:
    """yt-dlp's message without its "ERROR:" prefixes and repeated cause, on one short line."""
    text = message.replace("\r", "").replace("ERROR: ", "").replace("[download] Got error: ", "")
    return " ".join(text.split(" (caused by ")[0].split())[:300]


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and all it wraps: yt-dlp keeps causes in `exc_info`, `cause` and the context."""
    todo, seen = [exc], set()
    while todo:
        current = todo.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        exc_info = getattr(current, "exc_info", None) or (None, None, None)
        todo += [getattr(current, "cause", None), current.__cause__, current.__context__, exc_info[1]]
