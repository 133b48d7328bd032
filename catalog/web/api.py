"""The JSON API: `GET /api/search`, the document DESIGN.md promises."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from catalog.generations import NoGeneration
from catalog.search import SearchRequest, run_search
from catalog.web import get_db, live_index

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    try:
        generation = live_index().current()
    except NoGeneration as exc:
        return jsonify(error=str(exc)), 503
    return jsonify(run_search(generation, get_db(), SearchRequest.from_args(request.args)))
