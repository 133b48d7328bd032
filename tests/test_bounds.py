"""Hostile servers cost a bounded time and memory: a body that trickles in (each byte well
within the read timeout) is cut off by the download's deadline, and a body that floods is
read no further than `max_bytes`, whether `fetch` or yt-dlp reads it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from indexer.config import SourceConfig
from indexer.fetch import fetch
from indexer.guard import FetchError, FetchPolicy
from indexer.sources import reader
from indexer.sources.base import ItemFailure, SourceContext, SourceError

from .hostile_server import HostileServer, video_page

# Slow: deadlines waited out against trickling servers. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

CAP = 1024 * 1024
SLACK = 8 * 1024 * 1024  # what the kernel's socket buffers may hold beyond what was read
TRICKLE = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n" + b"slow " * 10  # one byte every 0.5 s: 44 s in all
WELL_UNDER = 10  # seconds: the deadline, one last wait, and room for a busy machine
# A short deadline, so that the tests are quick; a source's own is max(60 s, 6 x timeout).
BOUNDED = FetchPolicy(allow_private=True, timeout=2, deadline=2, retries=0, max_bytes=CAP)
VTT = "text/vtt; charset=utf-8"
HTML_START = b"<!DOCTYPE html><html><head><title>Clinic</title></head><body><p>"


@pytest.fixture
def server():
    with HostileServer() as hostile:
        yield hostile


def read_video_source(url: str) -> list:
    """Everything the `video` reader yields for `url`, under BOUNDED."""
    options = {"url": url, "sleep_requests": 0, "sleep_subtitles": 0, "sleep_videos": 0, "languages": ["en"]}
    config = SourceConfig(name="clips", kind="video", options=options, base_dir=Path("/"))
    return list(reader("video").read(config, SourceContext(policy=BOUNDED)))


def test_a_trickling_feed_is_cut_off_at_the_deadline(server):
    url = server.trickle("/feed.xml", TRICKLE, every=0.5, content_type="application/rss+xml")
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 s, the most one download may take"):
        fetch(url, BOUNDED)
    assert time.monotonic() - started < WELL_UNDER


def test_a_trickling_caption_track_is_cut_off_at_the_deadline(server):
    server.trickle("/captions.en.vtt", TRICKLE, every=0.5, content_type=VTT)
    started = time.monotonic()
    (failure,) = read_video_source(server.page("/clinic.html", video_page("/captions.en.vtt")))
    assert time.monotonic() - started < WELL_UNDER
    assert isinstance(failure, ItemFailure)
    assert "Unable to download video subtitles for 'en'" in failure.reason
    assert "took longer than 2 s, the most one download may take" in failure.reason


def test_a_trickling_page_is_cut_off_at_the_deadline(server):
    url = server.trickle("/clinic.html", video_page("/captions.en.vtt").encode(), every=0.5, content_type="text/html")
    started = time.monotonic()
    with pytest.raises(SourceError, match="took longer than 2 s, the most one download may take"):
        read_video_source(url)
    assert time.monotonic() - started < WELL_UNDER


def test_a_flooding_page_is_read_no_further_than_the_cap(server):
    url = server.flood("/clinic.html", HTML_START, "text/html; charset=utf-8")
    with pytest.raises(SourceError, match=f"body is over the {CAP}-byte limit"):
        read_video_source(url)
    assert server.sent < CAP + SLACK


def test_a_flooding_caption_track_is_read_no_further_than_the_cap(server):
    server.flood("/captions.en.vtt", b"WEBVTT\n\n", VTT)
    (failure,) = read_video_source(server.page("/clinic.html", video_page("/captions.en.vtt")))
    assert isinstance(failure, ItemFailure) and f"body is over the {CAP}-byte limit" in failure.reason
    assert server.sent < CAP + SLACK


@pytest.mark.parametrize("timeout, seconds", [(1, 60), (20, 120)])
def test_a_source_s_deadline_follows_its_timeout(timeout, seconds):
    assert FetchPolicy.from_options({"timeout": timeout}).download_seconds == seconds
