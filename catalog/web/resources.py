"""What a request reads: the catalog (read-only, opened once per request), the live index (one
per worker process) and the visitor's search as the engine reads it.

Views import these from here; the app factory (`catalog.web.factory`) imports the views, so
nothing imports back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app, g
from sqlite_utils import Database

from catalog.generations.live import Generation, LiveIndex, NoGeneration
from catalog.search.document import SearchRequest
from catalog.search.query import MAX_QUERY_CHARS
from catalog.storage import store

T = TypeVar("T")


def init_app(app: Flask) -> None:
    """Give the app its per-process live index and close each request's catalog after it."""
    app.extensions["live_index"] = LiveIndex(Path(app.config["DATA_DIR"]))
    app.teardown_appcontext(_close_db)


def get_db() -> Database:
    if "db" not in g:
        g.db = store.open_readonly(Path(current_app.config["DATA_DIR"]))
    return g.db


def live_index() -> LiveIndex:
    return current_app.extensions["live_index"]


def run_live(work: Callable[[Generation], T], otherwise: T) -> T:
    """`work(generation)` on the live generation, or `otherwise` when none is published: for
    what a page can show without an index (each caller says why). A view with nothing to
    show calls `live_index().run` and leaves NoGeneration to the app's handler (errors.py)."""
    try:
        return live_index().run(work)
    except NoGeneration:
        return otherwise


def search_request(args: Mapping[str, str]) -> SearchRequest:
    """The visitor's search with its text cut to MAX_QUERY_CHARS, as the engine reads it, so
    the page, every link on it and the result cache hold no more of it than that."""
    asked = SearchRequest.from_args(args)
    return replace(asked, q=asked.q[:MAX_QUERY_CHARS])


def _close_db(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
