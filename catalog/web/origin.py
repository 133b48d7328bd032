"""Who is asking, and under which name: the proxies in front, the host names served, our public URL.

Absolute URLs (canonical links, share cards, JSON-LD, the feed, the sitemap, OpenSearch) are
cached publicly, so they must never be built from a Host header a visitor made up:

- with `SITE_URL` set, they come from it alone;
- without it, a request must name a host in `TRUSTED_HOSTS` (Flask checks it before any view
  runs). The default is this machine's own names, so `catalog serve` on 127.0.0.1 works as it
  is; any other host gets a 400 that repeats nothing of what was sent.

`TRUSTED_PROXIES` is the number of proxies in front (default 0). Their `X-Forwarded-For` and
`X-Forwarded-Proto` are believed, so rate limits and `/status` see the visitor, not the proxy.
`X-Forwarded-Host` never is: the public name is `SITE_URL`'s business.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)

# Not "[::1]": werkzeug drops a trusted name's port by cutting at its first colon, so no IPv6
# literal can be listed. Serving on ::1 takes SITE_URL.
LOCAL_HOSTS = ["localhost", "127.0.0.1"]


class OriginConfigError(ValueError):
    """SITE_URL, TRUSTED_HOSTS or TRUSTED_PROXIES is not usable; the message names which."""


def init_app(app: Flask) -> None:
    """Check the three settings once, at start-up, and put the proxy fix in front of the app."""
    site = app.config.get("SITE_URL")
    if site:
        app.config["SITE_URL"] = checked_site_url(site)
    hosts = app.config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):  # from the environment: "a.example, b.example"
        hosts = hosts.replace(",", " ").split()
    if hosts is None and not site:
        hosts = LOCAL_HOSTS
    if hosts is not None and not hosts:
        # Flask reads an empty list as "every host": that is what this setting exists to prevent.
        raise OriginConfigError("CATALOG_TRUSTED_HOSTS is empty; name the hosts served, or set CATALOG_SITE_URL")
    app.config["TRUSTED_HOSTS"] = hosts
    proxies = app.config["TRUSTED_PROXIES"] = trusted_proxies(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.register_error_handler(SecurityError, _host_not_served)


def checked_site_url(value: object) -> str:
    """`SITE_URL` without its trailing slash, if it is an absolute http(s) URL with nothing secret in it."""
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.query or parts.fragment:
        raise OriginConfigError(  # the value is not repeated: it may hold a password
            "CATALOG_SITE_URL must be a public base URL such as https://coach.example: "
            "http or https, a host, no user name, query or fragment"
        )
    return parts.geturl().rstrip("/")


def trusted_proxies(value: object) -> int:
    """How many proxies stand in front: a whole number from 0 (none) up."""
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise OriginConfigError(
            f"CATALOG_TRUSTED_PROXIES must be the number of proxies in front (0 or more), not {value!r}"
        )
    return int(text)


def site_url() -> str:
    """Our public base URL without a trailing slash: `SITE_URL`, else the request's root,
    whose host `TRUSTED_HOSTS` has vouched for."""
    return current_app.config.get("SITE_URL") or request.url_root.rstrip("/")


def _host_not_served(_error: SecurityError) -> Response:
    log.warning(
        "refused a request for a host that is not served; set CATALOG_SITE_URL or CATALOG_TRUSTED_HOSTS",
        extra={"fields": {"host": request.headers.get("Host", "")[:200]}},
    )
    return Response("This site is not served under that host name.\n", status=400, mimetype="text/plain")
