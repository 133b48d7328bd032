"""The bench's corpus generator (deterministic, real-shaped) and the whole bench at a tiny size."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from bench import build, corpus, fts5, queries
from bench.__main__ import main
from indexer.captions import parse_vtt


def test_plan_is_deterministic_and_adds_up_to_the_hours():
    specs = corpus.plan(50, seed=7)
    assert specs == corpus.plan(50, seed=7)
    assert specs != corpus.plan(50, seed=8)
    speech = [s for s in specs if s.kind in ("video", "podcast")]
    minutes = sum(s.minutes for s in speech)
    assert 50 * 60 <= minutes < 50 * 60 + 90
    assert all(20 <= s.minutes <= 90 for s in speech)
    kinds = Counter(s.kind for s in specs)
    assert set(kinds) == {"video", "podcast", "article", "workout"}
    assert 0.02 <= (kinds["article"] + kinds["workout"]) / len(specs) <= 0.10


def test_captions_speak_about_9000_words_an_hour_in_timed_cues():
    topic = ("four by four hundred relay", "five k", "tempo run")
    text = corpus.vtt(random.Random(3), 30, topic)
    assert text == corpus.vtt(random.Random(3), 30, topic)
    cues = parse_vtt(text)
    words = sum(len(cue.text.split()) for cue in cues)
    assert 4_300 <= words <= 4_900  # 30 minutes at ~150 words a minute
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
    assert 29 * 60 <= cues[-1].end <= 31 * 60
    assert "four by four hundred relay" in text


def test_words_follow_a_zipf_like_distribution():
    counts = Counter(corpus.words(random.Random(5), 50_000, ("five k",)))
    ranked = [n for _, n in counts.most_common()]
    assert counts.most_common(1)[0][0] == "the"
    assert ranked[0] > 5 * ranked[20] > 5 * ranked[500]
    assert len(counts) > 5_000  # a long tail of rare words
    assert counts["five k"] > 0 and counts["strides"] > 0


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, Path]:
    cache = tmp_path_factory.mktemp("bench-cache")
    folder, took = build.ensure_corpus(2, seed=3, cache_root=cache)
    assert took is not None
    return cache, folder


def test_the_catalog_is_made_by_the_readers_in_real_shape(tiny):
    _, folder = tiny
    db = sqlite3.connect(folder / "data" / "catalog.db")
    kinds = dict(db.execute("select kind, count(*) from items group by kind"))
    assert {"video", "article", "workout"} <= set(kinds)
    hours = db.execute("select sum(duration) / 3600.0 from items where kind in ('video', 'podcast')").fetchone()[0]
    assert 2 <= hours < 3.5
    spoken = db.execute(
        "select count(*), sum(length(text) - length(replace(text, ' ', '')) + 1) from segments s"
        " join items i on i.id = s.item_id where i.kind in ('video', 'podcast')"
    ).fetchone()
    assert 8_000 <= spoken[1] / hours <= 10_500
    lengths = [
        end - start
        for start, end, last in db.execute(
            "select start, end, seq = (select max(seq) from segments t where t.item_id = s.item_id)"
            " from segments s where start is not null"
        )
        if not last
    ]
    assert lengths and all(15 <= length <= 40 for length in lengths)
    assert db.execute("select count(*) from segments where start is not null and cue_times = '[]'").fetchone()[0] == 0
    assert db.execute("select count(distinct item_id) from chapters").fetchone()[0] == sum(
        kinds.get(k, 0) for k in ("video", "podcast")
    )


def test_the_cache_is_keyed_by_size_and_seed(tiny):
    cache, folder = tiny
    assert build.ensure_corpus(2, seed=3, cache_root=cache) == (folder, None)
    assert build.cache_key(2, 3) != build.cache_key(2, 4) != build.cache_key(3, 3)


def test_edits_reach_the_working_copy_and_never_the_cache(tiny):
    _, folder = tiny
    digest = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (folder / "media").rglob("*.info.json")}
    work = build.working_copy(folder)
    try:
        edited = corpus.edit_share(work / "media", 0.5)
        changed = [
            p
            for p in (work / "media").rglob("*.info.json")
            if hashlib.sha256(p.read_bytes()).hexdigest() != digest[folder / p.relative_to(work)]
        ]
        assert edited == len(changed) >= 1
        assert all(hashlib.sha256(p.read_bytes()).hexdigest() == h for p, h in digest.items())
    finally:
        shutil.rmtree(work)


def test_fts5_gets_the_query_as_typed():
    assert fts5.to_match('"lactate threshold" tempo -half') == '"lactate threshold" AND "tempo" NOT "half"'
    assert fts5.to_match('4 x 400 "') == '"4" AND "x" AND "400"'
    assert fts5.to_match("  ") is None


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert queries.p50_95_99(values) == (50.0, 95.0, 99.0)
    assert queries.percentile([7.0], 0.99) == 7.0


def test_the_query_log_covers_every_class():
    assert len(queries.QUERY_LOG) >= 60
    assert {"common", "rare", "terms", "phrase", "relay/distance", "typo", "filter", "page 2", "newest"} <= set(
        queries.KINDS
    )


@pytest.mark.slow  # builds, queries and serves a bench catalog over HTTP
def test_the_whole_bench_runs_at_two_hours(tiny, capsys):
    cache, _ = tiny
    started = time.perf_counter()
    main(["--sizes", "2", "--seed", "3", "--rounds", "1", "--duration", "1", "--cache", str(cache)])
    took = time.perf_counter() - started
    out = capsys.readouterr().out
    assert "CPU cores" in out.splitlines()[0]
    assert "== 2 h catalog (seed 3)" in out and "from the cache" in out
    assert "full build    build_generation:" in out and "words/s" in out
    assert "first run     reindex, the first over the imported catalog" in out
    assert "nightly 0%    reindex, nothing changed" in out and "0 new, 0 updated" in out
    assert "edited upstream" in out and "1 updated" in out
    for kind in ["all", *queries.KINDS]:
        assert f"\n{kind:<15}" in out
    if "HTTP: skipped" in out:
        assert "apt-get install -y wrk" in out
    else:
        assert out.count("first time  ") == 3 and out.count("repeated    ") == 3
        assert "gunicorn worker RSS after the load" in out
    assert "nightly run, nothing changed <= 5 s" in out
    assert took < 60
