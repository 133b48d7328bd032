"""Small helpers for end-to-end tests: run a reindex from config text, search the live index."""

from __future__ import annotations

from pathlib import Path

from whoosh import scoring
from whoosh.searching import Searcher

from catalog.engine.whoosh.kept import read_frequencies
from catalog.engine.whoosh.ranking import ItemStats, item_idf
from catalog.engine.whoosh.schema import FIELD_WEIGHTS
from catalog.generations.live import LiveIndex
from catalog.search.document import SearchRequest, run_search
from catalog.storage import store
from indexer.config import load_config
from indexer.run import RunReport, reindex


def reindex_config(data_dir: Path, config_dir: Path, toml_text: str) -> RunReport:
    """Write `toml_text` as config_dir/sources.toml and run `catalog reindex` on it."""
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "sources.toml"
    path.write_text(toml_text)
    return reindex(load_config(path), data_dir)


def index_workouts(data_dir: Path, config_dir: Path, workouts: dict[str, str], options: str = "") -> RunReport:
    """Index a workouts source `wk` whose files are `workouts` (name: markdown), written
    under config_dir/workouts, with any further `options` lines for it."""
    folder = config_dir / "workouts"
    folder.mkdir(parents=True)
    for name, text in workouts.items():
        (folder / name).write_text(text)
    return reindex_config(data_dir, config_dir, f'[sources.wk]\nkind = "workouts"\npath = "workouts"\n{options}')


def live_search(data_dir: Path, query: str, **args) -> dict:
    """The /api/search document for `query` from the live generation."""
    generation = LiveIndex(data_dir).current()
    return run_search(generation, store.open_readonly(data_dir), SearchRequest.from_args({"q": query, **args}))


def live_ids(data_dir: Path, query: str = "") -> set[str]:
    return {r["id"] for r in live_search(data_dir, query, per_page=50)["results"]}


class _ItemIdfBM25F(scoring.BM25F):
    """Whoosh's own BM25F, given the catalog's idf: one per word, over the items holding it anywhere."""

    def __init__(self, stats: ItemStats):
        super().__init__()
        self.stats = stats

    def idf(self, searcher, fieldname, text):
        return item_idf(
            self.stats, {d for field in FIELD_WEIGHTS for d in read_frequencies(searcher.reader(), field, text)}
        )


def whooshs_bm25f(searcher: Searcher, stats: ItemStats) -> Searcher:
    """A searcher over the same reader that scores with Whoosh's BM25F (and the catalog's idf):
    the reference the catalog's own ranking loops must agree with."""
    return Searcher(searcher.reader(), weighting=_ItemIdfBM25F(stats), closereader=False)
