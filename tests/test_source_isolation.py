"""One source that cannot be read (a library missing from the install, a crash inside its reader)
fails alone, with one clear line: the other sources are indexed and published."""

from __future__ import annotations

import os
import subprocess
import sys

from catalog.storage import store
from indexer.config import load_config
from indexer.run import reindex
from indexer.sources import ytdlp_folder

from .conftest import REPO, SAMPLE
from .helpers import live_ids

# What a production install without lxml_html_clean raised from inside trafilatura (justext).
MISSING = "lxml.html.clean module is now a separate project lxml_html_clean"


def test_a_reader_whose_library_cannot_be_imported_fails_only_its_source(tmp_path):
    shadow = tmp_path / "shadow" / "trafilatura"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(f"raise ImportError({MISSING!r})\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shadow.parent), str(REPO)])}
    command = [sys.executable, "-c", "from indexer.cli import main; main()"]
    args = ["--data", str(tmp_path / "data"), "reindex", "--config", str(SAMPLE / "sources.toml")]
    done = subprocess.run(command + args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert (
        f"articles: 0 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — FAILED: the articles reader cannot be loaded: {MISSING} (is a dependency missing?)"
        in lines
    )
    assert "videos: 3 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — ok" in lines
    assert "workouts: 3 new, 0 updated, 0 unchanged, 0 unavailable, 0 failed — ok" in lines
    assert any(line.startswith("published index generation") for line in lines)
    assert "youtube:smplIntrv01" in live_ids(tmp_path / "data", "4x400 relay")


def test_a_crash_inside_one_reader_fails_that_source_and_publishes_the_rest(monkeypatch, fresh_data):
    def crash(*args, **kwargs):
        raise ZeroDivisionError("division by zero in a reader")

    monkeypatch.setattr(ytdlp_folder, "Refresh", crash)  # before any item: both ytdlp-folder sources
    report = reindex(load_config(SAMPLE / "sources.toml"), fresh_data)

    by_name = {source.name: source for source in report.sources}
    assert by_name["videos"].error == "crashed: ZeroDivisionError: division by zero in a reader"
    assert by_name["podcast"].error == by_name["videos"].error
    assert by_name["articles"].error is None and by_name["articles"].new == 3
    assert report.published and report.exit_code == 1
    assert {e["source"] for e in report.errors} == {"videos", "podcast"}
    run = store.open_readonly(fresh_data).execute("select status from runs").fetchone()
    assert run[0] == "partial"
    assert live_ids(fresh_data, "strides")  # the workouts and articles are live
