"""Session fixtures of the relevance harness: the evaluation catalog, built once, and its scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.run import RunReport
from tests.relevance import catalog, evaluate, metrics, real_catalog
from tests.relevance.baseline import Fts5Baseline


@pytest.fixture(scope="session")
def relevance_catalog(tmp_path_factory) -> tuple[Path, RunReport]:
    """(data folder, run report) of the sample plus the real corpus, indexed once per session.

    Tests must not write to it.
    """
    base = tmp_path_factory.mktemp("relevance")
    report = catalog.build(base / "data", base / "work")
    return base / "data", report


@pytest.fixture(scope="session")
def judgments() -> list[evaluate.Judgment]:
    return evaluate.load_judgments()


@pytest.fixture(scope="session")
def relevance_rows(relevance_catalog, judgments) -> list[evaluate.Row]:
    """Every judged query scored against the live evaluation catalog."""
    data_dir, _ = relevance_catalog
    return evaluate.evaluate(data_dir, judgments)


@pytest.fixture(scope="session")
def real_rows(tmp_path_factory) -> dict[str, list[evaluate.Row]]:
    """The real-material judged queries scored on the catalog and on FTS5 (words OR'ed), by engine."""
    base = tmp_path_factory.mktemp("real-relevance")
    report = real_catalog.build(base / "data", base / "work")
    assert report.exit_code == 0, report.errors
    judgments = evaluate.load_judgments(evaluate.REAL_JUDGMENTS)
    fts = Fts5Baseline(base / "data")
    return {
        "catalog": evaluate.evaluate(base / "data", judgments, window=metrics.ANSWER_WINDOW),
        "FTS5 OR": [evaluate.score(j, fts.search(j.query), metrics.ANSWER_WINDOW) for j in judgments],
    }
