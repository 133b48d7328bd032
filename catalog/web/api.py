"""The JSON API: `GET /api/search`, the document DESIGN.md promises."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from catalog.display import suggestion_label
from catalog.search.document import as_searched, run_search
from catalog.search.query import MAX_QUERY_CHARS, parse
from catalog.storage import store
from catalog.web.resources import get_db, live_index, run_live, search_request
from catalog.web.transcript_view import transcript

OPENAPI = Path(__file__).with_name("openapi.json")
bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    asked = search_request(request.args)
    return jsonify(live_index().run(lambda generation: run_search(generation, get_db(), asked)))


@bp.get("/results")
def results():
    """The results region of /search, as HTML: what app.js swaps in as the visitor types. The
    region is rendered by one template only (`_results.html`), so its labels, order and
    formatting are the page's own; it is held to the API's rate limit, as typing is."""
    asked = search_request(request.args)
    doc = live_index().run(lambda generation: run_search(generation, get_db(), asked))
    return render_template("_results.html", search=asked, doc=doc)


@bp.get("/items/<path:item_id>/find")
def find(item_id: str):
    """Where the words of `q` are said in one item's transcript, found as search finds them
    (the index analyzer: "run" finds "running"; a last word still being typed finds the words it
    begins): the place of each cue that holds them, with its text and the hits in <mark>."""
    db = get_db()
    item = store.get_item(db, item_id)
    if item is None:
        abort(404)
    asked = (request.args.get("q") or "")[:MAX_QUERY_CHARS]
    # Without an index, find still marks the words as typed: there is only no vocabulary to read them by.
    parsed = run_live(lambda generation: as_searched(asked, generation.vocabulary, generation.index)[0], parse(asked))
    shown = transcript(
        store.item_segments(db, item_id),
        store.item_chapters(db, item_id),
        terms=parsed.highlight_terms if asked.strip() else frozenset(),
        auto=item["captions"] == "auto",
    )
    cues = [str(cue.html) for paragraph in shown.paragraphs for cue in paragraph.cues]
    hits = [[place, html] for place, html in enumerate(cues) if "<mark>" in html]
    return jsonify(query=asked, matches=sum(html.count("<mark>") for _, html in hits), cues=hits)


@bp.get("/suggest")
def suggest():
    """Autocomplete for a prefix: titles, tags, people, chapters and frequent phrases, each
    with the label the listbox shows for its kind."""
    prefix = str(request.args.get("q") or "")[:100]
    # Without an index there is nothing to suggest: an empty list, never an error under the visitor's typing.
    found = run_live(lambda generation: generation.suggestions.lookup(prefix), otherwise=[])
    if request.args.get("format") == "opensearch":  # the browser's address bar
        body = json.dumps([prefix, [entry["text"] for entry in found]])
        return Response(body, mimetype="application/x-suggestions+json")
    return jsonify(query=prefix, suggestions=[{**entry, "label": suggestion_label(entry["kind"])} for entry in found])


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of the API and the pages (what fuzzers and clients read)."""
    return current_app.response_class(OPENAPI.read_bytes(), mimetype="application/json")
