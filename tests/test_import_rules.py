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


# --- no import cycles, hidden in a function body or not


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PRODUCT}


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of `modules` it imports anywhere in its code, function bodies included
    (`from package import module` names the module, `from module import name` the module)."""
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path}: a relative import"
                found |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                    for a in node.names
                }
        graph[name] = found & modules.keys()
    return graph


def import_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as the modules along it (the first again at the end), or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return path[path.index(module) :] + [module]
        if module in done:
            return None
        for imported_module in sorted(graph[module]):
            cycle = visit(imported_module, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    return next((cycle for module in sorted(graph) if (cycle := visit(module, []))), None)


def test_a_cycle_hidden_in_a_function_body_is_found(tmp_path):
    (tmp_path / "a.py").write_text("from pkg import b\n")
    (tmp_path / "b.py").write_text("def later():\n    from a import thing\n")
    (tmp_path / "c.py").write_text("import a\n")
    modules = {"a": tmp_path / "a.py", "pkg.b": tmp_path / "b.py", "c": tmp_path / "c.py"}
    assert import_cycle(import_graph(modules)) == ["a", "pkg.b", "a"]
    del modules["pkg.b"]
    assert import_cycle(import_graph(modules)) is None


def test_no_module_imports_what_imports_it_even_inside_a_function():
    """An import inside a function body does not break a cycle, it only hides it until the function
    runs: every import counts, top-level or not."""
    assert import_cycle(import_graph(MODULES)) is None


def test_the_indexer_never_imports_the_web():
    """The writer needs no Flask: what both sides show (clock times, labels) is in catalog.display."""
    indexer = [p for p in PRODUCT if "indexer" in p.relative_to(REPO).parts[:1]]
    assert not {str(p.relative_to(REPO)) for p in indexer if any(n.startswith("catalog.web") for n in imported(p))}
