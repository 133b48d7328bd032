"""Server-rendered pages: home, results (no JavaScript needed) and the item page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from catalog import ids
from catalog.links import moment_path, source_moment_url, web_url
from catalog.search.document import SearchRequest, related_items, run_search
from catalog.search.query import MAX_QUERY_CHARS, parse
from catalog.storage import store
from catalog.text.marks import marked_html
from catalog.web.discovery import TIMED_KINDS, item_head
from catalog.web.resources import get_db, run_live, search_request
from catalog.web.transcript_view import transcript

bp = Blueprint("pages", __name__)


def _search(args) -> tuple[SearchRequest, dict | None]:
    asked = search_request(args)
    # Without an index the listing pages still show their frame and search box with a notice
    # (doc None, 200), rather than the app's 503 error page.
    return asked, run_live(lambda generation: run_search(generation, get_db(), asked), otherwise=None)


@bp.get("/")
def home():
    _, latest = _search({"per_page": "6", "sort": "newest"})
    return render_template("home.html", latest=latest, search=None)


@bp.get("/browse")
def browse():
    """Latest items, and the catalog by kind, topic and guest."""
    _, everything = _search({"per_page": "12", "sort": "newest"})
    return render_template("browse.html", doc=everything)


@bp.get("/search")
def results():
    asked, doc = _search(request.args)
    return render_template("results.html", search=asked, doc=doc)


@bp.get("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever the page links to."""
    return current_app.send_static_file("favicon.svg")


@bp.get("/items/<path:item_id>")  # an id may hold a slash (`<extractor>:<id>` from yt-dlp)
def item(item_id: str):
    db = get_db()
    found = store.get_item(db, item_id)
    if found is None:
        abort(404)
    timed = found["kind"] in TIMED_KINDS and bool(found["youtube_id"] or found["media_url"])
    start = request.args.get("t", type=int)
    start = max(0, start) if start is not None else None
    end = request.args.get("end", type=int)
    end = end if end is not None and start is not None and end > start else None
    query = (request.args.get("q") or "")[:MAX_QUERY_CHARS]
    segments = store.item_segments(db, item_id)
    chapters = store.item_chapters(db, item_id)
    terms = parse(query).highlight_terms if query.strip() else frozenset()
    shown = None
    if segments and not found["body_html"]:
        shown = transcript(segments, chapters, at=start, terms=terms, auto=found["captions"] == "auto")
    # An item page is read from the catalog alone: without an index it only has no related items.
    related = run_live(lambda generation: related_items(generation, db, found), otherwise=[])
    return render_template(
        "item.html",
        item=found,
        timed=timed,
        start=start,
        end=end,
        query=query,
        transcript=shown,
        body=marked_html(found["body_html"], terms) if found["body_html"] else None,
        chapters=chapters,
        share=_share(found, start, end, shown) if timed else None,
        video=_linked_video(db, found["extra"].get("video")),
        related=related,
        **item_head(found, chapters, segments, start, end),
    )


def _share(item: dict, start: int | None, end: int | None, shown) -> dict:
    """What the share bar offers: our link at the moment (with its clip end), the original
    at the same second, and the seconds a clip may end at."""
    at = start or 0
    link = moment_path(item["id"], start)
    choices = shown.until_choices(at) if shown else []
    if end is not None and end not in choices:
        choices = sorted({*choices, end})
    return {
        "start": at,
        "end": end,
        "link": f"{link}&end={end}" if end else link,
        "source_link": source_moment_url(item, start),
        "until": choices,
    }


def _linked_video(db, url: str | None) -> dict | None:
    """A workout's video: our own page for it when the catalog has it, else its URL."""
    if not url:
        return None
    video_id = ids.youtube_id_from_url(url)
    ours = store.get_item(db, ids.youtube_item_id(video_id)) if video_id else None
    if ours:
        return {"url": ours["url"], "title": ours["title"]}
    return {"url": url, "title": url} if web_url(url) else None
