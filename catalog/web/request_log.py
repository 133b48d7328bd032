"""One structured log line per request (logger `catalog.web.requests`): what was asked, how it
went and how long it took; never a token, and no search text when the query log is off."""

from __future__ import annotations

import logging
import re
import time

from flask import Flask, Response, current_app, g, request

log = logging.getLogger("catalog.web.requests")
_TOKEN_ARG = re.compile(r"(^|&)(token=)[^&]*")
_SEARCH_ARG = re.compile(r"(^|&)(q=)[^&]*")


def init_app(app: Flask) -> None:
    app.before_request(_start_clock)
    app.after_request(_log_request)


def _start_clock() -> None:
    g.started = time.perf_counter()


def _logged_query(query: str) -> str:
    """The query string as logged: never a token, and no search text when the query log is off."""
    query = _TOKEN_ARG.sub(r"\1\2…", query)
    if not current_app.config.get("QUERY_LOG", True):
        query = _SEARCH_ARG.sub(r"\1\2…", query)
    return query[:200]


def _log_request(response: Response) -> Response:
    fields = {
        "method": request.method,
        "path": request.path,
        "query": _logged_query(request.query_string.decode("latin-1")),
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
    }
    log.info("request", extra={"fields": fields})
    return response
