"""A caption cue megabytes long is stored as bounded segments, in time order, so the search that
hits it costs what any other search costs."""

from __future__ import annotations

import json
from pathlib import Path

from catalog.storage import store
from indexer.cli import cli

from .helpers import live_search

A_FEW_THOUSAND = 5000  # no stored unit of transcript is longer than this many characters
WORDS = 60_000  # about 400 kB of text in one cue


def test_one_huge_cue_is_stored_as_bounded_segments_in_time_order(runner, fresh_data, tmp_path):
    folder = tmp_path / "videos"
    folder.mkdir()
    info = {"id": "longcue0001", "title": "A very long caption", "extractor_key": "Youtube", "duration": 700}
    (folder / "Long [longcue0001].info.json").write_text(json.dumps(info))
    words = " ".join(f"stride{n % 97}" for n in range(WORDS - 1)) + " finishkick"
    (folder / "Long [longcue0001].en.vtt").write_text(f"WEBVTT\n\n00:00:10.000 --> 00:10:10.000\n{words}\n")
    config = tmp_path / "sources.toml"
    config.write_text('[sources.videos]\nkind = "ytdlp-folder"\npath = "videos"\n')

    result = runner.invoke(cli, ["--data", str(fresh_data), "reindex", "--config", str(config)])

    assert result.exit_code == 0, result.output
    segments = store.item_segments(store.open_readonly(fresh_data), "youtube:longcue0001")
    assert len(segments) > 1 and max(len(s["text"]) for s in segments) <= A_FEW_THOUSAND
    assert " ".join(s["text"] for s in segments) == words, "every word is kept, once, in order"
    starts = [s["start"] for s in segments]
    assert starts == sorted(starts) and starts[0] == 10.0 and segments[-1]["end"] == 610.0
    (hit,) = live_search(fresh_data, "finishkick")["results"]
    assert 600 <= hit["moments"][0]["start"] <= 610, "the last word is found near the end of the cue"


def test_a_word_longer_than_a_segment_is_cut(runner, fresh_data, tmp_path: Path):
    folder = tmp_path / "videos"
    folder.mkdir()
    info = {"id": "longword001", "title": "One endless word", "extractor_key": "Youtube"}
    (folder / "W [longword001].info.json").write_text(json.dumps(info))
    (folder / "W [longword001].en.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n" + "a" * 50_000 + "\n")
    config = tmp_path / "sources.toml"
    config.write_text('[sources.videos]\nkind = "ytdlp-folder"\npath = "videos"\n')

    assert runner.invoke(cli, ["--data", str(fresh_data), "reindex", "--config", str(config)]).exit_code == 0
    segments = store.item_segments(store.open_readonly(fresh_data), "youtube:longword001")
    assert max(len(s["text"]) for s in segments) <= A_FEW_THOUSAND
    assert sum(len(s["text"].replace(" ", "")) for s in segments) == 50_000
