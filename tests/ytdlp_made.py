"""Folders made by the real yt-dlp, as a maintainer's download leaves them on disk.

Pages, captions and YouTube-shaped info.json documents (our own writing) are served on
127.0.0.1 by the test's fixture server; yt-dlp runs as a command with the options the README
gives the maintainer and, unless a test says otherwise, its default output template
`%(title)s [%(id)s].%(ext)s`. Nothing here names a file the way yt-dlp would: yt-dlp does.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

from .conftest import YTDLP_SITE

# The README's command for a folder source, less the URL.
MAINTAINER_OPTIONS = ("--skip-download", "--write-info-json", "--write-subs", "--write-auto-subs")
# Offline and quick: no proxy from the environment, no retry loops, no progress lines.
OFFLINE = ("--proxy", "", "--retries", "0", "--extractor-retries", "0", "--socket-timeout", "5", "--no-progress")
VTT = {"Content-Type": "text/vtt; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
RELAY_CAPTIONS = (YTDLP_SITE / "captions.en.vtt").read_text(encoding="utf-8")  # "four by four hundred relay" at 3.21 s


def ytdlp(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `yt-dlp` with the maintainer's options in `folder`; fails the test if yt-dlp fails."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "yt_dlp", *MAINTAINER_OPTIONS, *OFFLINE, *args]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"yt-dlp failed:\n{done.stdout}\n{done.stderr}"
    return done


def serve_page(server, path: str, title: str, tracks: dict[str, str]) -> str:
    """An HTML5 video page titled `title` with one `<track>` per language, each served as VTT."""
    serve_clip(server)
    elements = []
    for lang, text in tracks.items():
        track_url = server.route(f"{path}.{lang}.vtt", text, headers=VTT)
        elements.append(f'<track kind="captions" src="{track_url}" srclang="{lang}" label="{lang}">')
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
        f'<body><video controls><source src="/clip.mp4" type="video/mp4">{"".join(elements)}</video></body></html>'
    )
    return server.route(path, page, headers=HTML)


def serve_clip(server) -> str:
    """A few bytes of MP4 at /clip.mp4: yt-dlp checks a page's media exists, never downloads it."""
    return server.route("/clip.mp4", b"\0\0\0\x18ftypmp42", headers={"Content-Type": "video/mp4"})


def youtube_info(server, save_to: Path, video_id: str, title: str, subtitles: dict, automatic: dict, **fields) -> Path:
    """A YouTube-shaped info.json (as yt-dlp's YouTube extractor makes one), saved in the folder
    `save_to` for `--load-info-json`; its caption tracks, `{lang: text}`, are served on 127.0.0.1
    for yt-dlp to download.

    `live_chat` in `subtitles` is served as JSON, the way YouTube's chat replay is kept.
    """

    def tracks(table: str, captions: dict) -> dict:
        out = {}
        for lang, text in captions.items():
            ext = "json" if lang == "live_chat" else "vtt"
            url = server.route(f"/{video_id}/{table}.{lang}.{ext}", text, headers=VTT)
            out[lang] = [{"ext": ext, "url": url, "name": lang}]
        return out

    info = {
        "_type": "video",
        "id": video_id,
        "title": title,
        "extractor": "youtube",
        "extractor_key": "Youtube",
        "webpage_url": f"https://www.youtube.com/watch?v={video_id}",
        "original_url": f"https://www.youtube.com/watch?v={video_id}",
        "formats": [{"format_id": "18", "url": serve_clip(server), "ext": "mp4", "protocol": "http"}],
        "subtitles": tracks("subtitles", subtitles),
        "automatic_captions": tracks("automatic_captions", automatic),
        **fields,
    }
    save_to.mkdir(parents=True, exist_ok=True)
    saved = save_to / f"{video_id}.json"
    saved.write_text(json.dumps(info), encoding="utf-8")
    return saved
