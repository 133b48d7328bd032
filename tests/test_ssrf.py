"""A source allowed 127.0.0.1 alone reaches nothing else: not through a redirect of its page or of
a caption track (yt-dlp's requests included, each hop checked before it is sent), not through a
program yt-dlp would hand a stream to, not through an IPv6 form of a private IPv4 address.

The other address is a server on 127.0.0.2 (all of 127/8 is loopback on Linux): it must get no
request at all."""

from __future__ import annotations

import ipaddress
import json
import os
import stat

import pytest
from yt_dlp.postprocessor.ffmpeg import FFmpegPostProcessor

from indexer.fetch import fetch
from indexer.guard import FetchError, FetchPolicy, check_url, embedded_ipv4

from .helpers import reindex_config
from .hostile_server import HostileServer, video_page

ONLY_HERE = ["127.0.0.1/32"]
SECRET = "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nthe internal admin password is swordfish\n"


def video_source(url: str) -> str:
    return (
        f'[sources.clips]\nkind = "video"\nurl = "{url}"\nallow_private_network = {json.dumps(ONLY_HERE)}\n'
        "retries = 0\ntimeout = 2\nsleep_requests = 0\nsleep_subtitles = 0\nsleep_videos = 0\n"
    )


@pytest.fixture
def here():
    with HostileServer("127.0.0.1") as server:
        yield server


@pytest.fixture
def elsewhere():
    """What the source must never reach: a server holding a page and captions worth stealing."""
    with HostileServer("127.0.0.2") as server:
        server.page("/clinic.html", video_page("/secret.en.vtt"))
        server.page("/secret.en.vtt", SECRET, "text/vtt")
        yield server


def test_a_page_redirected_elsewhere_is_refused_before_it_is_fetched(here, elsewhere, fresh_data, tmp_path):
    url = here.redirect("/clinic.html", elsewhere.url("/clinic.html"))

    report = reindex_config(fresh_data, tmp_path, video_source(url))

    assert elsewhere.paths == []
    (error,) = report.errors
    assert error["item"] is None
    assert (
        f"redirect to {elsewhere.url('/clinic.html')} refused: 127.0.0.2 is a private-network address"
        in (error["reason"])
    )


def test_a_caption_track_redirected_elsewhere_is_refused_before_it_is_fetched(here, elsewhere, fresh_data, tmp_path):
    url = here.page("/clinic.html", video_page("/captions.en.vtt"))
    here.redirect("/captions.en.vtt", elsewhere.url("/secret.en.vtt"))

    report = reindex_config(fresh_data, tmp_path, video_source(url))

    assert elsewhere.paths == []
    (error,) = report.errors
    assert error["item"] == "html5mediaembed:clinic-1"
    assert "Unable to download video subtitles for 'en'" in error["reason"]
    assert (
        f"redirect to {elsewhere.url('/secret.en.vtt')} refused: 127.0.0.2 is a private-network address"
        in (error["reason"])
    )
    assert report.changed_ids == set()  # nothing of it stored, let alone the secret


def test_a_stream_yt_dlp_would_hand_to_ffmpeg_is_not_fetched(here, elsewhere, fresh_data, tmp_path, monkeypatch):
    """ffmpeg has network code of its own, past every guard: yt-dlp hands it an HLS playlist it cannot
    read itself (here, one with a key method it does not know), and ffmpeg would fetch the segments."""
    calls = tmp_path / "ffmpeg-calls"
    for program in ("ffmpeg", "ffprobe"):  # stand-ins that only write down how they were called
        stand_in = tmp_path / "bin" / program
        stand_in.parent.mkdir(exist_ok=True)
        stand_in.write_text(f'#!/bin/sh\necho "$@" >> {calls}\necho "{program} version 7.1 Copyright"\n')
        stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(FFmpegPostProcessor, "_version_cache", {None: None})  # yt-dlp looks for ffmpeg anew
    monkeypatch.setattr(FFmpegPostProcessor, "_features_cache", {})
    playlist = f"#EXTM3U\n#EXT-X-KEY:METHOD=ROT13\n#EXTINF:3.0,\n{elsewhere.url('/secret.en.vtt')}\n#EXT-X-ENDLIST\n"
    here.page("/captions.m3u8", playlist, "application/vnd.apple.mpegurl")
    url = here.page("/clinic.html", video_page("/captions.m3u8"))

    report = reindex_config(fresh_data, tmp_path / "config", video_source(url))

    assert "/captions.m3u8" not in (calls.read_text() if calls.exists() else "")
    assert elsewhere.paths == [] and here.paths == ["/clinic.html"]
    (error,) = report.errors
    assert "m3u8_native is not fetched, only plain http(s) files" in error["reason"]


def test_fetch_refuses_a_redirect_elsewhere_before_sending_anything(here, elsewhere):
    url = here.redirect("/feed.xml", elsewhere.url("/secret.en.vtt"))
    with pytest.raises(FetchError, match=r"redirect to .* refused: 127\.0\.0\.2 is a private-network address"):
        fetch(url, FetchPolicy(allow_private=tuple(ONLY_HERE), retries=0))
    assert elsewhere.paths == [] and here.paths == ["/feed.xml"]


# IPv6 forms that carry an IPv4 address reach that address: they are judged as it.
EMBEDDING = {
    "IPv4-compatible": "::{}",
    "IPv4-mapped": "::ffff:{}",
    "NAT64": "64:ff9b::{}",
}


def six_to_four(ipv4: str) -> str:
    """The 6to4 address of `ipv4`: 2002:, then the IPv4 address in bits 16 to 48."""
    packed = ipaddress.IPv4Address(ipv4).packed
    return f"2002:{packed[0]:02x}{packed[1]:02x}:{packed[2]:02x}{packed[3]:02x}::1"


def forms(ipv4: str) -> list[str]:
    return [form.format(ipv4) for form in EMBEDDING.values()] + [six_to_four(ipv4)]


FORM_IDS = [*EMBEDDING, "6to4"]


@pytest.mark.parametrize("address", forms("127.0.0.1"), ids=FORM_IDS)
def test_ipv6_forms_of_a_private_address_are_refused_by_default(address):
    assert embedded_ipv4(ipaddress.IPv6Address(address)) == ipaddress.IPv4Address("127.0.0.1")
    assert not FetchPolicy().allows(ipaddress.ip_address(address))
    with pytest.raises(FetchError, match=r"private-network address \(.*, which is 127\.0\.0\.1\)"):
        check_url(f"http://[{address}]:8000/feed.xml", FetchPolicy())


@pytest.mark.parametrize(
    "allowed, refused", list(zip(forms("127.0.0.1"), forms("127.0.0.2"), strict=True)), ids=FORM_IDS
)
def test_ipv6_forms_count_as_the_ipv4_address_they_carry(allowed, refused):
    policy = FetchPolicy(allow_private=tuple(ONLY_HERE))
    check_url(f"http://[{allowed}]/feed.xml", policy)
    with pytest.raises(FetchError, match=r"private-network address \(.*, which is 127\.0\.0\.2\)"):
        check_url(f"http://[{refused}]/feed.xml", policy)


@pytest.mark.parametrize("address", forms("8.8.8.8"), ids=FORM_IDS)
def test_ipv6_forms_of_a_public_address_pass(address):
    assert FetchPolicy().allows(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["::1", "::", "fe80::1", "64:ff9b:1::7f00:1"])
def test_ipv6_s_own_private_addresses_stay_refused(address):
    assert not FetchPolicy().allows(ipaddress.ip_address(address))
    assert FetchPolicy(allow_private=(f"{address}/128",)).allows(ipaddress.ip_address(address))


def test_an_allowed_network_may_be_written_with_host_bits():
    """The config check takes "127.0.0.1/8" (like `ip_network(..., strict=False)`), so the guard must too."""
    assert FetchPolicy(allow_private=("127.0.0.1/8",)).allows(ipaddress.ip_address("127.0.0.2"))
