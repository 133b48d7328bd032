"""The evaluation catalog: the bundled sample plus the real corpus, indexed the real way.

The judged queries in judgments.toml are scored against this catalog. It is built through
`indexer.run.reindex` from a sources.toml written at run time, so the evaluation follows
every change to the readers, the analyzer and the index. Corpus files are read in place;
the three corpus info.json files are exposed to the `ytdlp-folder` reader through
symlinks, since that reader only looks at names ending in `.info.json`.

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
CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_ARTICLES = ("skirtrunner", "runwith-show-notes")
CORPUS_INFOJSON = (
    "pinchflat-example.info.json",
    "tubesync-metadata_low_formats.json",
    "tubesync-metadata_2023-06-29.json",
)
INFOJSON_LINKS = "corpus-videos"  # the folder of work_dir holding the symlinks


def build(data_dir: Path, work_dir: Path) -> RunReport:
    """Index the sample and the corpus into `data_dir`; config and symlinks go in `work_dir`.

    Returns the run report, so callers can show items that failed to index (a failed item
    stays out of the catalog and its judged queries score zero).
    """
    if not CORPUS.is_dir():
        raise FileNotFoundError(f"the shared corpus is missing at {CORPUS}")
    work_dir.mkdir(parents=True, exist_ok=True)
    links = _link_infojson(work_dir / INFOJSON_LINKS)
    return reindex_config(data_dir, work_dir, sources_toml(links))


def sources(infojson_dir: Path) -> dict[str, dict[str, str]]:
    """Every source of the evaluation catalog, with absolute paths: name -> options."""
    with open(SAMPLE / "sources.toml", "rb") as handle:
        sample = tomllib.load(handle)["sources"]
    tables = {name: {**table, "path": str((SAMPLE / table["path"]).resolve())} for name, table in sample.items()}
    for folder in CORPUS_ARTICLES:
        tables[folder] = {"kind": "articles", "path": str(CORPUS / "articles" / folder)}
    tables[INFOJSON_LINKS] = {"kind": "ytdlp-folder", "path": str(infojson_dir)}
    return tables


def sources_toml(infojson_dir: Path) -> str:
    """The sources.toml text of `sources()`; its values are plain strings."""
    lines = ["# The relevance evaluation catalog, written by tests/relevance/catalog.py."]
    for name, options in sources(infojson_dir).items():
        lines += ["", f"[sources.{name}]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


def _link_infojson(folder: Path) -> Path:
    """Symlink each corpus info.json into `folder` as `<stem>.info.json`; no copies."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in CORPUS_INFOJSON:
        stem = name.removesuffix(".json").removesuffix(".info")
        link = folder / f"{stem}.info.json"
        if not link.is_symlink():
            link.symlink_to(CORPUS / "infojson" / name)
    return folder
