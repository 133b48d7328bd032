"""The read-only web: HTML pages and the JSON API over the live catalog and index."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlite_utils import Database

from catalog import store
from catalog.generations import LiveIndex


def init_app(app: Flask) -> None:
    """Give the app its per-process live index and a per-request read-only catalog."""
    app.extensions["live_index"] = LiveIndex(Path(app.config["DATA_DIR"]))
    app.teardown_appcontext(_close_db)
    from catalog.web import api, discovery, pages  # the views need the helpers above

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(discovery.bp)


def get_db() -> Database:
    if "db" not in g:
        g.db = store.open_readonly(Path(current_app.config["DATA_DIR"]))
    return g.db


def live_index() -> LiveIndex:
    return current_app.extensions["live_index"]


def _close_db(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
