"""GET /api/search answers the documented JSON for any input, and never a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_speaker_filter_by_query_and_by_parameter(client):
    by_query = client.get("/api/search", query_string={"q": 'fuelling speaker:"lena hartwell"'}).get_json()
    by_param = client.get("/api/search", query_string={"q": "fuelling", "speaker": "Lena Hartwell"}).get_json()
    for doc in (by_query, by_param):
        assert [r["id"] for r in doc["results"]] == ["generic:riverbend-ep-041"]
        assert {m["speaker"] for m in doc["results"][0]["moments"]} == {"Lena Hartwell"}
    assert client.get("/api/search", query_string={"q": "fuelling speaker:nobody"}).get_json()["total"] == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(max_size=600),
    page=st.one_of(st.none(), st.integers(-5, 10**12).map(str), st.text(max_size=10)),
    per_page=st.one_of(st.none(), st.integers(-5, 10**6).map(str)),
    sort=st.one_of(st.none(), st.sampled_from(["relevance", "newest"]), st.text(max_size=10)),
    kind=st.one_of(st.none(), st.sampled_from(["video", "podcast", "article", "workout"]), st.text(max_size=20)),
)
def test_api_answers_any_parameters(client, q, page, per_page, sort, kind):
    args = {
        k: v
        for k, v in {"q": q, "page": page, "per_page": per_page, "sort": sort, "kind": kind}.items()
        if v is not None
    }
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200
    assert DOCUMENTED <= set(response.get_json())


def test_repeats_cost_a_304(client):
    first = client.get("/api/search?q=relay")
    assert first.headers["Cache-Control"] == "public, max-age=60" and first.headers["ETag"]
    again = client.get("/api/search?q=relay", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/status").headers["Cache-Control"] == "private, no-store"
    assert client.get("/healthz").headers["Cache-Control"] == "no-cache"


def test_a_client_over_its_limit_gets_a_clear_429(sample_data):
    from app import create_app

    client = create_app({"DATA_DIR": str(sample_data), "RATELIMIT_API": "3 per minute"}).test_client()
    statuses = [client.get("/api/search?q=relay").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/search?q=relay")
    assert "too many requests" in refused.get_json()["error"] and int(refused.headers["Retry-After"]) > 0
    assert client.get("/search?q=relay").status_code == 200  # the results page counts apart


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' https://www.youtube.com;" in csp and "unsafe-inline" not in csp
    assert "frame-src https://www.youtube-nocookie.com https://www.youtube.com" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_healthz(client, tmp_path):
    from app import create_app

    health = client.get("/healthz")
    body = health.get_json()
    assert health.status_code == 200 and body["status"] == "ok" and body["generation"].startswith("gen-")
    assert body["items"]["live"] == 12 and body["last_run"]["status"] == "ok" and body["last_run"]["age_seconds"] >= 0
    assert health.headers["Cache-Control"] == "no-cache"
    empty = create_app({"DATA_DIR": str(tmp_path)}).test_client().get("/healthz")
    assert empty.status_code == 503 and empty.get_json()["status"] == "no-catalog"


def test_openapi_description_is_served(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and {"/api/search", "/api/suggest", "/healthz"} <= set(doc["paths"])
