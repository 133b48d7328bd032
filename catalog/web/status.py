"""`GET /status` for the maintainer: each source's state (last success, failing since, failures
in a row, caption coverage and its change since the run before, the warnings it carries), the
last run's time, each recent error once, and the last runs.

Run errors quote source URLs, paths and addresses, so the page answers only a request from
this machine (loopback, not forwarded by a proxy we were not told about) or one carrying
`STATUS_TOKEN` (`Authorization: Bearer …` or `?token=`). Anyone else gets the ordinary 404,
so the page is not advertised. What it shows is redacted all the same, and never cached.
"""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, make_response, render_template, request

from catalog.storage import runs, store
from catalog.web.health import stale_sources
from catalog.web.redact import redact_all
from catalog.web.resources import get_db, run_live

bp = Blueprint("status", __name__)

FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
MIN_TOKEN_CHARS = 16


def init_app(app) -> None:
    token = app.config.get("STATUS_TOKEN")
    if token and len(str(token)) < MIN_TOKEN_CHARS:
        raise ValueError(
            f"CATALOG_STATUS_TOKEN must be at least {MIN_TOKEN_CHARS} characters; "
            "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
        )
    app.register_blueprint(bp)


@bp.get("/status")
def status() -> Response:
    if not (_token_offered() or _from_this_machine()):
        abort(404)
    db = get_db()
    # The maintainer comes here to find out what is wrong: no generation is one more line of it.
    generation = run_live(lambda live: live.name, otherwise=None)
    recent = runs.last_runs(db)
    sources = runs.source_statuses(db)
    stale = {source["name"] for source in stale_sources(db, current_app.config["STALE_AFTER_SECONDS"])}
    failing_now = {(source["name"], source["last_error"]) for source in sources if source["failures"]}
    page = render_template(
        "status.html",
        runs=redact_all(recent),
        last_run=redact_all(recent[0]) if recent else None,
        sources=redact_all([{**source, "stale": source["name"] in stale} for source in sources]),
        errors=redact_all(runs.distinct_errors(recent, shown_elsewhere=failing_now)),
        stale_after=current_app.config["STALE_AFTER"],
        counts=store.counts(db),
        generation=generation,
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # a ?token= must not travel in a Referer
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _token_offered() -> bool:
    expected = current_app.config.get("STATUS_TOKEN")
    if not expected:
        return False
    credentials = request.authorization
    offered = credentials.token if credentials and credentials.type == "bearer" else request.args.get("token")
    return bool(offered) and hmac.compare_digest(str(offered).encode(), str(expected).encode())


def _from_this_machine() -> bool:
    """The client address is loopback. With no trusted proxy configured, a request that a proxy
    forwarded (it says so in its headers) comes from wherever that proxy's visitor is."""
    if not current_app.config["TRUSTED_PROXIES"] and any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:  # a Unix socket has no address
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback
