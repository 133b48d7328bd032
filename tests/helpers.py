"""Small helpers for end-to-end tests: run a reindex from config text, search the live index."""

from __future__ import annotations

from pathlib import Path

from catalog import store
from catalog.generations import LiveIndex
from catalog.search import SearchRequest, run_search
from indexer.config import load_config
from indexer.run import RunReport, reindex


def reindex_config(data_dir: Path, config_dir: Path, toml_text: str) -> RunReport:
    """Write `toml_text` as config_dir/sources.toml and run `catalog reindex` on it."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "sources.toml"
    path.write_text(toml_text)
    return reindex(load_config(path), data_dir)


def live_search(data_dir: Path, query: str, **args) -> dict:
    """The /api/search document for `query` from the live generation."""
    generation = LiveIndex(data_dir).current()
    return run_search(generation, store.open_readonly(data_dir), SearchRequest.from_args({"q": query, **args}))


def live_ids(data_dir: Path, query: str = "") -> set[str]:
    return {r["id"] for r in live_search(data_dir, query, per_page=50)["results"]}
