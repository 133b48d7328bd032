"""`ytdlp-folder`: the `.info.json` files and subtitles that
`yt-dlp --skip-download --write-info-json --write-subs --write-auto-subs` leaves in a folder.

Files are matched to their info.json by name as plain strings (yt-dlp's default names hold
`[id]`); which caption track is indexed is `caption_tracks.choose`'s rule. A file set (the
info.json and the files beside it) is read again as `Refresh` says, its fingerprint the
sizes and times of its files.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from catalog.ids import ytdlp_item_id
from catalog.storage.models import Chapter, Item, Segment
from indexer.captions import CaptionError
from indexer.config import SourceConfig
from indexer.sources import caption_tracks
from indexer.sources.base import Notice, Result, SourceContext, SourceError
from indexer.sources.caption_tracks import Track
from indexer.sources.refresh import Refresh, file_stamp
from indexer.timed_text import segments_from

_MEDIA_NUMBER = re.compile(r" \(\d+\)$")
AUDIO_EXTS = {"mp3", "m4a", "aac", "ogg", "opus", "oga", "wav", "flac"}
INFO_SUFFIX = ".info.json"
# What an item keeps of its info.json for its page: the channel or show it is from (and the episode).
EXTRA_KEYS = {
    "channel": lambda value: isinstance(value, str),
    "uploader": lambda value: isinstance(value, str),
    "live_status": lambda value: isinstance(value, str),
    "series": lambda value: isinstance(value, str),
    "episode_number": lambda value: type(value) is int and 0 < value < 1_000_000,
    "season_number": lambda value: type(value) is int and 0 < value < 1_000_000,
}
# Big lists yt-dlp keeps for downloading, of no use to a catalog; dropped from the raw copy.
UNKEPT_KEYS = ("formats", "thumbnails", "automatic_captions", "heatmap", "requested_formats")


def read(source: SourceConfig, context: SourceContext) -> Iterator[Result]:
    """Every video and episode in the folder (`Unchanged` when `Refresh` says so), each followed by notes
    on its caption files not used."""
    folder = source.path()
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder")
    names = sorted(entry.name for entry in os.scandir(folder) if entry.is_file())
    refresh = Refresh(context)
    languages = source.options["languages"]
    for info_name in (name for name in names if name.endswith(INFO_SUFFIX)):
        beside = _beside(names, info_name.removesuffix(INFO_SUFFIX))
        stamp = file_stamp(folder, beside)
        yield from refresh.item(
            info_name, _file_set, folder / info_name, beside, source.name, languages, fingerprint=stamp
        )


def _file_set(path: Path, beside: list[str], source_name: str, languages: list[str]) -> Iterator[Item | Notice]:
    """The item of one info.json (none for a channel's or playlist's), then notes on the caption files not used."""
    info = _read_info(path)
    if not isinstance(info, dict) or info.get("_type", "video") != "video":
        return  # a channel or playlist info.json: its videos have their own files
    choice = caption_tracks.choose(caption_tracks.tracks_of(info, path, beside), languages)
    yield _item(info, source_name, choice.chosen)
    for track, why in choice.unused:
        yield Notice(track.name, f"caption track not used: {why}")


def _read_info(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError("unreadable info.json: nested too deeply") from None
    except (OSError, ValueError) as exc:  # JSON, UTF-8 and integer-size errors are ValueErrors
        raise ValueError(f"unreadable info.json: {exc}") from None


def _beside(names: list[str], stem: str) -> list[str]:
    """The names (sorted) that start with `stem.`: the info.json and the files yt-dlp wrote with it."""
    prefix = stem + "."
    start = bisect.bisect_left(names, prefix)
    end = start
    while end < len(names) and names[end].startswith(prefix):
        end += 1
    return names[start:end]


def item_from_info(info: dict, path: Path, source_name: str, languages: list[str]) -> Item:
    """Normalise one yt-dlp info dict (and the best caption track beside its file) into an Item."""
    return _item(info, source_name, caption_tracks.choose(caption_tracks.tracks_of(info, path), languages).chosen)


def _item(info: dict, source_name: str, caption: Track | None) -> Item:
    title = str(info.get("title") or "").strip()
    if info.get("extractor_key") == "HTML5MediaEmbed":  # yt-dlp numbers a page's media: "Page (1)"
        title = _MEDIA_NUMBER.sub("", title)
    if not title or not info.get("id"):
        raise ValueError("info.json has no id or title")
    is_youtube = str(info.get("extractor_key", "")).lower() == "youtube"
    segments: list[Segment] = []
    if caption:
        try:
            segments = segments_from(caption.text(), caption.format, auto=caption.kind == "auto")
        except CaptionError as exc:
            raise CaptionError(f"captions {caption.name}: {exc}") from None
    return Item(
        id=ytdlp_item_id(str(info.get("extractor_key") or ""), str(info["id"])),
        kind="podcast" if _is_audio(info) else "video",
        title=title,
        source=source_name,
        source_url=info.get("webpage_url") or info.get("original_url"),
        published=_published(info),
        duration=info["duration"] if isinstance(info.get("duration"), int | float) else None,
        description=str(info.get("description") or ""),
        tags=tuple(str(t) for t in info.get("tags") or ()),
        people=tuple(str(p) for p in info.get("cast") or ()),
        thumbnail=info.get("thumbnail"),
        captions=caption.kind if caption else "none",
        media_url=None if is_youtube else info.get("url"),
        youtube_id=info["id"] if is_youtube else None,
        extra={k: info[k] for k, wanted in EXTRA_KEYS.items() if info.get(k) and wanted(info[k])},
        segments=tuple(segments),
        chapters=_chapters(info),
        raw={"info": {k: v for k, v in info.items() if k not in UNKEPT_KEYS}, "caption": _raw_caption(caption)},
    )


def _is_audio(info: dict) -> bool:
    return info.get("vcodec") == "none" or str(info.get("ext", "")).lower() in AUDIO_EXTS


def _published(info: dict) -> str | None:
    date = str(info.get("upload_date") or "")
    if len(date) == 8 and date.isdigit():
        return f"{date[:4]}-{date[4:6]}-{date[6:]}"
    stamp = info.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        try:
            return datetime.fromtimestamp(stamp, UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):  # past what a date can hold
            raise ValueError(f"timestamp is {stamp!r:.24}, not a date") from None
    return None


def _chapters(info: dict) -> tuple[Chapter, ...]:
    return tuple(
        Chapter(start=c["start_time"], title=str(c["title"]))
        for c in info.get("chapters") or ()
        if isinstance(c, dict) and c.get("title") and isinstance(c.get("start_time"), int | float)
    )


def _raw_caption(track: Track | None) -> dict | None:
    """The chosen track as kept in the raw payload: enough to normalise again offline."""
    if track is None:
        return None
    return {"lang": track.lang, "format": track.format, "name": track.name, "kind": track.kind, "text": track.text()}
