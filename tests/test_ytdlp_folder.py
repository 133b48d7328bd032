"""`ytdlp-folder` on folders the real yt-dlp made offline, named by its default output template.

Every folder here is written by yt-dlp itself (tests/ytdlp_made.py) from pages and
YouTube-shaped info.json documents served on 127.0.0.1, so the file names are the ones a
maintainer's archive has: `Title [id].info.json` beside `Title [id].en.vtt`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from catalog.storage import store
from indexer.cli import cli

from .conftest import YTDLP_SITE
from .ytdlp_made import RELAY_CAPTIONS, serve_page, youtube_info, ytdlp

# Slow: folders made by running the real yt-dlp. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

GERMAN = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWillkommen zum Gespräch über die Staffel\n"
CHAT = '{"replayChatItemAction": {"actions": []}}\n'


def reindex(runner, data: Path, media: Path, languages: list[str] | None = None):
    """`catalog reindex` of one ytdlp-folder source named `videos` over `media`."""
    config = media.parent / "sources.toml"
    lines = ["[sources.videos]", 'kind = "ytdlp-folder"', f"path = {json.dumps(str(media))}"]
    if languages is not None:
        lines.append(f"languages = {json.dumps(languages)}")
    config.write_text("\n".join(lines) + "\n")
    return runner.invoke(cli, ["reindex", "--config", str(config), "--data", str(data)])


def search_json(runner, data: Path, query: str) -> dict:
    result = runner.invoke(cli, ["--data", str(data), "search", "--json", query])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def stored(data: Path, item_id: str) -> dict:
    sql = "select captions, payload from items join raw on raw.item_id = items.id where id = ?"
    row = store.open_readonly(data).execute(sql, [item_id]).fetchone()
    return {"captions": row[0], "caption": json.loads(row[1])["caption"]}


def test_default_template_names_are_read_and_found_at_the_second(fixture_server, tmp_path, runner):
    title = "Track Talk Live [4x400] *relay* secrets? Yes!"
    url = serve_page(fixture_server, "/track-talk.html", title, {"en": RELAY_CAPTIONS})
    media = tmp_path / "media"
    ytdlp(media, url)
    names = sorted(path.name for path in media.iterdir())
    assert len(names) == 2 and all("[4x400]" in name and "[track-talk-1]." in name for name in names)
    assert names[0].endswith(".en.vtt") and names[1].endswith(".info.json")

    result = reindex(runner, tmp_path / "data", media)
    assert result.exit_code == 0, result.output
    assert "videos: 1 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — ok" in result.output
    assert "note:" not in result.output

    doc = search_json(runner, tmp_path / "data", "four by four hundred relay")
    (top,) = doc["results"]
    assert (top["id"], top["title"]) == ("html5mediaembed:track-talk-1", title)
    assert top["moments"][0]["start"] == 3.21  # the cue where "four by four hundred relay" is said
    assert top["moments"][0]["url"] == "/items/html5mediaembed:track-talk-1?t=3"


@pytest.mark.parametrize(
    ("title", "lang", "options"),
    [
        ("Läufer-Gespräch: 800 m über 50 — 日本語 ✓", "en-US", ()),
        ("Long run " * 22, "en", ()),  # 198 characters: the default template still fits
        ("Tempo " * 50, "en", ("-o", "%(title).200B [%(id)s].%(ext)s")),  # the README's template for long titles
        ("Tempo " * 50, "en", ("--trim-filenames", "200")),  # the id is cut off the names
    ],
    ids=["unicode-en-US", "long", "very-long-title-bytes", "very-long-trimmed"],
)
def test_unicode_and_long_titles_keep_their_captions(fixture_server, tmp_path, runner, title, lang, options):
    url = serve_page(fixture_server, "/talk.html", title, {lang: RELAY_CAPTIONS})
    media = tmp_path / "media"
    ytdlp(media, *options, url)
    assert any(name.endswith(f".{lang}.vtt") for name in os.listdir(media))

    result = reindex(runner, tmp_path / "data", media)
    assert result.exit_code == 0 and "1 new" in result.output, result.output
    assert stored(tmp_path / "data", "html5mediaembed:talk-1")["caption"]["lang"] == lang
    (top,) = search_json(runner, tmp_path / "data", "4x400 relay")["results"]
    assert top["title"] == title.strip() and top["moments"][0]["start"] == 3.21


@pytest.fixture
def english_talk_with_german_subtitles(fixture_server, tmp_path) -> Path:
    """A YouTube video in English: auto-captions `en` and `en-orig`, manual German subtitles and
    a live chat replay, downloaded with `--sub-langs all` and the default template."""
    source = youtube_info(
        fixture_server,
        tmp_path / "saved",
        "TrkTlk0001A",
        "Track Talk Live: the 4x400 [full] session",
        subtitles={"de": GERMAN, "live_chat": CHAT},
        automatic={"en": RELAY_CAPTIONS, "en-orig": RELAY_CAPTIONS},
        duration=600,
        upload_date="20240521",
        chapters=[{"start_time": 0, "end_time": 300, "title": "Warm-up"}, {"start_time": 300, "title": "The relay"}],
    )
    media = tmp_path / "media"
    ytdlp(media, "--sub-langs", "all", "--load-info-json", str(source))
    endings = sorted(name.split("[TrkTlk0001A]")[1] for name in os.listdir(media))
    assert endings == [".de.vtt", ".en-orig.vtt", ".en.vtt", ".info.json", ".live_chat.json"]
    return media


def test_language_order_comes_before_manual_over_auto(english_talk_with_german_subtitles, tmp_path, runner):
    media = english_talk_with_german_subtitles
    result = reindex(runner, tmp_path / "en-first", media, ["en", "de"])
    assert result.exit_code == 0, result.output
    chosen = stored(tmp_path / "en-first", "youtube:TrkTlk0001A")
    assert (chosen["captions"], chosen["caption"]["lang"]) == ("auto", "en")

    stem = "Track Talk Live： the 4x400 [full] session [TrkTlk0001A]"
    notes = sorted(line for line in result.output.splitlines() if line.startswith("note:"))
    assert notes == [
        f"note: videos: {stem}.de.vtt: caption track not used: {stem}.en.vtt (auto, en) was chosen instead",
        f"note: videos: {stem}.en-orig.vtt: caption track not used: {stem}.en.vtt (auto, en) was chosen instead",
    ]  # the live chat is no caption track: never read, never reported
    assert "1 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed, 2 notes — ok" in result.output
    (top,) = search_json(runner, tmp_path / "en-first", "four by four hundred relay")["results"]
    assert top["moments"][0]["start"] == 3.21

    german_first = reindex(runner, tmp_path / "de-first", media, ["de", "en"])
    assert german_first.exit_code == 0, german_first.output
    chosen = stored(tmp_path / "de-first", "youtube:TrkTlk0001A")
    assert (chosen["captions"], chosen["caption"]["lang"]) == ("manual", "de")
    assert "Staffel" in chosen["caption"]["text"]


def test_a_language_not_configured_is_reported_not_indexed(english_talk_with_german_subtitles, tmp_path, runner):
    result = reindex(runner, tmp_path / "data", english_talk_with_german_subtitles, ["fr"])
    assert result.exit_code == 0, result.output
    assert stored(tmp_path / "data", "youtube:TrkTlk0001A")["captions"] == "none"
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert len(notes) == 3 and all("is not in languages ['fr']" in note for note in notes)
    assert {note.split("[TrkTlk0001A].")[1].split(":")[0] for note in notes} == {"de.vtt", "en.vtt", "en-orig.vtt"}


def test_a_format_that_is_not_read_is_reported(fixture_server, tmp_path, runner):
    source = youtube_info(fixture_server, tmp_path / "saved", "SrvThree001", "Hill session", {}, {"en": RELAY_CAPTIONS})
    info = json.loads(source.read_text())
    info["automatic_captions"]["en"][0]["ext"] = "srv3"  # YouTube's XML format, asked for with --sub-format
    source.write_text(json.dumps(info))
    media = tmp_path / "media"
    ytdlp(media, "--sub-format", "srv3", "--load-info-json", str(source))
    result = reindex(runner, tmp_path / "data", media)
    assert result.exit_code == 0, result.output
    assert "Hill session [SrvThree001].en.srv3: caption track not used: format .srv3 is not read" in result.output
    assert stored(tmp_path / "data", "youtube:SrvThree001")["captions"] == "none"


def test_playlist_info_json_is_no_item_and_its_entries_are(fixture_server, tmp_path, runner):
    page = (YTDLP_SITE / "multi.html").read_text()
    fixture_server.route("/captions.en.vtt", RELAY_CAPTIONS, headers={"Content-Type": "text/vtt"})
    fixture_server.route("/clip.mp4", b"\0\0\0\x18ftypmp42", headers={"Content-Type": "video/mp4"})
    fixture_server.route("/ep1.mp3", b"ID3\x03\0\0\0\0\0\0", headers={"Content-Type": "audio/mpeg"})
    url = fixture_server.route("/multi.html", page, headers={"Content-Type": "text/html"})
    media = tmp_path / "media"
    ytdlp(media, url)
    playlists = [p for p in media.glob("*.info.json") if json.loads(p.read_text())["_type"] == "playlist"]
    assert [p.name for p in playlists] == ["Two media elements (fixture) [multi].info.json"]

    result = reindex(runner, tmp_path / "data", media)
    assert result.exit_code == 0, result.output
    assert "videos: 2 new" in result.output
    ids = set(store.item_ids(store.open_readonly(tmp_path / "data")))
    assert ids == {"html5mediaembed:multi-1", "html5mediaembed:multi-2"}
    # the audio's <track> had no srclang: yt-dlp keyed it by its label, a language nobody configured
    assert "[multi-2].No srclang.vtt: caption track not used: language 'No srclang' is not in languages" in (
        result.output
    )


def test_captions_downloaded_later_are_read_on_the_next_run(fixture_server, tmp_path, runner):
    url = serve_page(fixture_server, "/later.html", "Strides [drill] later!", {"en": RELAY_CAPTIONS})
    media = tmp_path / "media"
    ytdlp(media, "--no-write-subs", "--no-write-auto-subs", url)  # first only the info.json
    first = reindex(runner, tmp_path / "data", media)
    assert first.exit_code == 0 and "1 new" in first.output, first.output
    assert stored(tmp_path / "data", "html5mediaembed:later-1")["captions"] == "none"

    again = reindex(runner, tmp_path / "data", media)
    assert "0 new, 0 updated, 1 unchanged" in again.output  # nothing beside it changed
    ytdlp(media, url)  # the maintainer's command again: the subtitles arrive beside it
    third = reindex(runner, tmp_path / "data", media)
    assert "0 new, 1 updated" in third.output, third.output
    assert stored(tmp_path / "data", "html5mediaembed:later-1")["captions"] == "manual"
