"""What visitors look for: each search and each result opened from a search is one JSON log line
(no address, no user agent), and `catalog report queries` reads them back for the coach."""

from __future__ import annotations

import gzip
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from catalog.logs import JsonFormatter
from indexer.cli import cli

from .coach_tools import catalog, client_for
from .helpers import live_search

LOGGER = "catalog.web.queries"
VISITOR = {"REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "Mozilla/5.0 (X11; visitor)"}


def logged(caplog) -> list[dict]:
    """The query log's lines, as the JSON the web writes."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == LOGGER]


@pytest.fixture
def searching(sample_data, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    return client_for(sample_data)


def test_each_search_and_each_result_opened_from_one_is_logged_without_the_visitor(searching, caplog, sample_data):
    found = {q: live_search(sample_data, q)["total"] for q in ("4x400 relay", "strides", "tempo")}
    searching.get("/search?q=4x400+relay", environ_base=VISITOR)
    searching.get("/api/search?q=steeplechase&page=1", environ_base=VISITOR)
    searching.get("/search?q=strides&page=2", environ_base=VISITOR)
    searching.get("/api/results?q=tempo", environ_base=VISITOR)  # what app.js fetches as you type
    searching.get(
        "/items/youtube:smplIntrv01?t=134",
        headers={"Referer": "http://localhost/search?q=4x400+relay"},
        environ_base=VISITOR,
    )
    searching.get("/items/collection:race-week-questions", headers={"Referer": "http://localhost/search?q=race+week"})
    searching.get("/items/youtube:smplDrill02", headers={"Referer": "https://elsewhere.example/search?q=x"})
    searching.get("/search?kind=video")  # browsing by a filter alone is no query

    lines = logged(caplog)
    assert [{k: v for k, v in line.items() if k not in ("time", "level", "logger")} for line in lines] == [
        {"message": "search", "q": "4x400 relay", "results": found["4x400 relay"], "page": 1, "via": "page"},
        {"message": "search", "q": "steeplechase", "results": 0, "page": 1, "via": "api"},
        {"message": "search", "q": "strides", "results": found["strides"], "page": 2, "via": "page"},
        {"message": "search", "q": "tempo", "results": found["tempo"], "page": 1, "via": "api"},
        {"message": "open", "q": "4x400 relay", "item": "youtube:smplIntrv01"},
        {"message": "open", "q": "race week", "item": "collection:race-week-questions"},
    ]
    assert {(line["level"], line["logger"]) for line in lines} == {("info", LOGGER)}
    written = "".join(json.dumps(line) for line in lines)
    assert "203.0.113.9" not in written and "Mozilla" not in written


def test_the_query_log_can_be_turned_off(sample_data, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger=LOGGER)
    caplog.set_level(logging.INFO, logger="catalog.web.requests")
    monkeypatch.setenv("CATALOG_QUERY_LOG", "false")
    client = client_for(sample_data)
    client.get("/search?q=relay")
    client.get("/api/search?q=relay")
    client.get("/api/results?q=relay")
    client.get("/items/youtube:smplIntrv01", headers={"Referer": "http://localhost/search?q=relay"})
    assert logged(caplog) == []
    requests = [r for r in caplog.records if r.name == "catalog.web.requests"]  # the per-request log
    assert requests and not any("relay" in json.dumps(r.__dict__.get("fields", {})) for r in requests)


def entry(minutes_ago: float, message: str, q: str, **fields) -> str:
    when = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    line = {"time": when.isoformat(timespec="milliseconds"), "level": "info", "logger": LOGGER, "message": message}
    return json.dumps({**line, "q": q, **fields})


def search(minutes_ago: float, q: str, results: int, page: int = 1) -> str:
    return entry(minutes_ago, "search", q, results=results, page=page, via="api")


def test_the_report_lists_top_queries_those_without_results_and_those_never_opened(runner, tmp_path):
    log = tmp_path / "web.log"
    lines = [
        search(60 * 24 * 10, "ancient query", 3),  # before --since
        "[2026-12-01 03:15:00 +0000] [12] [INFO] Booting worker with pid: 12",  # gunicorn's own line
        json.dumps({"time": "2026-12-01T03:15:00+00:00", "logger": "catalog.web.requests", "message": "request"}),
        search(50, "4x400 relay", 2),
        entry(49, "open", "4x400 relay", item="youtube:smplIntrv01"),
        search(40, "4X400  Relay", 2),
        search(40, "4X400  Relay", 2, page=2),  # a second page is the same search
        search(30, "steeple", 0),
        search(30 - 0.02, "steeplechase", 0),  # "steeple" was typing on the way to it
        search(20, "marathon taper", 4),
        search(10, "steeplechase", 0),
        '{"time": "2026-12-0',  # a line cut short
    ]
    log.write_text("\n".join(lines) + "\n")

    result = catalog(runner, tmp_path, "report", "queries", "--since", "7d", "--log", str(log))

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        result.output.splitlines()[0],
        "",
        "Top queries:",
        "      2  4X400 Relay  (2 results)",  # as typed last
        "      2  steeplechase  (0 results)",
        "      1  marathon taper  (4 results)",
        "",
        "Queries with no results:",
        "      2  steeplechase  (0 results)",
        "",
        "Queries whose results were never opened:",
        "      1  marathon taper  (4 results)",
    ]
    assert result.output.startswith("5 searches since ") and "3 different queries" in result.output
    assert "(1 left out as typing: the same or a longer query followed within seconds)" in result.output


def test_the_report_reads_rotated_logs_and_standard_input(runner, tmp_path):
    rotated = tmp_path / "web.log.1.gz"
    with gzip.open(rotated, "wt", encoding="utf-8") as handle:
        handle.write(search(90, "hill repeats", 3) + "\n")
    piped = search(5, "hill repeats", 3) + "\n"
    result = runner.invoke(
        cli, ["report", "queries", "--since", "1d", "--log", str(rotated), "--log", "-"], input=piped
    )
    assert result.exit_code == 0, result.output
    assert "      2  hill repeats  (3 results)" in result.output


@pytest.mark.parametrize(
    "since, complaint",
    [
        ("7 days", "'7 days' is not an age such as 90m, 36h, 2d or 1w"),
        ("-1d", "'-1d' is not an age such as 90m, 36h, 2d or 1w"),
        ("0", "'0' must be more than nothing and at most ten years"),
    ],
)
def test_a_period_that_is_no_period_is_a_usage_error(runner, tmp_path, since, complaint):
    log = tmp_path / "web.log"
    log.write_text("")
    result = catalog(runner, tmp_path, "report", "queries", "--since", since, "--log", str(log))
    assert result.exit_code == 2 and complaint in result.output
