"""The seams hold: read from every module's imports (parsed, not run), so a shortcut across
them fails here instead of in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import REPO

PRODUCT = [REPO / "app.py", *sorted((REPO / "catalog").rglob("*.py")), *sorted((REPO / "indexer").rglob("*.py"))]


def imported(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of its code (function bodies included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def importers(top: str) -> set[str]:
    return {str(p.relative_to(REPO)) for p in PRODUCT if any(n.split(".")[0] == top for n in imported(p))}


def test_only_the_youtube_reader_imports_yt_dlp():
    assert importers("yt_dlp") == {"indexer/sources/youtube.py"}


@pytest.mark.parametrize("path", [p for p in PRODUCT if p.name == "app.py" or "catalog" in p.parts])
def test_the_read_side_never_imports_the_indexer(path):
    """Data flows one way: the web and the catalog core read what the indexer wrote."""
    assert not {name for name in imported(path) if name.split(".")[0] == "indexer"}


def test_only_the_whoosh_engine_imports_whoosh():
    """Everything else goes through the seam, catalog.engine, and sees plain data."""
    outside = {p for p in importers("whoosh") if not p.startswith("catalog/engine/whoosh/")}
    assert importers("whoosh") and not outside


def test_only_the_seam_imports_an_engine_subpackage():
    engine_users = {
        str(p.relative_to(REPO)) for p in PRODUCT if any(n.startswith("catalog.engine.whoosh") for n in imported(p))
    }
    assert {p for p in engine_users if not p.startswith("catalog/engine/")} == set()
