"""What visitors look for: one JSON log line per search, and one per result opened from a search.

Each search on the results page or through the API (the JSON search, or the results region
app.js fetches as the visitor types) logs its text, how many items it found, the page of
results and which of them answered; each item page opened from a results page (its
`Referer` is our own `/search?q=…`) logs that search's text and the item. No address, user
agent, cookie or anything else that tells visitors apart is written. `catalog report queries`
reads these lines back. `CATALOG_QUERY_LOG=false` turns both off.

The views are not touched: a search's document is taken from the context of the template a
search view renders, or from the API's JSON answer before it leaves.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

from flask import Flask, Response, current_app, request, template_rendered

from catalog.ids import collection_item_id
from catalog.search.query import MAX_QUERY_CHARS

log = logging.getLogger("catalog.web.queries")
SEARCHED, OPENED = "search", "open"
RENDERING_SEARCHES = {"pages.results": "page", "api.results": "api"}  # endpoint -> how it is logged
OPENING_ENDPOINTS = {"pages.item", "collections.page"}


def init_app(app: Flask) -> None:
    app.config.setdefault("QUERY_LOG", True)
    if app.config["QUERY_LOG"] not in (True, False):
        raise ValueError("CATALOG_QUERY_LOG must be true or false")
    template_rendered.connect(_results_page_shown, app)
    app.after_request(_api_answered_or_item_opened)


def _results_page_shown(app: Flask, template, context: dict, **_extra) -> None:
    """A search view rendered its page (an included partial sends no signal, so once a search)."""
    via = RENDERING_SEARCHES.get(request.endpoint)
    if via and app.config["QUERY_LOG"] and context.get("doc"):
        _searched(context["doc"], via)


def _api_answered_or_item_opened(response: Response) -> Response:
    if not current_app.config["QUERY_LOG"] or response.status_code != 200:
        return response
    if request.endpoint == "api.search":
        _searched(response.get_json(silent=True) or {}, "api")
    elif request.endpoint in OPENING_ENDPOINTS:
        query = _search_referred_from()
        if query:
            arguments = request.view_args or {}
            item = arguments.get("item_id") or collection_item_id(str(arguments.get("slug")))
            log.info(OPENED, extra={"fields": {"q": query, "item": item}})
    return response


def _searched(doc: dict, via: str) -> None:
    """Log one search; a blank one (browsing by filters alone) is not a query."""
    query = " ".join(str(doc.get("query") or "").split())
    if query:
        fields = {"q": query[:MAX_QUERY_CHARS], "results": doc.get("total", 0), "page": doc.get("page", 1), "via": via}
        log.info(SEARCHED, extra={"fields": fields})


def _search_referred_from() -> str | None:
    """The query of our own results page this request came from, if it came from one."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.path != "/search":
        return None
    query = " ".join(parse_qs(referrer.query).get("q", [""])[0].split())
    return query[:MAX_QUERY_CHARS] or None
