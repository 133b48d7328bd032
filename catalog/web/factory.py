"""The web app factory behind `gunicorn 'app:create_app()'`.

Config layers, later wins: defaults, then `CATALOG_*` environment variables (`CATALOG_DATA`
names the data folder), then the `config` dict (tests). Then the app is wired in the order a
request meets it.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from flask import Flask

from catalog import logs
from catalog.web import (
    api,
    collections,
    discovery,
    errors,
    guard,
    health,
    http_cache,
    origin,
    pages,
    query_log,
    request_log,
    resources,
    status,
    templating,
)

TEMPLATES = Path(str(files("catalog.web.templates")))  # the repo's templates/, wherever it is installed
TEXT_SETTINGS = ("STATUS_TOKEN", "SITE_URL")


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=str(TEMPLATES / "static"))
    app.config.from_mapping(DATA_DIR=os.environ.get("CATALOG_DATA", "data"), SITE_NAME="Coach catalog")
    app.config.from_prefixed_env("CATALOG")
    for name in TEXT_SETTINGS:  # from_prefixed_env reads values as JSON: a token "123…" would become a number
        if f"CATALOG_{name}" in os.environ:
            app.config[name] = os.environ[f"CATALOG_{name}"]
    if config:
        app.config.update(config)
    app.config["DATA_DIR"] = str(Path(app.config["DATA_DIR"]).resolve())
    if not app.testing:
        logs.configure(structured=True)
    templating.register_filters(app)
    resources.init_app(app)
    # after-request hooks run last-registered first: security headers, rate-limit headers,
    # the query log, the request log, then the cache headers (a 304 is made last)
    http_cache.init_app(app)
    request_log.init_app(app)
    origin.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(health.bp)
    status.init_app(app)
    collections.init_app(app)
    query_log.init_app(app)
    guard.init_app(app, api=api.bp, search_page="pages.results")
    errors.init_app(app)
    return app
