"""A generation whose terms another version of the analysis made is never searched: it would
miss every word the new analysis spells differently (a new stemmer, a new number rule)."""

import pytest

from catalog.engine import OutdatedIndex
from catalog.generations.live import live_name, open_generation
from catalog.text import analysis
from indexer.config import load_config
from indexer.run import reindex

from .conftest import SAMPLE


def test_a_generation_of_another_analysis_version_is_refused_then_rebuilt(fresh_data, monkeypatch):
    config = load_config(SAMPLE / "sources.toml")
    assert reindex(config, fresh_data).exit_code == 0
    built = live_name(fresh_data)
    open_generation(fresh_data, built)  # this version opens its own generation

    monkeypatch.setattr(analysis, "ANALYSIS_VERSION", analysis.ANALYSIS_VERSION + 1)  # the next release
    with pytest.raises(OutdatedIndex, match="run `catalog rebuild-index`"):
        open_generation(fresh_data, built)
    report = reindex(config, fresh_data)  # nothing changed upstream, yet it builds in full
    assert report.published and live_name(fresh_data) != built
    open_generation(fresh_data, live_name(fresh_data))
