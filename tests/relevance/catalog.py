"""The evaluation catalog: the bundled sample plus the vendored real corpus, indexed the real way.

The judged queries in judgments.toml are scored against this catalog. It is built through
`indexer.run.reindex` from a sources.toml written at run time, so the evaluation follows
every change to the readers, the analyzer and the index. The corpus articles are read in
place from tests/fixtures/corpus.

Used by the test session fixture and by `python -m bench.relevance`, so it must not import
pytest.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from indexer.run import RunReport
from tests.helpers import reindex_config

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
CORPUS = REPO / "tests" / "fixtures" / "corpus"
CORPUS_ARTICLES = ("skirtrunner", "runwith-show-notes")
PATH_KEYS = ("path", "corrections")  # the sample's options that name files, relative to its folder


def build(data_dir: Path, work_dir: Path) -> RunReport:
    """Index the sample and the corpus into `data_dir`; the config goes in `work_dir`.

    Returns the run report, so callers can show items that failed to index (a failed item
    stays out of the catalog and its judged queries score zero).
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    return reindex_config(data_dir, work_dir, sources_toml())


def sources() -> dict[str, dict[str, str]]:
    """Every source of the evaluation catalog, with absolute paths: name -> options."""
    with open(SAMPLE / "sources.toml", "rb") as handle:
        sample = tomllib.load(handle)["sources"]
    tables = {
        name: {**table, **{key: str((SAMPLE / table[key]).resolve()) for key in PATH_KEYS if key in table}}
        for name, table in sample.items()
    }
    for folder in CORPUS_ARTICLES:
        tables[folder] = {"kind": "articles", "path": str(CORPUS / "articles" / folder)}
    return tables


def sources_toml() -> str:
    """The sources.toml text of `sources()`; its values are plain strings."""
    lines = ["# The relevance evaluation catalog, written by tests/relevance/catalog.py."]
    for name, options in sources().items():
        lines += ["", f"[sources.{name}]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"
