"""The `catalog` command: the nightly reindex, rebuild-index, search, and their exit codes."""

import shutil

from catalog.generations.live import history, live_name
from catalog.storage import store
from indexer.cli import cli
from indexer.lock import run_lock

from .conftest import SAMPLE


def catalog(runner, data, *args):
    return runner.invoke(cli, ["--data", str(data), *args])


def snapshot(data) -> tuple:
    db = store.open_readonly(data)
    return (
        sorted(store.item_ids(db)),
        store.counts(db),
        [tuple(r) for r in db.execute("select id, content_hash, first_seen from items order by id")],
    )


def test_second_reindex_changes_nothing_and_says_so(runner, fresh_data):
    first = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"))
    assert first.exit_code == 0, first.output
    assert "videos: 3 new" in first.output and "published index generation" in first.output
    before, generation = snapshot(fresh_data), live_name(fresh_data)

    second = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"))
    assert second.exit_code == 0, second.output
    assert "videos: 0 new, 0 updated, 3 unchanged" in second.output
    assert "nothing changed" in second.output
    assert snapshot(fresh_data) == before
    assert live_name(fresh_data) == generation
    runs = list(store.open_readonly(fresh_data).query("select status, generation from runs order by id"))
    assert [r["status"] for r in runs] == ["ok", "ok"] and runs[1]["generation"] is None


def test_rebuild_index_needs_only_sqlite(runner, fresh_data, tmp_path):
    media = tmp_path / "media"
    shutil.copytree(SAMPLE, media)
    assert catalog(runner, fresh_data, "reindex", "--config", str(media / "sources.toml")).exit_code == 0
    shutil.rmtree(media)  # the sources are gone; SQLite is the record
    old = live_name(fresh_data)
    result = catalog(runner, fresh_data, "rebuild-index")
    assert result.exit_code == 0, result.output
    assert live_name(fresh_data) != old and history(fresh_data)[-2:] == [old, live_name(fresh_data)]
    found = catalog(runner, fresh_data, "search", "4x400 relay")
    assert "youtube:smplIntrv01?t=134" in found.output


def test_bad_config_exits_2_with_the_reason(runner, fresh_data, tmp_path):
    config = tmp_path / "sources.toml"
    config.write_text('[sources.vids]\nkind = "ytdlp-folder"\npath = "v"\nspeed = 3\n')
    result = catalog(runner, fresh_data, "reindex", "--config", str(config))
    assert result.exit_code == 2
    assert "source 'vids': unknown key 'speed'" in result.output


def test_unknown_source_name_is_a_usage_error(runner, fresh_data):
    result = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"), "--source", "nope")
    assert result.exit_code == 2 and "no source named nope" in result.output


def test_a_second_run_exits_at_once(runner, fresh_data):
    with run_lock(fresh_data):
        result = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"))
    assert result.exit_code == 1
    assert "another catalog reindex is running" in result.output


def test_dry_run_writes_nothing(runner, fresh_data):
    result = catalog(runner, fresh_data, "reindex", "--config", str(SAMPLE / "sources.toml"), "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output
    assert "videos: 3 new" in result.output
    assert live_name(fresh_data) is None and not store.db_path(fresh_data).exists()


def test_a_failing_source_keeps_its_items_and_the_rest_goes_on(runner, fresh_data, tmp_path):
    media = tmp_path / "media"
    shutil.copytree(SAMPLE, media)
    config = media / "sources.toml"
    assert catalog(runner, fresh_data, "reindex", "--config", str(config)).exit_code == 0
    shutil.rmtree(media / "videos")
    (media / "articles" / "extra.md").write_text("---\ntitle: A new article on strides\n---\nStrides matter.\n")
    result = catalog(runner, fresh_data, "reindex", "--config", str(config))
    assert result.exit_code == 1
    assert "videos: 0 new" in result.output and "FAILED" in result.output and "no such folder" in result.output
    assert "articles: 1 new" in result.output
    db = store.open_readonly(fresh_data)
    assert store.get_item(db, "youtube:smplIntrv01")["status"] == "live"
    assert "youtube:smplIntrv01?t=134" in catalog(runner, fresh_data, "search", "4x400 relay").output
    assert "article:extra" in catalog(runner, fresh_data, "search", "strides matter").output


def test_a_failed_golden_query_keeps_the_live_generation(runner, fresh_data, tmp_path):
    media = tmp_path / "media"
    shutil.copytree(SAMPLE, media)
    config = media / "sources.toml"
    config.write_text(
        config.read_text() + '\n[settings]\ngolden = [{query = \'"4x400 relay"\', expect = "youtube:smplIntrv01"}]\n'
    )
    assert catalog(runner, fresh_data, "reindex", "--config", str(config)).exit_code == 0
    live = live_name(fresh_data)
    vtt = media / "videos" / "smplIntrv01.en.vtt"
    vtt.write_text(vtt.read_text().replace("relay", "race"))
    info = media / "videos" / "smplIntrv01.info.json"
    info.write_text(info.read_text().replace("relay", "race").replace("4x400", "4 laps"))
    result = catalog(runner, fresh_data, "reindex", "--config", str(config))
    assert result.exit_code == 1
    assert """golden query '"4x400 relay"' no longer finds youtube:smplIntrv01""" in result.output
    assert "index NOT updated" in result.output
    assert live_name(fresh_data) == live
    # once the maintainer accepts the change (drops the golden query), the next run
    # publishes it even though no source changed since
    config.write_text(config.read_text().split("[settings]")[0])
    result = catalog(runner, fresh_data, "reindex", "--config", str(config))
    assert result.exit_code == 0 and "published index generation" in result.output
    assert "youtube:smplIntrv01" not in catalog(runner, fresh_data, "search", '"4x400 relay"').output


def test_search_without_an_index_is_a_usage_error(runner, fresh_data):
    result = catalog(runner, fresh_data, "search", "relay")
    assert result.exit_code == 2 and "catalog reindex" in result.output


def test_a_run_that_changes_a_few_items_updates_the_index_instead_of_rebuilding(runner, fresh_data, tmp_path, caplog):
    import logging

    media = tmp_path / "media"
    shutil.copytree(SAMPLE, media)
    config = media / "sources.toml"
    assert catalog(runner, fresh_data, "reindex", "--config", str(config)).exit_code == 0
    workout = media / "workouts" / "race-week-strides-session.md"
    workout.write_text(workout.read_text().replace("strides", "strides and skips"))
    with caplog.at_level(logging.INFO, logger="catalog.reindex"):
        result = catalog(runner, fresh_data, "reindex", "--config", str(config))
    assert result.exit_code == 0 and "workouts: 0 new, 1 updated" in result.output
    assert "building a new index generation (1 items changed)" in caplog.text
    assert "workout:race-week-strides-session" in catalog(runner, fresh_data, "search", "skips").output


def test_data_folder_may_follow_the_sub_command(runner, tmp_path):
    """`catalog reindex --config x.toml --data DIR` works as `catalog --data DIR reindex ...` does."""
    after, before = tmp_path / "after", tmp_path / "before"
    result = runner.invoke(cli, ["reindex", "--config", str(SAMPLE / "sources.toml"), "--data", str(after)])
    assert result.exit_code == 0, result.output
    assert store.db_path(after).exists() and live_name(after)
    # given at both places, the one after the sub-command wins
    found = runner.invoke(cli, ["--data", str(before), "search", "4x400 relay", "--data", str(after)])
    assert found.exit_code == 0, found.output
    assert "youtube:smplIntrv01?t=134" in found.output
    assert not before.exists()
