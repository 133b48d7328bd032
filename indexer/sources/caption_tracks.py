"""Which caption track of a yt-dlp download is indexed, and why the others are not.

yt-dlp names a subtitle file after its info.json: `<stem>.<lang>.<ext>` beside
`<stem>.info.json`, where the stem is whatever the output template made (by default
`Title [id]`, which may hold `[`, `]`, `!` and any letter, so names are compared as plain
strings, never as glob patterns). The info.json's `subtitles` table tells a manual track from
an auto-caption: for a language that has both, yt-dlp writes the manual one.

The choice follows the configured languages first, then manual over auto within a language,
then the plain code over `-orig` and regional variants, then VTT over SRT.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.transcripts import language_rank

READABLE_FORMATS = ("vtt", "srt")
# What yt-dlp can write as a subtitle file besides those; found, never read, always reported.
UNREADABLE_FORMATS = ("ttml", "srv1", "srv2", "srv3", "json3", "ass", "lrc")
LIVE_CHAT = "live_chat"  # a replay of the chat, not words said in the video: not a caption


@dataclass(frozen=True)
class Track:
    """One caption track: a file beside the info.json, or text kept inside it."""

    lang: str  # yt-dlp's key: "en", "en-US", "en-orig", "de"
    format: str  # file extension
    name: str  # the file name, or "requested_subtitles.<lang>" for inline text
    kind: str  # "manual" or "auto"
    path: Path | None = None
    inline_text: str | None = field(default=None, repr=False)

    def text(self) -> str:
        if self.path is None:
            return self.inline_text or ""
        return self.path.read_text(encoding="utf-8", errors="replace")


@dataclass(frozen=True)
class Choice:
    chosen: Track | None
    unused: tuple[tuple[Track, str], ...] = ()  # each track left out, with why


def tracks_of(info: dict, info_path: Path, names_beside: Iterable[str] | None = None) -> list[Track]:
    """Every caption track of the video whose info.json is `info_path`.

    `names_beside` are the names of the files in its folder (listed once by a caller that
    reads many info.json files); by default the folder is listed now.
    """
    stem = info_path.name.removesuffix(".info.json")
    folder = info_path.parent
    names = names_beside if names_beside is not None else (p.name for p in folder.iterdir())
    manual = {str(lang) for lang in info.get("subtitles") or {}}
    tracks = []
    for name in sorted(names):
        lang, _, ext = name[len(stem) + 1 :].rpartition(".") if name.startswith(stem + ".") else ("", "", "")
        if lang and "." not in lang and lang != LIVE_CHAT and ext in READABLE_FORMATS + UNREADABLE_FORMATS:
            tracks.append(Track(lang, ext, name, _kind(lang, manual), path=folder / name))
    for lang, track in (info.get("requested_subtitles") or {}).items():
        if isinstance(track, dict) and isinstance(track.get("data"), str) and track["data"]:
            name = f"requested_subtitles.{lang}"
            tracks.append(Track(lang, str(track.get("ext")), name, _kind(lang, manual), inline_text=track["data"]))
    return tracks


def _kind(lang: str, manual: set[str]) -> str:
    return "manual" if lang in manual else "auto"


def choose(tracks: Sequence[Track], languages: Sequence[str]) -> Choice:
    """The track to index and the others with the reason each was left out."""
    usable = [track for track in tracks if _rank(track, languages) is not None]
    chosen = min(usable, key=lambda track: _rank(track, languages)) if usable else None
    unused = tuple((track, _why_not(track, chosen, languages)) for track in tracks if track is not chosen)
    return Choice(chosen, unused)


def _rank(track: Track, languages: Sequence[str]) -> tuple | None:
    """Sort key of a usable track (lower is better), None for one that cannot be used."""
    if track.format not in READABLE_FORMATS:
        return None
    language = language_rank(track.lang, languages)
    if language is None:
        return None
    return (language, track.kind != "manual", _variant_rank(track.lang), READABLE_FORMATS.index(track.format))


def _variant_rank(lang: str) -> int:
    """The plain code first ("en"), then YouTube's original-language "en-orig", then regions ("en-US",
    "es-419"), then anything else (YouTube's translations such as "en-de")."""
    _, _, variant = lang.partition("-")
    if not variant:
        return 0
    if variant == "orig":
        return 1
    return 2 if variant.isupper() or variant.isdigit() else 3


def _why_not(track: Track, chosen: Track | None, languages: Sequence[str]) -> str:
    if track.format not in READABLE_FORMATS:
        return f"format .{track.format} is not read (ask yt-dlp for --sub-format vtt)"
    if language_rank(track.lang, languages) is None:
        return f"language {track.lang!r} is not in languages {list(languages)}"
    return f"{chosen.name} ({chosen.kind}, {chosen.lang}) was chosen instead"
