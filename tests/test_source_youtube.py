"""The `youtube` and `video` sources: the real yt-dlp code path against pages, feeds and a
YouTube-shaped info.json, all served on 127.0.0.1 (the team's research on running yt-dlp offline)."""

import json
import re
from email.utils import formatdate
from pathlib import Path

import pytest

from indexer.config import SourceConfig
from indexer.fetch import FetchPolicy
from indexer.sources import reader
from indexer.sources.base import ItemFailure, SourceContext, SourceError, Unchanged
from indexer.sources.youtube import UnusableResult, fetch_video
from indexer.sources.ytdlp_options import Settings, entries_of

from . import ytdlp_made
from .conftest import YTDLP_SITE as FIXTURES
from .helpers import live_ids, live_search, reindex_config
from .hostile_server import HostileServer

pytestmark = pytest.mark.slow  # the real yt-dlp, and timeouts waited out

HTML = {"Content-Type": "text/html; charset=utf-8"}
VTT = {"Content-Type": "text/vtt; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}
CLIP = "html5mediaembed:index-1"
# Fast and local: no retries, short timeouts, no polite pauses.
QUIET = {
    "allow_private_network": True,
    "retries": 0,
    "timeout": 1,
    "max_bytes": 1024 * 1024,
    "sleep_requests": 0,
    "sleep_subtitles": 0,
    "sleep_videos": 0,
}


def fixture(name: str, server) -> str:
    """A research fixture with its port-8765 URLs pointed at this test's server."""
    return (FIXTURES / name).read_text().replace("http://127.0.0.1:8765", server.base)


@pytest.fixture
def site(fixture_server):
    """The research pages, captions, feed and tiny media files, as a web server would send them."""
    # A fresh Last-Modified makes the clip recent, so every run fetches it again (rolling refresh).
    recent = {**HTML, "Last-Modified": formatdate(usegmt=True)}
    fixture_server.route("/index.html", fixture("index.html", fixture_server), headers=recent)
    for page in ("multi.html", "jsonld.html"):
        fixture_server.route(f"/{page}", fixture(page, fixture_server), headers=HTML)
    fixture_server.route("/feed.xml", fixture("feed.xml", fixture_server), headers=RSS)
    fixture_server.route("/captions.en.vtt", fixture("captions.en.vtt", fixture_server), headers=VTT)
    fixture_server.route("/clip.mp4", b"\0\0\0\x18ftypmp42", headers={"Content-Type": "video/mp4"})
    for episode in ("ep1.mp3", "ep2.mp3"):
        fixture_server.route(f"/{episode}", b"ID3\x03\0\0\0\0\0\0", headers={"Content-Type": "audio/mpeg"})
    return fixture_server


def source(kind: str, *urls: str, **options) -> SourceConfig:
    return SourceConfig(name="clips", kind=kind, options={"urls": list(urls), **QUIET, **options}, base_dir=Path("/"))


def context(**fields) -> SourceContext:
    return SourceContext(policy=FetchPolicy.from_options(QUIET), **fields)


def read(config: SourceConfig, ctx: SourceContext | None = None) -> list:
    return list(reader(config.kind).read(config, ctx or context()))


def toml(*urls: str) -> str:
    options = "\n".join(f"{key} = {json.dumps(value)}" for key, value in QUIET.items())
    return f'[sources.clips]\nkind = "video"\nurls = {json.dumps(urls)}\n{options}\n'


def test_html5_page_gives_the_video_with_its_track_captions(site):
    (item,) = read(source("video", site.url("/index.html")))
    assert (item.id, item.kind, item.captions) == (CLIP, "video", "manual")
    assert item.title == "Masters miler live interview (local fixture)"  # without yt-dlp's " (1)"
    assert (item.source_url, item.media_url) == (site.url("/index.html"), site.url("/clip.mp4"))
    text = " ".join(s.text for s in item.segments)
    assert text.count("four by four hundred relay") == 1, "rolling caption lines were stored twice"
    assert item.segments[0].start == 0.0
    assert [site.hits(p) for p in ("/index.html", "/captions.en.vtt", "/clip.mp4")] == [1, 1, 0]


def test_a_regional_track_counts_for_its_language(site):
    site.route("/index.html", fixture("index.html", site).replace('srclang="en"', 'srclang="en-GB"'), headers=HTML)
    (item,) = read(source("video", site.url("/index.html"), languages=["de", "en"]))
    assert (item.captions, item.raw["caption"]["lang"]) == ("manual", "en-GB")
    assert site.hits("/captions.en.vtt") == 1


def test_the_moment_is_searchable_end_to_end(site, fresh_data, tmp_path):
    report = reindex_config(fresh_data, tmp_path / "config", toml(site.url("/index.html")))
    assert report.exit_code == 0, report.errors
    (result,) = live_search(fresh_data, "4x400 relay")["results"]
    assert result["id"] == CLIP
    assert 3 <= result["moments"][0]["start"] < 8  # "today we talk about the four by four hundred relay"


@pytest.fixture
def youtube_info(fixture_server, tmp_path) -> dict:
    """A YouTube-shaped info dict (our own): `en` auto-captions and `de` subtitles served locally."""
    german = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWillkommen zum Gespräch über die Staffel\n"
    saved = ytdlp_made.youtube_info(
        fixture_server,
        tmp_path,
        "TrkTlk0001A",
        "Track Talk Live",
        subtitles={"de": german},
        automatic={"en": fixture("captions.en.vtt", fixture_server)},
        duration=582,
        upload_date="20210720",
        chapters=[
            {"start_time": 60.0 * n, "title": title} for n, title in enumerate(["Introduction", "Relay", "Mile"])
        ],
    )
    return json.loads(saved.read_text())


@pytest.mark.parametrize(
    "languages, kind, lang, words, path",
    [
        (("de", "en"), "manual", "de", "Gespräch über die Staffel", "/TrkTlk0001A/subtitles.de.vtt"),
        (("en",), "auto", "en", "four by four hundred relay", "/TrkTlk0001A/automatic_captions.en.vtt"),
    ],
)
def test_saved_youtube_info_json_gets_the_right_captions(
    fixture_server, youtube_info, languages, kind, lang, words, path
):
    settings = Settings(urls=(), languages=languages, policy=FetchPolicy.from_options(QUIET), sleep_subtitles=0)
    item = fetch_video(youtube_info, settings, "clips")
    assert (item.id, item.youtube_id, item.duration, item.published) == (
        "youtube:TrkTlk0001A",
        "TrkTlk0001A",
        582,
        "2021-07-20",
    )
    assert item.chapters[0].title == "Introduction" and len(item.chapters) == 3
    assert (item.captions, item.raw["caption"]["lang"]) == (kind, lang)
    assert words in " ".join(s.text for s in item.segments)
    assert fixture_server.hits(path) == 1  # really downloaded from 127.0.0.1 by yt-dlp


def test_a_video_that_breaks_in_an_unforeseen_way_fails_alone(site, fresh_data, tmp_path):
    """The boundary around one video: whatever it raises is that video's failure, and the source goes on.
    Here a page stalls after its first byte: yt-dlp's generic extractor lets the read timeout through as it is."""
    with HostileServer() as hostile:
        stalled = hostile.trickle("/ep1.html", b"<!DOCTYPE html><html></html>", every=3, content_type="text/html")
        site.route("/feed.xml", fixture("feed.xml", site).replace(site.url("/ep1.mp3"), stalled), headers=RSS)

        report = reindex_config(fresh_data, tmp_path / "config", toml(site.url("/feed.xml")))

    (error,) = report.errors
    assert error["item"] == stalled
    assert error["reason"] == f"TransportError: {stalled}: download broke off (timed out)"
    assert live_ids(fresh_data) == {"generic:coach-ep-2"}


def test_json_ld_video_object_page(site):
    (item,) = read(source("video", site.url("/jsonld.html")))
    assert (item.id, item.title, item.duration, item.published) == (
        "generic:jsonld",
        "Strides and plyometrics for 400 m to 5K",
        750,
        "2024-03-02",
    )
    assert "4x400 relay warm-up" in item.description
    assert (item.media_url, item.captions, item.segments) == (site.url("/clip.mp4"), "none", ())


LISTINGS = {  # a page with two media elements, a feed with two enclosures: (listing, media paths)
    "multi.html": ("/multi.html", ["/captions.en.vtt"], {"html5mediaembed:multi-1", "html5mediaembed:multi-2"}),
    "feed.xml": ("/feed.xml", ["/ep1.mp3", "/ep2.mp3"], {"generic:coach-ep-1", "generic:coach-ep-2"}),
}


@pytest.mark.parametrize("listing", LISTINGS)
def test_a_listing_is_read_once_and_only_due_entries_are_fetched(site, listing):
    path, fetched_paths, ids = LISTINGS[listing]
    config = source("youtube", site.url(path))
    first = context()
    items = read(config, first)
    assert {i.id for i in items} == ids and site.hits(path) == 1
    fetched = [site.hits(p) for p in fetched_paths]
    assert all(fetched)

    again = read(config, context(known=ids, state=first.state))
    assert set(again) == {Unchanged(i) for i in ids}
    assert site.hits(path) == 2 and [site.hits(p) for p in fetched_paths] == fetched

    due = sorted(ids)[0]
    results = read(config, context(known=ids, due={due}, state=first.state))
    assert {getattr(r, "id", None) for r in results} == {due, None}
    assert {r.item_id for r in results if isinstance(r, Unchanged)} == ids - {due}


def test_new_entries_beyond_max_new_wait_for_the_next_run(site):
    config = source("video", site.url("/feed.xml"))
    first = context(max_new=1)
    (item,) = read(config, first)
    assert item.id == "generic:coach-ep-2"  # the feed's first entry
    later = read(config, context(max_new=1, known={item.id}, state=first.state))
    assert [getattr(r, "id", r) for r in later] == [Unchanged(item.id), "generic:coach-ep-1"]


def test_a_known_video_whose_fetch_failed_is_fetched_again_the_next_run(site):
    """Not only when it is next due: the failure is reported again, or the video is back, at once."""
    config = source("video", site.url("/feed.xml"))
    first = context()
    ids = {item.id for item in read(config, first)}
    site.route("/ep2.mp3", "oops", status=500)
    failing = context(known=ids, due={"generic:coach-ep-2"}, state=first.state)
    assert [type(r) for r in read(config, failing)] == [ItemFailure, Unchanged]
    site.route("/ep2.mp3", b"ID3\x03\0\0\0\0\0\0", headers={"Content-Type": "audio/mpeg"})

    again = read(config, context(known=ids, state=failing.state))  # nothing due

    assert [getattr(r, "id", r) for r in again] == ["generic:coach-ep-2", Unchanged("generic:coach-ep-1")]


def test_a_gone_entry_is_left_out_and_a_failing_one_reported(site):
    site.route("/ep1.mp3", "no such episode", status=404)
    site.route("/ep2.mp3", "oops", status=500)
    (failure,) = read(source("video", site.url("/feed.xml")))
    assert isinstance(failure, ItemFailure)
    assert failure.reason.startswith("[generic] coach-ep-2: Unable to download webpage: HTTP Error 500")


def test_private_addresses_are_refused_without_opt_in(site):
    config = source("video", site.url("/index.html"), allow_private_network=False)
    with pytest.raises(SourceError, match=r"127\.0\.0\.1 is a private-network address"):
        read(config, SourceContext())
    assert site.log == []


def test_a_playlist_is_never_fetched_as_one_video(site):
    settings = Settings(urls=(), policy=FetchPolicy.from_options(QUIET))
    with pytest.raises(UnusableResult, match="feed.xml is a playlist, not a video"):
        fetch_video({"_type": "url", "url": site.url("/feed.xml")}, settings, "clips")
    assert site.hits("/ep1.mp3") == site.hits("/ep2.mp3") == 0  # its entries stay flat


def test_a_channel_s_tabs_are_flattened():
    tab = {"_type": "playlist", "entries": [{"_type": "url", "ie_key": "Youtube", "id": "a"}]}
    channel = {"_type": "playlist", "entries": [tab, {"_type": "playlist", "entries": None}, {"id": "b"}]}
    assert [e["id"] for e in entries_of(channel)] == ["a", "b"]


def test_cookies_resolve_against_the_config_folder_and_must_exist(site, tmp_path):
    config = SourceConfig("clips", "video", {"url": site.url("/index.html"), "cookies": "c.txt", **QUIET}, tmp_path)
    with pytest.raises(SourceError, match=f"cookies file {re.escape(str(tmp_path / 'c.txt'))} not found"):
        read(config)
    (tmp_path / "c.txt").write_text("# Netscape HTTP Cookie File\n")
    assert [i.id for i in read(config)] == [CLIP]


# The second run's answer at the page or caption URL, and what the error must say.
TRUNCATED = "WEBVTT\n\n00:00:00.000 --> 00:00:03.200\nwelcome back\n\n00:00:03.200 --> 00:0"
MOVED = "<html><body><p>Moved to our new site.</p></body></html>"


def utf16(name: str) -> bytes:
    """A fixture in UTF-16, served below as UTF-8: the wrong encoding."""
    return (FIXTURES / name).read_text().encode("utf-16")


COMMON_FAULTS = {
    "500": ({"status": 500}, "HTTP Error 500"),
    "404": ({"status": 404}, "HTTP Error 404"),
    "429": ({"status": 429, "headers": {"Retry-After": "1"}}, "HTTP Error 429"),
    "timeout": ({"delay": 2, "body": "late"}, "timed out"),
    "refused": (None, "Connection refused"),  # the URL points where nothing listens
}
PAGE_FAULTS = {
    **COMMON_FAULTS,
    "malformed-page": ({"body": MOVED, "headers": HTML}, "Unsupported URL"),
    "wrong-encoding": ({"body": utf16("index.html"), "headers": HTML}, "Unsupported URL"),
    "50MB": ({"stream_bytes": 50 * 1024 * 1024, "headers": HTML}, "the body is not HTML"),
    "redirect-loop": ({"status": 302, "headers": {"Location": "/index.html"}}, "redirect loop"),
}
CAPTION_FAULTS = {
    **COMMON_FAULTS,
    "truncated-vtt": ({"body": TRUNCATED, "headers": VTT}, "index-1.en.vtt: cue 2: malformed timing line"),
    "wrong-encoding": ({"body": utf16("captions.en.vtt"), "headers": VTT}, "missing WEBVTT header"),
    "50MB": ({"stream_bytes": 50 * 1024 * 1024, "headers": VTT}, "body is over the 1048576-byte limit"),
    "redirect-loop": ({"status": 302, "headers": {"Location": "/captions.en.vtt"}}, "redirect loop"),
}
MATRIX = [("page", f) for f in PAGE_FAULTS] + [("captions", f) for f in CAPTION_FAULTS]


@pytest.mark.parametrize("target, fault", MATRIX, ids=[f"{t}-{f}" for t, f in MATRIX])
def test_faults_keep_what_was_indexed(site, refused_url, fresh_data, tmp_path, target, fault):
    page = site.url("/index.html")
    assert reindex_config(fresh_data, tmp_path / "config", toml(page)).exit_code == 0
    route, reason = (PAGE_FAULTS if target == "page" else CAPTION_FAULTS)[fault]
    path = "/index.html" if target == "page" else "/captions.en.vtt"
    if route is None and target == "page":
        page = refused_url
    elif route is None:
        site.route("/index.html", fixture("index.html", site).replace("captions.en.vtt", refused_url), headers=HTML)
    else:
        site.route(path, **route)
    hits = site.hits(path)

    report = reindex_config(fresh_data, tmp_path / "config", toml(page))

    assert report.exit_code == 1
    (error,) = report.errors
    assert error["source"] == "clips" and reason in error["reason"], error
    assert error["item"] == (None if target == "page" else CLIP)
    if target == "page":
        assert error["reason"].startswith(page)
    if fault == "429":
        assert site.hits(path) - hits == 2, "Retry-After was not honoured with one more try"
    assert live_ids(fresh_data) == {CLIP}
    assert live_search(fresh_data, "4x400 relay")["results"][0]["moments"], "the old captions were lost"
