"""A source that answers with a valid but empty listing (an unmounted disk, an emptied feed) never
hides its items by itself, and hiding goes through the same generation check as every change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog.storage import store
from indexer.cli import cli

from .conftest import SAMPLE
from .helpers import live_ids, live_search

WORKOUTS = {
    "workout:mile-repeats-sub-5-effort",
    "workout:plyo-circuit-for-runners",
    "workout:race-week-strides-session",
}
EMPTY_WORKOUTS = (
    "workouts: 0 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — FAILED: it listed no items, though 3 "
    "are in the catalog; they stay live (if it is really empty now, run `catalog reindex --accept-empty workouts`)"
)


def catalog(runner, data_dir: Path, *args: str):
    return runner.invoke(cli, ["--data", str(data_dir), *args])


@pytest.fixture
def media(tmp_path) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "media")
    return tmp_path / "media"


def statuses(data_dir: Path, ids: set[str]) -> set[str]:
    db = store.open_readonly(data_dir)
    return {store.get_item(db, item_id)["status"] for item_id in ids}


def test_an_empty_folder_keeps_its_items_live_night_after_night_until_accepted(runner, fresh_data, media):
    config = str(media / "sources.toml")
    assert catalog(runner, fresh_data, "reindex", "--config", config).exit_code == 0
    for path in (media / "workouts").iterdir():
        path.unlink()  # the folder is there, empty: a disk that did not mount

    for _night in range(4):  # past gone_after (3)
        result = catalog(runner, fresh_data, "reindex", "--config", config)
        assert result.exit_code == 1
        assert EMPTY_WORKOUTS in result.output.splitlines(), result.output

    assert statuses(fresh_data, WORKOUTS) == {"live"}
    assert WORKOUTS <= live_ids(fresh_data)

    result = catalog(runner, fresh_data, "reindex", "--config", config, "--accept-empty", "workouts")
    assert result.exit_code == 0, result.output
    assert "workouts: 0 new, 0 updated, 0 unchanged, 3 unavailable, 0 failed — ok" in result.output.splitlines()
    assert statuses(fresh_data, WORKOUTS) == {"unavailable"}
    assert not WORKOUTS & live_ids(fresh_data)


def test_an_empty_feed_keeps_its_episodes_live(runner, fresh_data, tmp_path, fixture_server):
    rss = '<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title>{}</channel></rss>'
    episode = (
        "<item><title>Strides on {0}</title><guid>{0}</guid><pubDate>Tue, 02 Jun 2020 08:00:00 GMT</pubDate>"
        "<enclosure url='https://cdn.example/{0}.mp3' type='audio/mpeg' length='1'/></item>"
    )
    url = fixture_server.route("/feed.xml", rss.format(episode.format("ep1") + episode.format("ep2")))
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[sources.show]\nkind = "podcast"\nurl = "{url}"\nallow_private_network = true\ngone_after = 1\n'
    )
    assert catalog(runner, fresh_data, "reindex", "--config", str(config)).exit_code == 0

    fixture_server.route("/feed.xml", rss.format(""))
    result = catalog(runner, fresh_data, "reindex", "--config", str(config))

    assert result.exit_code == 1
    assert "show: 0 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — FAILED: it listed no items" in result.output
    assert live_ids(fresh_data, "strides") == {"podcast:ep1", "podcast:ep2"}


def test_hiding_items_waits_for_a_generation_that_passes_its_checks(runner, fresh_data, media):
    """Items gone upstream are hidden only with the generation that leaves them out: while
    min_doc_share refuses it, visitors see them, and totals match the results."""
    config = media / "sources.toml"
    sample = config.read_text().replace('path = "workouts"', 'path = "workouts"\ngone_after = 1')
    config.write_text(sample + "\n[settings]\nmin_doc_share = 0.9\n")
    assert catalog(runner, fresh_data, "reindex", "--config", str(config)).exit_code == 0
    gone = {"workout:plyo-circuit-for-runners", "workout:race-week-strides-session"}
    for item_id in gone:
        (media / "workouts" / f"{item_id.removeprefix('workout:')}.md").unlink()

    result = catalog(runner, fresh_data, "reindex", "--config", str(config))

    assert result.exit_code == 1
    assert "index NOT updated" in result.output and "under 90% of the live 12" in result.output
    assert result.output.rstrip().endswith("(2 items gone from their sources stay live)")
    assert statuses(fresh_data, gone) == {"live"}
    everything = live_search(fresh_data, "", per_page=50)
    assert everything["total"] == len(everything["results"]) == 12
    assert gone <= {r["id"] for r in everything["results"]}

    config.write_text(sample)  # the maintainer accepts the smaller catalog
    assert catalog(runner, fresh_data, "reindex", "--config", str(config)).exit_code == 0
    assert statuses(fresh_data, gone) == {"unavailable"}
    everything = live_search(fresh_data, "", per_page=50)
    assert everything["total"] == len(everything["results"]) == 10


def test_accept_empty_names_a_configured_source(runner, fresh_data):
    result = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"), "--accept-empty", "nope")
    assert result.exit_code == 2 and "no source named nope" in result.output
