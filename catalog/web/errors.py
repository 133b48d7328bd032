"""What a visitor or a client is told when there is nothing to show: the 404 page, and a 503
when the catalog or its index is not there yet (JSON for /api and /healthz, which programs
read, the error page for a visitor).

A view that needs the live index and has nothing to show without it lets NoGeneration rise
to here; one that can show something anyway says so with `resources.run_live`.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from catalog.generations.live import NoGeneration
from catalog.storage.store import CatalogMissing

NOT_INDEXED = "The catalog has not been indexed yet."


def init_app(app: Flask) -> None:
    app.register_error_handler(404, _not_found)
    app.register_error_handler(CatalogMissing, _no_catalog)
    app.register_error_handler(NoGeneration, _no_index)


def _not_found(_error):
    return render_template("error.html", status=404, message="Nothing here."), 404


def _no_catalog(error: CatalogMissing):
    return _not_indexed({"status": "no-catalog", "error": str(error)})


def _no_index(error: NoGeneration):
    return _not_indexed({"error": str(error)})


def _not_indexed(body: dict):
    if request.path.startswith("/api/") or request.path == "/healthz":
        return jsonify(body), 503
    return render_template("error.html", status=503, message=NOT_INDEXED), 503
