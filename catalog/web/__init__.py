"""The read-only web: HTML pages and the JSON API over the live catalog and index."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from sqlite_utils import Database

from catalog.generations.live import LiveIndex
from catalog.search.document import SearchRequest
from catalog.search.query import MAX_QUERY_CHARS
from catalog.storage import store

request_log = logging.getLogger("catalog.web.requests")


def init_app(app: Flask) -> None:
    """Give the app its per-process live index and a per-request read-only catalog."""
    app.extensions["live_index"] = LiveIndex(Path(app.config["DATA_DIR"]))
    app.teardown_appcontext(_close_db)
    app.before_request(_start_clock)
    app.after_request(_http_caching)
    app.after_request(_log_request)
    # the views need the helpers above
    from catalog.web import api, collections, discovery, guard, health, origin, pages, query_log, status

    origin.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(health.bp)
    status.init_app(app)
    collections.init_app(app)
    query_log.init_app(app)
    guard.init_app(app, api=api.bp, search_page="pages.results")


def get_db() -> Database:
    if "db" not in g:
        g.db = store.open_readonly(Path(current_app.config["DATA_DIR"]))
    return g.db


def live_index() -> LiveIndex:
    return current_app.extensions["live_index"]


def search_request(args: Mapping[str, str]) -> SearchRequest:
    """The visitor's search with its text cut to MAX_QUERY_CHARS, as the engine reads it, so
    the page, every link on it and the result cache hold no more of it than that."""
    asked = SearchRequest.from_args(args)
    return replace(asked, q=asked.q[:MAX_QUERY_CHARS])


# What a CDN or browser may keep for a minute; /healthz must always be fresh. A view that
# sets its own Cache-Control (/status: private, no-store) keeps it.
SHARED_CACHE = "public, max-age=60"
FRESH = {"health.healthz"}
_TOKEN_ARG = re.compile(r"(^|&)(token=)[^&]*")
_SEARCH_ARG = re.compile(r"(^|&)(q=)[^&]*")


def _http_caching(response: Response) -> Response:
    """An ETag on every successful GET (a repeat costs a 304) and a short shared max-age."""
    if request.method != "GET" or response.status_code != 200 or response.direct_passthrough:
        return response
    if "Cache-Control" in response.headers:
        return response
    if request.endpoint in FRESH:
        response.cache_control.no_cache = True
        return response
    response.add_etag()
    response.headers.setdefault("Cache-Control", SHARED_CACHE)
    return response.make_conditional(request)


def _start_clock() -> None:
    g.started = time.perf_counter()


def _logged_query(query: str) -> str:
    """The query string as logged: never a token, and no search text when the query log is off."""
    query = _TOKEN_ARG.sub(r"\1\2…", query)
    if not current_app.config.get("QUERY_LOG", True):
        query = _SEARCH_ARG.sub(r"\1\2…", query)
    return query[:200]


def _log_request(response: Response) -> Response:
    """One structured line per request: what, how it went, how long it took."""
    fields = {
        "method": request.method,
        "path": request.path,
        "query": _logged_query(request.query_string.decode("latin-1")),
        "status": response.status_code,
        "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
    }
    request_log.info("request", extra={"fields": fields})
    return response


def _close_db(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
