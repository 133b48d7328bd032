"""The JSON API: `GET /api/search`, the document DESIGN.md promises."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from catalog.generations import NoGeneration
from catalog.search import run_search
from catalog.web import get_db, live_index, search_request

OPENAPI = Path(__file__).with_name("openapi.json")
bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    asked = search_request(request.args)
    try:
        return jsonify(live_index().run(lambda generation: run_search(generation, get_db(), asked)))
    except NoGeneration as exc:
        return jsonify(error=str(exc)), 503


@bp.get("/results")
def results():
    """The results region of /search, as HTML: what app.js swaps in as the visitor types. The
    region is rendered by one template only (`_results.html`), so its labels, order and
    formatting are the page's own; it is held to the API's rate limit, as typing is."""
    asked = search_request(request.args)
    try:
        doc = live_index().run(lambda generation: run_search(generation, get_db(), asked))
    except NoGeneration as exc:
        return jsonify(error=str(exc)), 503
    return render_template("_results.html", search=asked, doc=doc)


@bp.get("/suggest")
def suggest():
    """Autocomplete for a prefix: titles, tags, people, chapters and frequent phrases."""
    prefix = str(request.args.get("q") or "")[:100]
    try:
        found = live_index().run(lambda generation: generation.suggestions.lookup(prefix))
    except NoGeneration:
        found = []
    if request.args.get("format") == "opensearch":  # the browser's address bar
        body = json.dumps([prefix, [entry["text"] for entry in found]])
        return Response(body, mimetype="application/x-suggestions+json")
    return jsonify(query=prefix, suggestions=found)


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of the API and the pages (what fuzzers and clients read)."""
    return current_app.response_class(OPENAPI.read_bytes(), mimetype="application/json")
