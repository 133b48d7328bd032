"""A `catalog reindex` killed with SIGKILL midway: the site keeps its generation, the next run completes."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.generations.live import live_name
from tests.helpers import live_search

# Slow: SIGKILLed `catalog reindex` processes. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

CAPTION = "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nwe talk about {topic} today number {n}\n"


def write_videos(folder: Path, count: int, topic: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        video_id = f"crash{n:06}"
        info = {
            "id": video_id,
            "title": f"Video {n} on {topic}",
            "extractor_key": "Youtube",
            "duration": 60,
            "upload_date": "20240101",
            "subtitles": {"en": []},
        }
        (folder / f"{video_id}.info.json").write_text(json.dumps(info))
        (folder / f"{video_id}.en.vtt").write_text(CAPTION.format(topic=topic, n=n))


def run_catalog(data: Path, config: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "indexer", "--data", str(data), "reindex", "--config", str(config)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[1])


def kill_when(process: subprocess.Popen, marker: str) -> str:
    """Read the run's log until `marker` appears, then SIGKILL it; returns what it printed."""
    seen = []
    for line in process.stdout:
        seen.append(line.decode())
        if marker in seen[-1]:
            os.kill(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    return "".join(seen)


@pytest.mark.parametrize(
    "marker",
    ["videos: 200 items read", "building a new index generation", "publishing index generation"],
    ids=["during-sqlite-writes", "during-index-build", "during-swap"],
)
def test_sigkill_midway_leaves_a_good_generation_and_the_next_run_completes(tmp_path, fresh_data, marker):
    media, config = tmp_path / "media", tmp_path / "sources.toml"
    config.write_text('[sources.videos]\nkind = "ytdlp-folder"\npath = "media"\n')
    write_videos(media, 400, "tempo runs")
    first = run_catalog(fresh_data, config)
    assert first.wait(timeout=120) == 0, first.stdout.read().decode()
    generation = live_name(fresh_data)

    write_videos(media, 400, "hill repeats")  # every item changes
    kill_when(run_catalog(fresh_data, config), marker)

    if live_name(fresh_data) == generation:  # the old generation, whole
        assert live_search(fresh_data, "tempo")["total"] == 400
    else:  # killed just after the swap: the new generation, whole
        assert live_search(fresh_data, "hill repeats")["total"] == 400
    with sqlite3.connect(fresh_data / "catalog.db") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        assert db.execute("select count(*) from items where status = 'live'").fetchone() == (400,)

    third = run_catalog(fresh_data, config)
    output = third.communicate(timeout=120)[0].decode()
    assert third.returncode == 0, output
    assert live_search(fresh_data, "hill repeats")["total"] == 400
    assert live_search(fresh_data, "tempo")["total"] == 0
