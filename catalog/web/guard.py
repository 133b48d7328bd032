"""What every response carries, and what every API client is held to.

- Security headers: a CSP with no inline script (the YouTube embed and its API are the only
  third parties allowed), nosniff, a referrer policy, no framing by others, HSTS behind TLS.
- Per-client rate limits (Flask-Limiter) on the JSON API and, with a limit of its own, on the
  results page, which runs the same engine; answered with a clear 429 (JSON for the API).
  The client is the visitor's address once `TRUSTED_PROXIES` says how many proxies are in front.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import TooManyRequests

YOUTUBE_FRAMES = "https://www.youtube-nocookie.com https://www.youtube.com"
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' https://www.youtube.com",  # the IFrame API script, nothing inline
        f"frame-src {YOUTUBE_FRAMES}",
        "img-src 'self' https: http: data:",  # thumbnails and artwork live on the sources' hosts
        "media-src 'self' https: http:",  # podcast audio lives on the hosts of the feeds
        "style-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask, api: Blueprint, search_page: str) -> None:
    """Headers on every response; per-client limits on the `api` blueprint and on the view
    registered as `search_page` (so call this after registering it).

    Limits are counted per worker process unless RATELIMIT_STORAGE_URI names a shared
    store (a Redis URL, say), as it should behind a load balancer.
    """
    app.config.setdefault("RATELIMIT_API", "20 per second; 300 per minute")
    app.config.setdefault("RATELIMIT_SEARCH", "5 per second; 120 per minute")
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter = Limiter(get_remote_address, app=app, headers_enabled=True)
    app.extensions["rate_limiter"] = limiter  # its limits hold it weakly; disabled, nothing else would
    limiter.limit(api_limit)(api)
    app.view_functions[search_page] = limiter.limit(search_page_limit)(app.view_functions[search_page])
    app.after_request(_security_headers)
    app.register_error_handler(429, _too_many)


def api_limit() -> str:
    """The API's per-client limit, from config (Flask-Limiter calls this per request)."""
    return current_app.config["RATELIMIT_API"]


def search_page_limit() -> str:
    """The results page's per-client limit, from config."""
    return current_app.config["RATELIMIT_SEARCH"]


def _security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _too_many(error: TooManyRequests) -> Response | tuple[str, int]:
    """A clear 429, in JSON for the API and as a page for a visitor; Flask-Limiter adds
    Retry-After and the X-RateLimit headers."""
    message = f"too many requests: the limit is {error.description}; retry after the Retry-After seconds"
    if request.blueprint != "api":
        return render_template("error.html", status=429, message=message.capitalize() + "."), 429
    response = jsonify(error=message)
    response.status_code = 429
    return response
