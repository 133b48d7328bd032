"""Logs are structured: one JSON object per line."""

import json
import logging

from catalog.logs import JsonFormatter


def test_a_log_line_is_json_with_its_fields():
    record = logging.LogRecord("catalog.reindex", logging.WARNING, __file__, 1, "%s: %s", ("pod", "feed down"), None)
    record.fields = {"source": "pod", "status": 503}
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "warning" and line["logger"] == "catalog.reindex"
    assert line["message"] == "pod: feed down" and line["source"] == "pod" and line["status"] == 503
    assert line["time"].endswith("+00:00")


def test_each_request_is_logged_with_status_and_time(client, caplog):
    with caplog.at_level(logging.INFO, logger="catalog.web.requests"):
        client.get("/api/search?q=relay")
    record = next(r for r in caplog.records if r.name == "catalog.web.requests")
    assert record.fields["path"] == "/api/search" and record.fields["status"] == 200 and record.fields["ms"] >= 0
