"""One hostile item costs that item alone: the rest of its source, the other sources, the build
and the publish go on, and the run always ends with its summary and a final status."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from catalog.generations.live import index_root, live_name
from catalog.storage import store
from catalog.storage.models import Chapter, InvalidItem, Item, Segment
from indexer import build
from indexer.cli import cli

from .conftest import SAMPLE
from .helpers import live_ids

DEEP = "[" * 100_000 + "]" * 100_000  # nesting no parser should be asked to recurse into
INFO = {"title": "Hostile video", "extractor_key": "Youtube", "upload_date": "20240501"}


def catalog(runner, data_dir: Path, *args: str):
    return runner.invoke(cli, ["--data", str(data_dir), *args])


def hostile_info(video_id: str, extra: str) -> str:
    """An info.json holding `extra` (raw JSON text, so 1e400 and NaN stay as written)."""
    return json.dumps({**INFO, "id": video_id})[:-1] + ", " + extra + "}"


@pytest.fixture
def hostile_folders(tmp_path) -> Path:
    """A sample catalog whose video folder and workouts folder each hold poisoned files beside good ones."""
    media = tmp_path / "media"
    shutil.copytree(SAMPLE, media)
    videos = media / "videos"
    poisoned = {
        "inf duration [hostile001].info.json": hostile_info("hostile001", '"duration": 1e400'),
        "far future [hostile002].info.json": hostile_info("hostile002", '"upload_date": null, "timestamp": 1e20'),
        "deep [hostile003].info.json": hostile_info("hostile003", f'"formats": {DEEP}'),
        "nan chapter [hostile004].info.json": hostile_info(
            "hostile004", '"chapters": [{"start_time": NaN, "title": "x"}]'
        ),
        "inf chapter [hostile005].info.json": hostile_info(
            "hostile005", '"chapters": [{"start_time": 1e400, "title": "x"}]'
        ),
    }
    for name, text in poisoned.items():
        (videos / name).write_text(text)
    workouts = media / "workouts"
    (workouts / "endless.md").write_text("---\ntitle: Endless run\nduration: .inf\n---\nRun forever.\n")
    (workouts / "loop.md").write_text("---\ntitle: Loop\nfocus: &x [*x]\n---\nAround.\n")  # a circular alias
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    laughs += [f"{new}: &{new} [{', '.join([f'*{old}'] * 9)}]" for old, new in zip("abcd", "bcde", strict=True)]
    (workouts / "laughs.md").write_text("---\ntitle: Laughs\n" + "\n".join(laughs) + "\nfocus: *e\n---\nHa.\n")
    return media


def test_poisoned_files_fail_alone_and_everything_else_is_published(runner, fresh_data, hostile_folders):
    result = catalog(runner, fresh_data, "reindex", "--config", str(hostile_folders / "sources.toml"))

    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.splitlines()
    assert "videos: 3 new, 0 updated, 0 unchanged, 0 unavailable, 5 failed — ok" in lines
    assert "workouts: 3 new, 0 updated, 0 unchanged, 0 unavailable, 3 failed — ok" in lines
    assert "articles: 3 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — ok" in lines
    errors = {line.split(": ")[2]: line for line in lines if line.startswith("error: ")}
    assert set(errors) == {
        "inf duration [hostile001].info.json",
        "far future [hostile002].info.json",
        "deep [hostile003].info.json",
        "nan chapter [hostile004].info.json",
        "inf chapter [hostile005].info.json",
        "endless.md",
        "loop.md",
        "laughs.md",
    }
    assert "duration is inf, not a number of seconds" in errors["inf duration [hostile001].info.json"]
    assert "timestamp is 1e+20, not a date" in errors["far future [hostile002].info.json"]
    assert "unreadable info.json" in errors["deep [hostile003].info.json"]
    assert "chapter 'x' start is nan, not a number of seconds" in errors["nan chapter [hostile004].info.json"]
    assert "chapter 'x' start is inf, not a number of seconds" in errors["inf chapter [hostile005].info.json"]
    assert "duration is inf, not a number of seconds" in errors["endless.md"]
    assert "front matter is too large or too deeply nested" in errors["loop.md"]
    assert "front matter is too large or too deeply nested" in errors["laughs.md"]
    assert all(len(line) < 400 for line in lines), "every reason is one short line"
    assert any(line.startswith("published index generation") for line in lines)
    assert "youtube:smplIntrv01" in live_ids(fresh_data, "4x400 relay")
    db = store.open_readonly(fresh_data)
    assert db.execute("select status from runs").fetchall() == [("partial",)]
    assert not {i for i in store.item_ids(db) if "hostile" in i}


def test_a_feed_of_hostile_transcripts_and_pages_fails_item_by_item(runner, fresh_data, tmp_path, fixture_server):
    """Transcripts and chapters with a 400-digit number, 100k-deep nesting or a 5,000-digit hour,
    and an article page in charset "undefined": each fails its own item; the sources are read."""
    json_type = {"Content-Type": "application/json"}
    files = {
        "/huge.json": '{"segments": [{"startTime": %s, "endTime": 2, "body": "hi"}]}' % ("9" * 400),
        "/deep.json": DEEP,
        "/hour.html": "<time>" + "9" * 5000 + ":00:00</time><p>hi</p>",
        "/huge-chapters.json": '{"chapters": [{"startTime": %s, "title": "x"}]}' % ("9" * 400),
        "/deep-chapters.json": '{"chapters": ' + DEEP + "}",
    }
    for path, body in files.items():
        fixture_server.route(path, body, headers={"Content-Type": "text/html"} if path.endswith("html") else json_type)
    tags = {
        "huge": f'<podcast:transcript url="{fixture_server.url("/huge.json")}" type="application/json"/>',
        "deep": f'<podcast:transcript url="{fixture_server.url("/deep.json")}" type="application/json"/>',
        "hour": f'<podcast:transcript url="{fixture_server.url("/hour.html")}" type="text/html"/>',
        "chap": f'<podcast:chapters url="{fixture_server.url("/huge-chapters.json")}" type="application/json"/>',
        "deepchap": f'<podcast:chapters url="{fixture_server.url("/deep-chapters.json")}" type="application/json"/>',
        "good": "",
    }
    episodes = (
        "".join(
            f"<item><title>Episode {guid}</title><guid>{guid}</guid><pubDate>Tue, 02 Jun 2020 08:00:00 GMT</pubDate>"
            f"<enclosure url='https://cdn.example/{guid}.mp3' type='audio/mpeg' length='1'/>{tag}</item>"
            for guid, tag in tags.items()
        )
        + "<item><title>Bad link</title><guid>badurl</guid><enclosure url='http://[oops/a.mp3' type='audio/mpeg'/></item>"
    )
    rss = '<?xml version="1.0"?><rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">'
    fixture_server.route("/feed.xml", f"{rss}<channel><title>Show</title>{episodes}</channel></rss>")
    page = "<html><head>{}<title>{}</title></head><body><article><p>{}</p></article></body></html>"
    body = "Strides after an easy run keep the legs quick. " * 20
    fixture_server.route(
        "/bad.html", page.format('<meta charset="undefined">', "Bad", body), headers={"Content-Type": "text/html"}
    )
    fixture_server.route("/good.html", page.format("", "Good", body), headers={"Content-Type": "text/html"})
    links = "".join(
        f"<item><title>{name}</title><link>{fixture_server.url(f'/{name}.html')}</link><guid>{name}</guid></item>"
        for name in ("bad", "good")
    )
    fixture_server.route("/blog.xml", f"{rss}<channel><title>Blog</title>{links}</channel></rss>")
    config = tmp_path / "sources.toml"
    config.write_text(
        f'[sources.show]\nkind = "podcast"\nurl = "{fixture_server.url("/feed.xml")}"\n'
        "allow_private_network = true\nsleep = 0\n"
        f'[sources.blog]\nkind = "articles"\nfeed = "{fixture_server.url("/blog.xml")}"\n'
        "allow_private_network = true\nsleep = 0\n"
    )

    result = catalog(runner, fresh_data, "reindex", "--config", str(config))

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    # a new episode whose transcript or chapters fail is stored without them, and reported
    assert "show: 6 new, 0 updated, 0 unchanged, 0 unavailable, 6 failed — ok" in lines, result.output
    assert "blog: 1 new, 0 updated, 0 unchanged, 0 unavailable, 1 failed — ok" in lines, result.output
    reasons = [line for line in lines if line.startswith("error: ")]
    assert any("podcast:huge" in line and "seconds" in line for line in reasons), reasons
    assert any("podcast:deep " in line and "nested too deeply" in line for line in reasons), reasons
    assert any("podcast:hour" in line and "bad <time>" in line for line in reasons), reasons
    assert any("podcast:chap " in line and "chapters" in line for line in reasons), reasons
    assert any("podcast:deepchap" in line and "nested too deeply" in line for line in reasons), reasons
    assert any("/bad.html" in line and "unknown charset 'undefined'" in line for line in reasons), reasons
    assert "error: show: entry 7 (Bad link): Invalid IPv6 URL" in reasons
    assert all(len(line) < 400 for line in lines)
    assert live_ids(fresh_data, "strides") == {"article:good-html"}


def test_a_build_that_raises_still_ends_the_run_with_a_final_status(runner, fresh_data, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the index writer broke\nwith a second line")

    monkeypatch.setattr(build, "_write_lexicon", broken)
    result = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"))

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "videos: 3 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — ok" in lines
    assert lines[-1] == (
        "index NOT updated, the live generation stays: index build failed: RuntimeError: the index writer broke"
    )
    db = store.open_readonly(fresh_data)
    assert db.execute("select status, generation from runs").fetchall() == [("failed", None)]
    assert live_name(fresh_data) is None
    assert not list(index_root(fresh_data).glob("gen-*")), "the half-built generation is removed"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: Item(id="v:1", kind="video", title="t", source="s", duration=math.inf), "duration is inf"),
        (lambda: Item(id="v:1", kind="video", title="t", source="s", duration=-1), "duration is -1"),
        (
            lambda: Item(id="v:1", kind="video", title="t", source="s", duration=10**400),
            "duration is a number of about 400 digits",
        ),
        (lambda: Item(id="v:1", kind="video", title="t", source="s", published="99999-01-01"), "published"),
        (lambda: Item(id="v:1", kind="video", title="t", source="s", published="2024-02-30"), "published"),
        (lambda: Item(id="v:1", kind="video", title="t", source="s", published="0001-01-01"), "published"),
        (lambda: Chapter(math.nan, "Intro"), "chapter 'Intro' start is nan"),
        (lambda: Chapter(None, "Intro"), "chapter 'Intro' start is None"),
        (lambda: Chapter(-1, "Intro"), "chapter 'Intro' start is -1"),
        (lambda: Segment("x", 1e400, 2.0), "segment start is inf"),
        (lambda: Segment("x", 1.0, math.nan), "segment end is nan"),
        (lambda: Segment("x", 1.0, 2.0, cue_times=((0, math.inf),)), "segment cue second is inf"),
    ],
)
def test_the_model_refuses_values_no_catalog_can_hold(make, reason):
    with pytest.raises(InvalidItem) as refused:
        make()
    assert reason in str(refused.value) and len(str(refused.value)) < 200


def test_the_model_keeps_sane_values_as_they_were():
    item = Item(id="v:1", kind="video", title="t", source="s", duration=574.9, published="2024-05-21")
    assert item.duration == 574 and Chapter(12, "x").start == 12.0
    assert Segment("untimed paragraph").start is None


def test_a_row_stored_before_values_were_checked_is_left_out_of_the_build(runner, fresh_data, caplog):
    """A catalog poisoned by an older version (an infinite segment start): the rebuild leaves
    that item out with an error naming it, and publishes the rest."""
    assert catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml")).exit_code == 0
    db = store.open_for_writing(fresh_data)
    db.execute("update segments set start = 9e999 where item_id = 'youtube:smplDrill02' and seq = 1")
    db.conn.commit()

    result = catalog(runner, fresh_data, "rebuild-index")

    assert result.exit_code == 0, result.output
    assert "youtube:smplDrill02" not in live_ids(fresh_data, "strides")
    assert "youtube:smplIntrv01" in live_ids(fresh_data, "4x400 relay")
    assert any(
        "youtube:smplDrill02" in r.getMessage() and "segment start is inf" in r.getMessage() for r in caplog.records
    )
