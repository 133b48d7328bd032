"""Jinja filters and globals for the pages: clock times, lengths and facet names as
catalog.display writes them, dates, how a tag or a name reads, and the links that change a
search. One place, so the page and the results app.js swaps in say the same."""

from __future__ import annotations

from datetime import date

from flask import Flask

from catalog.display import clock, duration, facet_label, value_label
from catalog.links import with_query
from catalog.search.document import DEFAULT_PER_PAGE
from catalog.web.labels import name_as_written, source_label
from catalog.web.notes import notes_html


def human_date(iso: str | None) -> str:
    """ "21 May 2024" for "2024-05-21" (unambiguous in every English reading of dates)."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def search_args(search, **changes) -> dict:
    """Query-string arguments that reproduce a search, with some changed (None removes one)."""
    args = {
        "q": search.q,
        "sort": search.sort if search.sort != "relevance" else None,
        "per_page": search.per_page if search.per_page != DEFAULT_PER_PAGE else None,
        **search.filters,
    }
    args.update(changes)
    return {k: v for k, v in args.items() if v not in (None, "")}


def facet_args(search, name: str, value: str | None) -> dict:
    """The search with facet `name` set to `value` (or cleared), back on page 1."""
    return search_args(search, **{name: value})


def page_args(search, page: int) -> dict:
    return search_args(search, page=page if page > 1 else None)


def shown_facets(doc: dict, search) -> list[tuple[str, dict[str, int]]]:
    """The facets worth a group of chips: those that still split the results, and those in use."""
    return [
        (name, counts)
        for name, counts in doc["facets"].items()
        if counts and len(counts) > (0 if search.filters.get(name) else 1)
    ]


def facet_value(name: str, value: str) -> str:
    """How a facet value reads on the page: "under-10" is "Under 10 min", the tag "m55" is
    "M55" and the person "harold okafor" is "Harold Okafor", as their sources wrote them."""
    return value_label(name, value) or name_as_written(name, value) or value


def episode_label(extra: dict) -> str:
    """ "Season 3, episode 41" (or "Episode 41") from a podcast's numbers, else ""."""
    episode, season = extra.get("episode_number"), extra.get("season_number")
    if not isinstance(episode, int) or isinstance(episode, bool):
        return ""
    if isinstance(season, int) and not isinstance(season, bool):
        return f"Season {season}, episode {episode}"
    return f"Episode {episode}"


FACTS = {
    "focus": "Focus",
    "level": "Level",
    "equipment": "Equipment",
    "progression": "Progression",
}


def facts(extra: dict) -> list[tuple[str, str]]:
    """The kind-specific fields worth showing, labelled, lists joined."""
    shown = []
    for key, label in FACTS.items():
        value = extra.get(key)
        if value:
            shown.append((label, ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)))
    return shown


def register_filters(app: Flask) -> None:
    app.add_template_filter(clock)
    app.add_template_filter(duration)
    app.add_template_filter(human_date)
    app.add_template_filter(notes_html, name="notes")
    app.add_template_global(facet_args)
    app.add_template_global(page_args)
    app.add_template_global(shown_facets)
    app.add_template_global(with_query)
    app.add_template_global(facet_label)
    app.add_template_global(facet_value)
    app.add_template_global(facts)
    app.add_template_global(episode_label)
    app.add_template_global(source_label)
