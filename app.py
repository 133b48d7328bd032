"""The web app factory: `gunicorn 'app:create_app()'`.

Config layers, later wins: defaults, then `CATALOG_*` environment variables
(`CATALOG_DATA` names the data folder), then the `config` dict (tests).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from flask import Flask, jsonify, render_template, request

from catalog import logs, web
from catalog.storage.store import CatalogMissing
from catalog.web.templating import register_filters

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
    register_filters(app)
    web.init_app(app)

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", status=404, message="Nothing here."), 404

    @app.errorhandler(CatalogMissing)
    def not_indexed(error):
        if request.path.startswith("/api/") or request.path == "/healthz":
            return jsonify(status="no-catalog", error=str(error)), 503
        return render_template("error.html", status=503, message="The catalog has not been indexed yet."), 503

    return app
