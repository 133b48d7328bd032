"""The web is wired in one place (catalog.web.factory; app.py only names it for gunicorn), the
catalog's modules import one another one way, and a live index that is not there is handled
once: by the app for a view with nothing to show, by `run_live` for a view that shows something
anyway."""

from __future__ import annotations

import ast
import shutil
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from lxml import html

from catalog.generations.live import index_root
from catalog.web.resources import live_index
from tests.conftest import REPO

CATALOG = [REPO / "app.py", *sorted((REPO / "catalog").rglob("*.py"))]
INTERVIEW = "youtube:smplIntrv01"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(paths: list[Path]) -> dict[str, set[str]]:
    """Module -> the modules of `paths` it imports, wherever in its code. `from package import
    submodule` names the submodule, not the package: a package may import its own modules."""
    modules = {module_name(path) for path in paths}
    graph = {}
    for path in paths:
        named = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    named.add(submodule if submodule in modules else node.module)
        graph[module_name(path)] = named & modules - {module_name(path)}
    return graph


def test_app_py_only_names_the_factory_for_gunicorn():
    import app
    from catalog.web import factory

    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    defined = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.ClassDef)]
    assert app.create_app is factory.create_app and defined == []


def test_the_catalog_imports_one_way_and_never_inside_a_function():
    try:
        TopologicalSorter(import_graph(CATALOG)).prepare()
    except CycleError as exc:
        pytest.fail("an import cycle: " + " -> ".join(exc.args[1]))
    inside = [
        f"{path.relative_to(REPO)}: {function.name}"
        for path in CATALOG
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef)
        and any(isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(function))
    ]
    assert inside == []


def test_no_generation_is_caught_once_in_the_web():
    """The app's handler answers a view with nothing to show; `resources.run_live` serves the
    views that show something anyway. Nothing else in the web catches it."""
    catches = [
        path.name
        for path in sorted((REPO / "catalog" / "web").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ExceptHandler) and node.type is not None and "NoGeneration" in ast.unparse(node.type)
    ]
    assert catches == ["resources.py"]


@pytest.fixture
def unindexed(sample_data, tmp_path) -> Path:
    """The sample catalog with no index generation published (the index folder is gone)."""
    data = tmp_path / "data"
    shutil.copytree(sample_data, data)
    shutil.rmtree(index_root(data))
    return data


def test_a_view_that_needs_the_index_gets_the_apps_503(unindexed):
    from app import create_app

    app = create_app({"DATA_DIR": str(unindexed), "RATELIMIT_ENABLED": False})

    def needs_the_index() -> str:
        return live_index().run(lambda generation: generation.name)

    app.add_url_rule("/api/probe", "api_probe", needs_the_index)
    app.add_url_rule("/probe", "page_probe", needs_the_index)
    client = app.test_client()
    api = client.get("/api/probe")
    assert api.status_code == 503 and api.get_json() == {"error": "no index generation has been published yet"}
    page = client.get("/probe")
    assert page.status_code == 503 and "The catalog has not been indexed yet." in page.get_data(as_text=True)


def test_without_an_index_each_page_answers_as_it_always_has(unindexed):
    from app import create_app

    client = create_app({"DATA_DIR": str(unindexed), "RATELIMIT_ENABLED": False}).test_client()
    for path in ("/", "/browse", "/search?q=relay"):
        page = client.get(path)
        assert page.status_code == 200 and "The catalog has no index yet." in page.get_data(as_text=True), path
    for path in ("/api/search?q=relay", "/api/results?q=relay"):
        api = client.get(path)
        assert api.status_code == 503 and "no index generation" in api.get_json()["error"], path
    item = client.get(f"/items/{INTERVIEW}?q=relay")
    assert item.status_code == 200 and html.fromstring(item.data).xpath('//*[@id="transcript"]//mark')
    found = client.get(f"/api/items/{INTERVIEW}/find?q=relay").get_json()
    assert found["matches"] >= 1 and all("<mark>" in cue for _, cue in found["cues"])
    assert client.get("/api/suggest?q=rel").get_json() == {"query": "rel", "suggestions": []}
    health = client.get("/healthz")
    body = health.get_json()
    assert health.status_code == 503 and body["status"] == "no-index" and body["items"]["live"] == 12
    assert "none yet" in client.get("/status").get_data(as_text=True)
