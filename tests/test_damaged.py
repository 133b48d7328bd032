"""A damaged generation (truncated segment, missing TOC) is refused; the worker serves the
previous one and says so; `catalog rebuild-index` repairs it."""

import logging

import pytest

from catalog.generations.live import LiveIndex, index_root, live_name
from catalog.generations.manifest import DamagedGeneration, check_manifest
from catalog.storage import store
from catalog.storage.models import Item, Segment
from indexer import build
from indexer.cli import cli


def publish_two(data_dir) -> tuple[str, str]:
    db = store.open_for_writing(data_dir)
    store.save_item(
        db, Item(id="workout:a", kind="workout", title="Hill repeats", source="w", segments=(Segment("hills"),)), "t"
    )
    first = build.build_generation(db, data_dir)
    build.publish(data_dir, first)
    second = build.build_generation(db, data_dir)
    build.publish(data_dir, second)
    return first, second


def truncate_segment(folder) -> None:
    segment = max(folder.glob("MAIN_*.pst"), key=lambda p: p.stat().st_size)  # the postings
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def remove_toc(folder) -> None:
    for toc in folder.glob("*.toc"):
        toc.unlink()


@pytest.mark.parametrize("damage", [truncate_segment, remove_toc], ids=["truncated-segment", "missing-toc"])
def test_a_worker_falls_back_to_the_previous_generation(fresh_data, runner, caplog, damage):
    first, second = publish_two(fresh_data)
    damage(index_root(fresh_data) / second)
    with pytest.raises(DamagedGeneration):
        check_manifest(index_root(fresh_data) / second)
    with caplog.at_level(logging.WARNING, logger="catalog.generations.live"):
        served = LiveIndex(fresh_data).current()
    assert served.name == first
    assert f"index generation {second} cannot be opened" in caplog.text
    assert f"serving generation {first} instead of {second}" in caplog.text

    result = runner.invoke(cli, ["--data", str(fresh_data), "rebuild-index"])
    assert result.exit_code == 0, result.output
    repaired = LiveIndex(fresh_data).current()
    assert repaired.name == live_name(fresh_data) not in (first, second)


def test_digests_catch_a_changed_byte(fresh_data):
    _, second = publish_two(fresh_data)
    folder = index_root(fresh_data) / second
    words = folder / "words.tsv"
    words.write_text(words.read_text().replace("hills", "hillz"))
    check_manifest(folder)  # same size: the cheap check passes
    with pytest.raises(DamagedGeneration, match="words.tsv does not match its SHA-256"):
        check_manifest(folder, digests=True)


def test_a_generation_built_by_an_older_version_is_rebuilt_not_extended(fresh_data, caplog):
    from whoosh import fields, index

    from catalog.engine import OutdatedIndex
    from catalog.generations.live import open_generation, write_pointer
    from catalog.generations.manifest import write_manifest
    from indexer.config import load_config
    from indexer.run import reindex
    from tests.conftest import SAMPLE

    config = load_config(SAMPLE / "sources.toml")
    assert reindex(config, fresh_data).exit_code == 0
    old = index_root(fresh_data) / "gen-20200101T000000000000Z"  # segment documents, as before
    old.mkdir()
    index.create_in(str(old), fields.Schema(doc=fields.ID(stored=True), transcript=fields.TEXT)).writer().commit()
    write_manifest(old)
    write_pointer(fresh_data, old.name)
    with pytest.raises(OutdatedIndex, match="run `catalog rebuild-index`"):
        open_generation(fresh_data, old.name)

    with caplog.at_level(logging.WARNING, logger="indexer.build"):
        report = reindex(config, fresh_data)
    assert report.exit_code == 0 and report.published
    assert f"live generation {old.name} cannot be extended" in caplog.text
    assert LiveIndex(fresh_data).current().name == live_name(fresh_data) != old.name
