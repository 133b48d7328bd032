"""Server-rendered pages: home, results (no JavaScript needed) and the item page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from catalog import store
from catalog.generations import NoGeneration
from catalog.links import source_moment_url, web_url, youtube_id_from_url
from catalog.search import SearchRequest, related_items, run_search
from catalog.web import get_db, live_index, search_request
from catalog.web.discovery import item_head

bp = Blueprint("pages", __name__)


def _search(args) -> tuple[SearchRequest, dict | None]:
    asked = search_request(args)
    try:
        return asked, live_index().run(lambda generation: run_search(generation, get_db(), asked))
    except NoGeneration:
        return asked, None


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


@bp.get("/items/<path:item_id>")  # an id may hold a slash (`<extractor>:<id>` from yt-dlp)
def item(item_id: str):
    db = get_db()
    found = store.get_item(db, item_id)
    if found is None:
        abort(404)
    start = request.args.get("t", type=int)
    start = max(0, start) if start is not None else None
    end = request.args.get("end", type=int)
    end = end if end is not None and start is not None and end > start else None
    segments = store.item_segments(db, item_id)
    chapters = store.item_chapters(db, item_id)
    try:
        related = live_index().run(lambda generation: related_items(generation, db, found))
    except NoGeneration:
        related = []
    return render_template(
        "item.html",
        item=found,
        start=start,
        end=end,
        segments=segments,
        current_seq=_segment_at(segments, start),
        chapters=chapters,
        source_link=source_moment_url(found, start),
        source_links={s["seq"]: source_moment_url(found, s["start"]) for s in segments},
        video=_linked_video(db, found["extra"].get("video")),
        related=related,
        **item_head(found, chapters, segments, start, end),
    )


def _linked_video(db, url: str | None) -> dict | None:
    """A workout's video: our own page for it when the catalog has it, else its URL."""
    if not url:
        return None
    video_id = youtube_id_from_url(url)
    ours = store.get_item(db, f"youtube:{video_id}") if video_id else None
    if ours:
        return {"url": ours["url"], "title": ours["title"]}
    return {"url": url, "title": url} if web_url(url) else None


def _segment_at(segments: list[dict], second: int | None) -> int | None:
    """The segment playing at `second`, to highlight it and scroll it into view."""
    if second is None:
        return None
    current = None
    for segment in segments:
        if segment["start"] is not None and segment["start"] <= second:
            current = segment["seq"]
    return current
