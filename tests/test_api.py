"""GET /api/search answers the documented JSON for any input, and never a 500."""

import json

import pytest

DOCUMENTED = {"query", "total", "page", "facets", "suggestion", "results"}
HOSTILE_QUERIES = [
    "",
    '"',
    '"unbalanced phrase',
    "*",
    "AND OR NOT",
    "title:",
    "title:(",
    "relay~2",
    "x" * 5000,
    "relay " * 1000,
    "\x00\x01\x07\x1b[31m",
    "🏃‍♀️ 🏅",
    "מרתון שליחים",  # right-to-left text
    "%00%ff",
    "\u200f\u202e",  # direction marks
    "4x400 relay",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_query_gets_the_documented_json(client, query):
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code == 200
    doc = response.get_json()
    assert DOCUMENTED <= set(doc)
    assert isinstance(doc["results"], list) and isinstance(doc["total"], int)


@pytest.mark.parametrize(
    "args",
    [
        {"page": "-3"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"per_page": "100000"},
        {"sort": "sideways"},
        {"kind": "<b>"},
        {"tag": "x" * 1000},
        {"year": "'; drop table items; --"},
    ],
)
def test_odd_parameters_are_clamped(client, args):
    response = client.get("/api/search", query_string={"q": "relay", **args})
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["page"] >= 1 and doc["per_page"] <= 50


def test_api_and_cli_print_the_same_document(client, runner, sample_data):
    from indexer.cli import cli

    api = client.get("/api/search", query_string={"q": "4x400 relay"}).get_json()
    result = runner.invoke(cli, ["--data", str(sample_data), "search", "4x400 relay", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api


def test_no_index_yet_is_a_clear_503(tmp_path):
    from app import create_app

    client = create_app({"DATA_DIR": str(tmp_path)}).test_client()
    response = client.get("/api/search?q=relay")
    assert response.status_code == 503
    assert "no index generation" in response.get_json()["error"]
