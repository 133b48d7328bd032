"""The offline source kinds: ytdlp-folder, articles and workouts, on the sample and real blog posts."""

import json
from pathlib import Path

import pytest

from indexer.config import SourceConfig
from indexer.sources import markdown_folder, ytdlp_folder
from indexer.sources.base import ItemFailure, Notice, SourceContext, SourceError

from .conftest import SAMPLE, YTDLP_SITE


def source(kind: str, path: Path, **options) -> SourceConfig:
    return SourceConfig(name="test", kind=kind, options={"path": str(path), **options}, base_dir=Path("/"))


def read_all(reader, config) -> tuple[list, list]:
    results = list(reader(config, SourceContext()))
    return [r for r in results if not isinstance(r, ItemFailure)], [r for r in results if isinstance(r, ItemFailure)]


def test_captions_kept_inside_the_info_json_are_read(tmp_path):
    """Some archivers (Pinchflat) keep the caption text in `requested_subtitles[lang].data`
    rather than in a file beside the info.json; yt-dlp's own output never does."""
    info = json.loads((SAMPLE / "videos" / "smplDrill02.info.json").read_text())
    rolling = (YTDLP_SITE / "captions.en.vtt").read_text()
    info["requested_subtitles"] = {"en": {"ext": "vtt", "data": rolling}, "de": {"ext": "vtt", "data": ""}}
    info["subtitles"] = {}
    (tmp_path / "drill.info.json").write_text(json.dumps(info))
    results = list(ytdlp_folder.read(source("ytdlp-folder", tmp_path), SourceContext()))
    (item,) = [r for r in results if not isinstance(r, Notice)]
    assert (item.captions, item.raw["caption"]["name"]) == ("auto", "requested_subtitles.en")
    text = " ".join(s.text for s in item.segments)
    assert text.count("four by four hundred relay") == 1 and rolling.count("four by four hundred relay") > 1


def test_sample_videos_and_podcasts():
    videos, failures = read_all(ytdlp_folder.read, source("ytdlp-folder", SAMPLE / "videos"))
    assert failures == []
    by_id = {v.id: v for v in videos}
    interview = by_id["youtube:smplIntrv01"]
    assert (interview.kind, interview.captions, interview.youtube_id) == ("video", "auto", "smplIntrv01")
    assert by_id["youtube:smplDrill02"].captions == "manual"
    assert by_id["youtube:smplPlyo003"].captions == "manual"  # an .srt beside the info.json
    episodes, _ = read_all(ytdlp_folder.read, source("ytdlp-folder", SAMPLE / "podcast"))
    assert {e.kind for e in episodes} == {"podcast"}
    assert all(e.media_url and e.media_url.endswith(".mp3") for e in episodes)
    assert all(any(s.speaker for s in e.segments) for e in episodes)


def test_interview_auto_captions_are_stored_once():
    (interview,) = [
        i for i in read_all(ytdlp_folder.read, source("ytdlp-folder", SAMPLE / "videos"))[0] if i.id.endswith("Intrv01")
    ]
    text = " ".join(s.text for s in interview.segments)
    assert text.count("four by four hundred relay") == 1
    vtt = (SAMPLE / "videos" / "smplIntrv01.en.vtt").read_text()
    assert vtt.count("four by four hundred relay") >= 2, "the raw file repeats its lines"


def test_broken_files_fail_one_item_not_the_source(tmp_path):
    good = json.loads((SAMPLE / "videos" / "smplDrill02.info.json").read_text())
    (tmp_path / "good.info.json").write_text(json.dumps(good))
    (tmp_path / "garbage.info.json").write_text("{not json")
    (tmp_path / "untitled.info.json").write_text(json.dumps({"id": "x", "extractor_key": "Youtube"}))
    truncated = {**good, "id": "trunc"}
    (tmp_path / "trunc.info.json").write_text(json.dumps(truncated))
    (tmp_path / "trunc.en.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:0")
    items, failures = read_all(ytdlp_folder.read, source("ytdlp-folder", tmp_path))
    assert [i.id for i in items] == ["youtube:smplDrill02"]
    reasons = {f.item: f.reason for f in failures}
    assert set(reasons) == {"garbage.info.json", "untitled.info.json", "trunc.info.json"}
    assert "unreadable info.json" in reasons["garbage.info.json"]
    assert "no id or title" in reasons["untitled.info.json"]
    assert reasons["trunc.info.json"].startswith("captions trunc.en.vtt: cue 1: malformed timing line")


def test_a_missing_folder_fails_the_whole_source(tmp_path):
    with pytest.raises(SourceError, match="no such folder"):
        list(ytdlp_folder.read(source("ytdlp-folder", tmp_path / "gone"), SourceContext()))


def test_real_blog_posts_read_as_articles(corpus):
    items, failures = read_all(markdown_folder.articles.read, source("articles", corpus / "articles" / "skirtrunner"))
    assert failures == [] and len(items) == 18
    mile = next(i for i in items if i.title == "Hartshorne Masters Mile")
    assert (mile.kind, mile.published) == ("article", "2018-01-21")
    text = " ".join(s.text for s in mile.segments)
    assert "{%" not in text and "{%" not in mile.body_html
    assert all(s.start is None for s in mile.segments)
    assert 'id="p-0"' in mile.body_html


def test_sample_articles_and_workouts():
    articles, failures = read_all(markdown_folder.articles.read, source("articles", SAMPLE / "articles"))
    assert failures == [] and len(articles) == 3
    assert all(a.id.startswith("article:") and a.source_url for a in articles)
    workouts, failures = read_all(markdown_folder.workouts.read, source("workouts", SAMPLE / "workouts"))
    assert failures == [] and len(workouts) == 3
    strides = next(w for w in workouts if w.extra.get("video", "").endswith("smplDrill02"))
    assert strides.kind == "workout" and strides.duration and strides.extra["level"]


def test_article_html_is_sanitised(tmp_path):
    (tmp_path / "evil.md").write_text(
        '---\ntitle: "<script>alert(1)</script>"\n---\nHello <img src=x onerror=alert(1)> <script>alert(2)</script>\n'
    )
    (item,), _ = read_all(markdown_folder.articles.read, source("articles", tmp_path))
    assert "onerror" not in item.body_html and "<script" not in item.body_html


def test_bad_front_matter_is_an_item_failure(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    (tmp_path / "untitled.md").write_text("no front matter at all\n")
    items, failures = read_all(markdown_folder.articles.read, source("articles", tmp_path))
    assert items == []
    assert {f.item for f in failures} == {"bad.md", "untitled.md"}


def test_unchanged_files_are_not_parsed_again(tmp_path, fresh_data):
    import os
    import shutil

    from tests.helpers import reindex_config

    shutil.copytree(SAMPLE / "videos", tmp_path / "videos")
    config = '[sources.videos]\nkind = "ytdlp-folder"\npath = "videos"\n'
    assert reindex_config(fresh_data, tmp_path, config).exit_code == 0
    # the rolling refresh re-reads one of the three each night (the first checked); not this one
    info = tmp_path / "videos" / "smplPlyo003.info.json"
    stat = info.stat()
    info.write_bytes(b"x" * stat.st_size)  # garbage of the same size, the same mtime: not read again
    os.utime(info, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = reindex_config(fresh_data, tmp_path, config)
    assert second.exit_code == 0 and second.sources[0].unchanged == 3
    os.utime(info, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched: read, and found broken
    third = reindex_config(fresh_data, tmp_path, config)
    assert third.exit_code == 1 and third.errors[0]["item"] == "smplPlyo003.info.json"
