"""The documentation keeps up with the code, in the manner of sqlite-utils' docs tests.

Commands are read from the click group and routes from the app's URL map, never from a list
typed here, so a new command or route without its docs fails at once: every `catalog` command
has help text and a row (with every option) in README.md's command table; every route of the
JSON API is in catalog/web/openapi.json and in README's "JSON API" section, and every path the
description or that section names is a real route.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import click
import pytest

from app import create_app
from indexer.cli import cli
from tests.conftest import REPO

README = REPO / "README.md"
OPENAPI = REPO / "catalog" / "web" / "openapi.json"
COMMON_OPTIONS = {"--data", "--help"}  # the data folder is documented once, under the table
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")  # Flask's <path:item_id>


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    """("report queries", its command) for every command and group under `group`."""
    for name, command in sorted(group.commands.items()):
        yield " ".join((*path, name)), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


COMMANDS = dict(commands())
RUNNABLE = {words: command for words, command in COMMANDS.items() if not isinstance(command, click.Group)}


def readme_section(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    assert f"\n## {heading}\n" in text, f"README.md has no section {heading!r}"
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def command_rows() -> dict[str, str]:
    """The command table's usage cells by the command they name: `catalog report queries [--since 7d]`
    is "report queries" (the words before the first argument or option)."""
    rows = {}
    for line in readme_section("The `catalog` command").splitlines():
        if line.startswith("| `catalog "):
            usage_cell = line.split(" | ")[0]
            for usage in re.findall(r"`catalog ([^`]+)`", usage_cell):
                words = re.match(r"[a-z][a-z-]*(?: [a-z][a-z-]*)*(?=$| )", usage)
                rows[words.group(0) if words else usage] = usage
    return rows


def openapi_paths() -> dict[str, set[str]]:
    """Each path of the OpenAPI description with its methods, upper case."""
    paths = json.loads(OPENAPI.read_text(encoding="utf-8"))["paths"]
    return {path: {method.upper() for method in operations} for path, operations in paths.items()}


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> dict[str, set[str]]:
    """Every route of the app, written as OpenAPI writes paths (`/items/{item_id}`), with its methods."""
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("no-catalog"))})
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        found.setdefault(_ARGUMENT.sub(r"{\1}", rule.rule), set()).update(rule.methods)
    return found


def api_routes(routes: dict[str, set[str]]) -> set[str]:
    return {path for path in routes if path.startswith("/api/") or path == "/healthz"}


def as_readme_writes_it(path: str) -> re.Pattern:
    """A route as README names it: `/api/items/ID/find` for `/api/items/{item_id}/find`."""
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[A-Z]+", re.escape(path)) + r"(?![\w/.-])")


@pytest.mark.parametrize("words", COMMANDS)
def test_every_command_has_help_text(runner, words):
    command = COMMANDS[words]
    assert command.help and command.help.strip(), f"catalog {words} has no docstring"
    result = runner.invoke(cli, [*words.split(), "--help"])
    assert result.exit_code == 0, result.output
    first_paragraph = command.help.strip().split("\n\n")[0]
    assert " ".join(first_paragraph.split()) in " ".join(result.output.split())


def test_every_command_has_a_row_in_the_readme_table():
    rows = command_rows()
    assert sorted(RUNNABLE.keys() - rows.keys()) == [], "commands without a row in README's command table"
    assert sorted(rows.keys() - RUNNABLE.keys()) == [], "rows of README's command table naming no command"


def test_every_option_is_in_its_commands_row():
    rows = command_rows()
    missing = [
        f"catalog {words} {flag}"
        for words, command in RUNNABLE.items()
        for option in command.params
        if isinstance(option, click.Option)
        for flag in option.opts
        if flag.startswith("--") and flag not in COMMON_OPTIONS and not re.search(rf"{flag}(?![\w-])", rows[words])
    ]
    assert missing == [], "options missing from their row of README's command table"


def test_every_api_route_is_described_in_openapi_json(routes):
    described = openapi_paths()
    assert sorted(api_routes(routes) - described.keys()) == [], "API routes missing from openapi.json"


def test_every_openapi_path_is_a_route_with_its_methods(routes):
    described = openapi_paths()
    assert sorted(described.keys() - routes.keys()) == [], "openapi.json paths that are no route"
    wrong = {path: methods - routes[path] for path, methods in described.items() if methods - routes[path]}
    assert wrong == {}, "openapi.json methods the routes do not answer"


def test_every_api_route_is_in_the_readme_api_section(routes):
    section = readme_section("JSON API")
    missing = sorted(path for path in api_routes(routes) if not as_readme_writes_it(path).search(section))
    assert missing == [], "API routes README's JSON API section does not name"


def test_every_path_the_readme_api_section_names_is_described(routes):
    described = openapi_paths()
    named = set(re.findall(r"`GET (/[\w./-]+)", readme_section("JSON API")))
    unknown = sorted(path for path in named if not any(as_readme_writes_it(p).fullmatch(path) for p in described))
    assert unknown == [], "paths README's JSON API section names that openapi.json does not describe"
