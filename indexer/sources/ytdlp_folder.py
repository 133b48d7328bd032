"""`ytdlp-folder`: the `.info.json` files and subtitles that
`yt-dlp --skip-download --write-info-json --write-subs --write-auto-subs` leaves in a folder.

yt-dlp writes one subtitle file per language, the manual track when there is one and the
auto-captions otherwise; the info.json tells which (`subtitles` vs `automatic_captions`).
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from catalog.models import Chapter, Item, Segment
from indexer.captions import CaptionError
from indexer.sources.base import ItemFailure, SourceContext, SourceError, Unchanged
from indexer.timed_text import segments_from

KEYS = frozenset({"path", "languages"})
_MEDIA_NUMBER = re.compile(r" \(\d+\)$")
REQUIRED = ("path",)
AUDIO_EXTS = {"mp3", "m4a", "aac", "ogg", "opus", "oga", "wav", "flac"}
CAPTION_EXTS = ("vtt", "srt")
# Big lists yt-dlp keeps for downloading, of no use to a catalog; dropped from the raw copy.
UNKEPT_KEYS = ("formats", "thumbnails", "automatic_captions", "heatmap", "requested_formats")


def read(source, context: SourceContext) -> Iterator[Item | ItemFailure]:
    """Every video and episode in the folder. A file set (the info.json and the subtitles
    beside it) whose sizes and mtimes are as last time is not parsed again, unless due."""
    folder = source.path()
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder")
    languages = list(source.options.get("languages", ["en"]))
    seen = context.state.get("files", {})
    context.state["files"] = files = {}
    for path in sorted(folder.glob("*.info.json")):
        stamp = _stamp(path)
        known = seen.get(path.name)
        if known and known[0] == stamp and known[1] in context.known and known[1] not in context.due:
            files[path.name] = known
            yield Unchanged(known[1])
            continue
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield ItemFailure(path.name, f"unreadable info.json: {exc}")
            continue
        if not isinstance(info, dict) or info.get("_type", "video") != "video":
            continue  # a channel or playlist info.json: its videos have their own files
        try:
            item = item_from_info(info, path, source.name, languages)
        except (CaptionError, ValueError, KeyError, TypeError) as exc:
            yield ItemFailure(path.name, _reason(exc))
            continue
        files[path.name] = [stamp, item.id]
        yield item


def _stamp(info_path: Path) -> list[list]:
    """Name, size and mtime of the info.json and every file beside it with the same stem."""
    stem = info_path.name[: -len(".info.json")]
    return [
        [p.name, st.st_size, st.st_mtime_ns]
        for p in sorted(info_path.parent.glob(f"{glob.escape(stem)}.*"))
        if (st := p.stat())
    ]


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    return str(exc)


def item_from_info(info: dict, path: Path, source_name: str, languages: list[str]) -> Item:
    """Normalise one yt-dlp info dict (and the captions beside its file) into an Item."""
    title = str(info.get("title") or "").strip()
    if info.get("extractor_key") == "HTML5MediaEmbed":  # yt-dlp numbers a page's media: "Page (1)"
        title = _MEDIA_NUMBER.sub("", title)
    if not title or not info.get("id"):
        raise ValueError("info.json has no id or title")
    is_youtube = str(info.get("extractor_key", "")).lower() == "youtube"
    caption = _pick_caption(info, path, languages)
    segments: list[Segment] = []
    if caption:
        try:
            segments = segments_from(caption["text"], caption["format"], auto=caption["kind"] == "auto")
        except CaptionError as exc:
            raise CaptionError(f"captions {caption['name']}: {exc}") from None
    return Item(
        id=item_id(str(info.get("extractor_key") or "video"), str(info["id"])),
        kind="podcast" if _is_audio(info) else "video",
        title=title,
        source=source_name,
        source_url=info.get("webpage_url") or info.get("original_url"),
        published=_published(info),
        duration=int(info["duration"]) if isinstance(info.get("duration"), int | float) else None,
        description=str(info.get("description") or ""),
        tags=tuple(str(t) for t in info.get("tags") or ()),
        people=tuple(str(p) for p in info.get("cast") or ()),
        thumbnail=info.get("thumbnail"),
        captions=caption["kind"] if caption else "none",
        media_url=None if is_youtube else info.get("url"),
        youtube_id=info["id"] if is_youtube else None,
        extra={k: info[k] for k in ("channel", "uploader", "live_status") if info.get(k)},
        segments=tuple(segments),
        chapters=_chapters(info),
        raw={"info": {k: v for k, v in info.items() if k not in UNKEPT_KEYS}, "caption": caption},
    )


def item_id(extractor_key: str, video_id: str) -> str:
    """Stable ids from yt-dlp's own: "youtube:VIDEOID", "generic:episode-12"."""
    return f"{extractor_key.lower()}:{video_id}"


def _is_audio(info: dict) -> bool:
    return info.get("vcodec") == "none" or str(info.get("ext", "")).lower() in AUDIO_EXTS


def _published(info: dict) -> str | None:
    date = str(info.get("upload_date") or "")
    if len(date) == 8 and date.isdigit():
        return f"{date[:4]}-{date[4:6]}-{date[6:]}"
    if isinstance(info.get("timestamp"), int | float):
        return datetime.fromtimestamp(info["timestamp"], UTC).date().isoformat()
    return None


def _chapters(info: dict) -> tuple[Chapter, ...]:
    return tuple(
        Chapter(start=float(c["start_time"]), title=str(c["title"]))
        for c in info.get("chapters") or ()
        if isinstance(c, dict) and c.get("title") and isinstance(c.get("start_time"), int | float)
    )


def _pick_caption(info: dict, path: Path, languages: list[str]) -> dict | None:
    """The best caption track: manual before auto, then the configured language order.

    Reads the file yt-dlp wrote beside the info.json, or else the text some tools keep
    inline in `requested_subtitles[lang].data`.
    """
    stem = path.name[: -len(".info.json")]
    manual = set(info.get("subtitles") or {})
    found = []
    for lang_rank, lang in enumerate(languages):
        for track in _tracks(info, path.parent, stem, lang):
            kind = "manual" if track["lang"] in manual else "auto"
            found.append(((kind != "manual", lang_rank), {**track, "kind": kind}))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _tracks(info: dict, folder: Path, stem: str, lang: str) -> Iterator[dict]:
    """Caption tracks for `lang` (also "en-US", "en-orig" for "en")."""
    for ext in CAPTION_EXTS:
        for file in sorted(folder.glob(f"{stem}.{lang}*.{ext}")):
            track_lang = file.name[len(stem) + 1 : -len(ext) - 1]
            if track_lang == lang or track_lang.startswith(f"{lang}-"):
                text = file.read_text(encoding="utf-8", errors="replace")
                yield {"lang": track_lang, "format": ext, "name": file.name, "text": text}
    for track_lang, track in (info.get("requested_subtitles") or {}).items():
        if (track_lang == lang or track_lang.startswith(f"{lang}-")) and isinstance(track, dict):
            if track.get("data") and track.get("ext") in CAPTION_EXTS:
                name = f"requested_subtitles.{track_lang}"
                yield {"lang": track_lang, "format": track["ext"], "name": name, "text": track["data"]}
