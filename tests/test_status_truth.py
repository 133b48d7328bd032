"""A status that tells the truth: per source its last success, since when it fails and how many runs
in a row, caption coverage and its change, the warnings it carries; /healthz `degraded` once a
source has failed for longer than CATALOG_STALE_AFTER; and /status for the maintainer only."""

from __future__ import annotations

import html
import re
import shutil
import time

import pytest

from .coach_tools import client_for, notes, reindexed, sample_copy

REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
TOKEN = "a-status-token-of-32-characters!"


@pytest.fixture
def media(tmp_path):
    return sample_copy(tmp_path / "media")


def source_row(page: str, name: str) -> list[str]:
    row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row, re.S)


def test_status_is_refused_from_another_machine_without_the_token(sample_data):
    client = client_for(sample_data, STATUS_TOKEN=TOKEN)
    assert client.get("/status", environ_base=REMOTE).status_code == 404
    assert (
        client.get(
            "/status", environ_base=REMOTE, headers={"Authorization": "Bearer wrong-token-wrong-token"}
        ).status_code
        == 404
    )
    shown = client.get("/status", environ_base=REMOTE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert shown.status_code == 200 and "Last success" in shown.get_data(as_text=True)


def test_a_failing_source_says_since_when_how_often_and_its_error_once(runner, tmp_path, media):
    data = tmp_path / "data"
    reindexed(runner, data, media)
    before = source_row(client_for(data).get("/status").get_data(as_text=True), "workouts")
    time.sleep(1.1)  # the failing runs come a second later, so their time is not the last success's
    shutil.rmtree(tmp_path / "media" / "workouts")  # the disk did not mount
    for _night in range(2):
        assert reindexed(runner, data, media).exit_code == 1

    page = client_for(data).get("/status").get_data(as_text=True)
    kind, last_run, last_success, state, *_ = source_row(page, "workouts")
    assert last_success == before[2]  # the last run that read it
    assert last_run != last_success and last_run.startswith("<time datetime=")  # a time, not a run number
    assert re.fullmatch(
        r'<strong>failed</strong> since <time datetime="[^"]+">[^<]+</time>, 2 runs in a row: workouts: no such folder',
        state,
    ), state
    assert page.count("workouts: no such folder") == 1  # not again under each run and in an error list
    assert "Run 3: partial" in page and "<strong>FAILED</strong>" in page

    shutil.copytree(tmp_path / "media" / "podcast", tmp_path / "media" / "workouts")  # back, with other files
    media.write_text(media.read_text().replace('kind = "workouts"', 'kind = "ytdlp-folder"'))
    reindexed(runner, data, media, "--accept-empty", "workouts")
    kind, _, last_success, state, *_ = source_row(client_for(data).get("/status").get_data(as_text=True), "workouts")
    assert state == "ok" and last_success != before[2]


def test_healthz_is_degraded_once_a_source_fails_for_longer_than_the_configured_age(runner, tmp_path, media):
    data = tmp_path / "data"
    reindexed(runner, data, media)
    shutil.rmtree(tmp_path / "media" / "workouts")
    reindexed(runner, data, media)

    assert client_for(data).get("/healthz").get_json()["status"] == "ok"  # failing, but not for 2 days yet
    time.sleep(1.1)
    health = client_for(data, STALE_AFTER="1s").get("/healthz")
    body = health.get_json()
    assert health.status_code == 200 and body["status"] == "degraded"
    assert [(s["name"], s["failures"]) for s in body["stale_sources"]] == [("workouts", 1)]
    assert "no such folder" not in health.get_data(as_text=True)  # errors are for /status, not for anyone
    status = client_for(data, STALE_AFTER="1s").get("/status").get_data(as_text=True)
    assert "(longer than 1s: <code>/healthz</code> says degraded)" in status

    media.write_text(media.read_text().replace('[sources.workouts]\nkind = "workouts"\npath = "workouts"\n', ""))
    reindexed(runner, data, media)  # the maintainer removed the source: it is forgotten, its items stay
    assert client_for(data, STALE_AFTER="1s").get("/healthz").get_json()["status"] == "ok"


@pytest.mark.parametrize("age", ["soon", "-2d", "0"])
def test_an_unusable_stale_after_stops_the_app_at_start(sample_data, age):
    with pytest.raises(ValueError, match="CATALOG_STALE_AFTER"):
        client_for(sample_data, STALE_AFTER=age)


def test_caption_coverage_and_its_drop_are_shown_with_a_warning(runner, tmp_path, media):
    data = tmp_path / "data"
    reindexed(runner, data, media)
    (tmp_path / "media" / "videos" / "smplDrill02.en.vtt").unlink()  # the captions went missing
    result = reindexed(runner, data, media)
    warning = "caption coverage dropped: 2 of 3 live items have captions, 3 of 3 after the last run"
    assert f"note: videos: captions: {warning}" in notes(result.output)
    page = client_for(data).get("/status").get_data(as_text=True)
    assert source_row(page, "videos")[4:] == ["1 <small>(-1)</small>", "1", "1 <small>(+1)</small>"]
    assert warning in page

    result = reindexed(runner, data, media)  # nothing changed since
    assert "coverage dropped" not in result.output
    assert source_row(client_for(data).get("/status").get_data(as_text=True), "videos")[4:] == ["1", "1", "1"]


def test_an_unused_caption_file_stays_a_warning_on_nights_its_video_is_not_read_again(runner, tmp_path, media):
    videos = tmp_path / "media" / "videos"
    shutil.copy(videos / "smplDrill02.en.vtt", videos / "smplDrill02.de.vtt")
    data = tmp_path / "data"
    first = reindexed(runner, data, media)
    unused = "smplDrill02.de.vtt: caption track not used: language 'de' is not in languages ['en']"
    assert any(unused in line for line in notes(first.output)), first.output
    for _night in range(2):  # each night re-reads the one checked longest ago (the rolling refresh)
        time.sleep(1.1)  # so the one read last night is not tied with the others, to the second
        later = reindexed(runner, data, media)
        if not notes(later.output):
            break
    assert "videos: 0 new, 0 updated, 3 unchanged" in later.output and notes(later.output) == []
    assert unused in html.unescape(client_for(data).get("/status").get_data(as_text=True))

    (videos / "smplDrill02.de.vtt").unlink()  # the maintainer removed it: the video is read again
    reindexed(runner, data, media)
    assert "smplDrill02.de.vtt" not in client_for(data).get("/status").get_data(as_text=True)
