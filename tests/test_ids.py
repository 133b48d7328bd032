"""Stable item ids (`catalog.ids`): each rule, and the promise that an item's id never changes."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

import pytest

from catalog import ids

from .helpers import live_ids

# Every id the bundled sample gives. Links, collections and corrections name items by these: a
# change here is a change of rule, which breaks every link made with the old one.
SAMPLE_IDS = {
    "youtube:smplDrill02",
    "youtube:smplIntrv01",
    "youtube:smplPlyo003",
    "generic:riverbend-ep-041",
    "generic:riverbend-ep-042",
    "article:masters-running-800m-after-50",
    "article:threshold-and-tempo-runs-explained",
    "article:your-first-5k-six-week-plan",
    "workout:mile-repeats-sub-5-effort",
    "workout:plyo-circuit-for-runners",
    "workout:race-week-strides-session",
    "collection:race-week-questions",
}


def test_the_sample_keeps_its_ids(sample_data):
    assert live_ids(sample_data) == SAMPLE_IDS


def test_what_ytdlp_reads_is_named_by_its_extractor_and_id():
    assert ids.ytdlp_item_id("Youtube", "smplIntrv01") == ids.youtube_item_id("smplIntrv01") == "youtube:smplIntrv01"
    assert ids.ytdlp_item_id("Generic", "episode-12") == "generic:episode-12"
    assert ids.ytdlp_item_id(None, "episode-12") == ids.ytdlp_item_id("", "episode-12") == "video:episode-12"


def test_a_podcast_episode_is_named_by_its_guid_or_the_guid_s_hash():
    assert ids.podcast_item_id("5602BC5B-9548-4CB1") == "podcast:5602BC5B-9548-4CB1"
    for guid in ("https://pod.example/ep/12?x=1", "g" * 65, "-starts-with-a-dash"):
        assert ids.podcast_item_id(guid) == "podcast:" + hashlib.sha1(guid.encode()).hexdigest()[:16]


@pytest.mark.parametrize(
    ("canonical", "path", "expected"),
    [
        ("https://club.example/blog/Hill-Repeats_2024/", PurePath("draft.md"), "article:hill-repeats-2024"),
        ("https://club.example/", PurePath("about.html"), "article:about"),  # no path part: the file's name
        ("https://Club.Example/", None, "article:club-example"),  # nor a file: the host
        (None, PurePath("notes/Your First 5K!.md"), "article:your-first-5k"),
    ],
)
def test_an_article_is_named_by_its_canonical_url_else_its_file(canonical, path, expected):
    assert ids.document_item_id("article", canonical, path) == expected


def test_an_article_with_neither_url_nor_file_has_no_id():
    with pytest.raises(ValueError, match="a canonical URL or a file name is needed"):
        ids.document_item_id("article", None, None)


def test_a_collection_is_named_by_the_slug_of_its_file_as_its_page_is():
    assert ids.collection_item_id(ids.slug("Race Week: Questions")) == "collection:race-week-questions"
    assert ids.slug("race-week-questions") == "race-week-questions"  # the slug in /items/collection:SLUG


@pytest.mark.parametrize(
    ("url", "video"),
    [
        ("https://www.youtube.com/watch?v=smplDrill02&t=3s", "smplDrill02"),
        ("https://youtu.be/smplDrill02", "smplDrill02"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=4", "dQw4w9WgXcQ"),
        ("https://example.com/watch?v=smplDrill02", None),
        ("https://youtu.be/too-short", None),
        ("not a url", None),
    ],
)
def test_a_youtube_link_names_its_video(url, video):
    assert ids.youtube_id_from_url(url) == video
