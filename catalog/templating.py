"""Jinja filters for the pages: clock times and durations."""

from __future__ import annotations

from flask import Flask

from catalog.search import DEFAULT_PER_PAGE


def clock(seconds: float | int | None) -> str:
    """12:34 or 1:02:03."""
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def duration(seconds: int | None) -> str:
    """ "42 min" or "1 h 05 min"."""
    if not seconds:
        return ""
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02} min" if minutes >= 60 else f"{minutes} min"


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


FACET_LABELS = {
    "kind": "Kind",
    "tag": "Topic",
    "person": "Guest or host",
    "year": "Year",
    "duration": "Length",
    "captions": "Captions",
    "speaker": "Speaker",
}


VALUE_LABELS = {
    "duration": {"under-10": "Under 10 min", "10-30": "10–30 min", "30-60": "30–60 min", "over-60": "Over an hour"},
    "captions": {"manual": "Human transcript", "auto": "Auto-captions", "none": "No transcript"},
}
FACTS = {
    "focus": "Focus",
    "level": "Level",
    "equipment": "Equipment",
    "progression": "Progression",
    "channel": "Channel",
}


def facet_label(name: str) -> str:
    return FACET_LABELS.get(name, name.capitalize())


def facet_value(name: str, value: str) -> str:
    """How a facet value reads on the page: "under-10" is "Under 10 min"."""
    return VALUE_LABELS.get(name, {}).get(value, value)


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
    app.add_template_global(facet_args)
    app.add_template_global(page_args)
    app.add_template_global(facet_label)
    app.add_template_global(facet_value)
    app.add_template_global(facts)
