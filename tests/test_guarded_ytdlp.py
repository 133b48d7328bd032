"""yt-dlp's requests, taken one hop at a time by `GuardedYoutubeDL`: a redirect that the policy
allows is followed as yt-dlp itself would follow it (method, body and headers of each hop)."""

from __future__ import annotations

from pathlib import Path

import pytest
from yt_dlp.networking import Request

from indexer.config import SourceConfig
from indexer.guard import FetchPolicy
from indexer.sources import reader
from indexer.sources.base import SourceContext
from indexer.sources.youtube import GuardedYoutubeDL

from .conftest import YTDLP_SITE
from .hostile_server import HostileServer

# Slow: the real yt-dlp, run against servers on 127.0.0.1. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

LOCAL = FetchPolicy(allow_private=True, timeout=2, retries=0)


@pytest.fixture
def here():
    with HostileServer() as server:
        yield server


@pytest.fixture
def there():
    """Another host (another port of 127.0.0.1, as far as a browser is concerned)."""
    with HostileServer() as server:
        yield server


def post(url: str, **headers: str) -> bytes:
    request = Request(url, data=b"query=relay", headers=headers)
    with GuardedYoutubeDL({"quiet": True}, LOCAL) as ydl:
        return ydl.urlopen(request).read()


def test_a_caption_track_moved_within_what_is_allowed_is_followed(here):
    vtt = (YTDLP_SITE / "captions.en.vtt").read_text()
    here.page("/moved/captions.en.vtt", vtt, "text/vtt")
    here.redirect("/captions.en.vtt", "/moved/captions.en.vtt", status=301)
    url = here.page("/clinic.html", (YTDLP_SITE / "index.html").read_text())
    options = {"url": url, "allow_private_network": True, "sleep_requests": 0, "sleep_subtitles": 0, "sleep_videos": 0}
    config = SourceConfig(name="clips", kind="video", options={**options, "languages": ["en"]}, base_dir=Path("/"))

    (item,) = reader("video").read(config, SourceContext(policy=LOCAL))

    assert "four by four hundred relay" in " ".join(segment.text for segment in item.segments)
    assert here.paths == ["/clinic.html", "/captions.en.vtt", "/moved/captions.en.vtt"]


def test_a_post_redirected_with_302_becomes_a_get_without_body_or_cookie(here):
    here.page("/answer", "ok", "text/plain")
    url = here.redirect("/search", "/answer", status=302)

    assert post(url, Cookie="session=1") == b"ok"

    first, second = here.seen
    assert (first.method, first.body, first.headers["cookie"]) == ("POST", b"query=relay", "session=1")
    assert (second.method, second.body) == ("GET", b"")
    assert "content-type" not in second.headers and "cookie" not in second.headers


def test_a_post_redirected_with_307_stays_a_post_with_its_body(here):
    here.page("/answer", "ok", "text/plain")
    url = here.redirect("/search", "/answer", status=307)

    assert post(url) == b"ok"

    assert [(seen.method, seen.body) for seen in here.seen] == [("POST", b"query=relay"), ("POST", b"query=relay")]


def test_credentials_stay_with_their_host(here, there):
    there.page("/answer", "ok", "text/plain")
    here.page("/answer", "ok", "text/plain")
    here.redirect("/same-host", "/answer")
    here.redirect("/other-host", there.url("/answer"))

    post(here.url("/same-host"), Authorization="Bearer secret")
    post(here.url("/other-host"), Authorization="Bearer secret")

    assert [seen.headers.get("authorization") for seen in here.seen] == ["Bearer secret"] * 3
    assert [seen.headers.get("authorization") for seen in there.seen] == [None]
