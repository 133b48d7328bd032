"""What a CDN or a browser may keep: an ETag on every successful GET (a repeat costs a 304)
and a shared max-age of a minute. /healthz must always be fresh, and a view that sets its own
Cache-Control (/status: private, no-store) keeps it."""

from __future__ import annotations

from flask import Flask, Response, request

SHARED_CACHE = "public, max-age=60"
FRESH = {"health.healthz"}


def init_app(app: Flask) -> None:
    app.after_request(_http_caching)


def _http_caching(response: Response) -> Response:
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
