"""`catalog report queries`: what visitors looked for, read back from the web's JSON log.

The web writes one `catalog.web.queries` line per search and one per result opened from a
results page (`catalog.web.query_log`). This counts, over a period, the most frequent
queries, those that found nothing and those whose results nobody opened: what the coach
might record next. Queries are compared ignoring case and spacing. Only first pages count
(a second page is the same search again), and a search followed within a few seconds by the
same query or a longer one ("rel", then "relay") is typing, seen by the results that update
as you type (or the same search sent again on Enter), not a search of its own.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

LOGGER = "catalog.web.queries"
TYPING_SECONDS = 10.0


@dataclass(frozen=True)
class Search:
    time: datetime
    query: str  # as typed, spaces collapsed
    results: int

    @property
    def key(self) -> str:
        return self.query.casefold()


@dataclass
class QueryReport:
    searches: int = 0
    typing: int = 0  # searches left out: soon followed by the same query or a longer one
    counts: Counter = field(default_factory=Counter)  # key -> searches
    shown: dict[str, Search] = field(default_factory=dict)  # key -> its latest search
    opened: set[str] = field(default_factory=set)  # keys whose results someone opened

    def top(self, limit: int) -> list[tuple[Search, int]]:
        return [(self.shown[key], n) for key, n in _ranked(self.counts)[:limit]]

    def zero_results(self, limit: int) -> list[tuple[Search, int]]:
        return [(self.shown[key], n) for key, n in _ranked(self.counts) if not self.shown[key].results][:limit]

    def never_opened(self, limit: int) -> list[tuple[Search, int]]:
        ranked = _ranked(self.counts)
        return [(self.shown[k], n) for k, n in ranked if self.shown[k].results and k not in self.opened][:limit]


def _ranked(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def log_lines(paths: Iterable[str], stdin: TextIO) -> Iterator[str]:
    """The lines of each log file (gzip-compressed ones too, as logrotate leaves them); `-` is stdin."""
    for name in paths:
        if name == "-":
            yield from stdin
            continue
        path = Path(name)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
            yield from handle


def query_events(lines: Iterable[str], since: datetime | None) -> Iterator[dict]:
    """The query log's entries from `since` on. Anything else in the log (requests, gunicorn's
    own lines, a line cut short by a crash) is passed over."""
    for line in lines:
        try:
            entry = json.loads(line)
            when = datetime.fromisoformat(entry["time"]) if isinstance(entry, dict) else None
        except (ValueError, KeyError, TypeError):
            continue
        if when and entry.get("logger") == LOGGER and (since is None or when >= since):
            yield {**entry, "time": when}


def summarise(events: Iterable[dict], typing_seconds: float = TYPING_SECONDS) -> QueryReport:
    report = QueryReport()
    searches: list[Search] = []
    for event in events:
        query = " ".join(str(event.get("q") or "").split())
        if not query:
            continue
        if event.get("message") == "open":
            report.opened.add(query.casefold())
        elif event.get("message") == "search" and event.get("page", 1) == 1:
            searches.append(Search(event["time"], query, _whole(event.get("results"))))
    searches.sort(key=lambda s: s.time)
    for n, search in enumerate(searches):
        if _superseded(search, searches[n + 1 :], typing_seconds):
            report.typing += 1
            continue
        report.searches += 1
        report.counts[search.key] += 1
        report.shown[search.key] = search
    return report


def _superseded(search: Search, later: list[Search], seconds: float) -> bool:
    """Whether a later search within `seconds` repeats or extends this one ("rel" before "relay")."""
    for other in later:
        if (other.time - search.time).total_seconds() > seconds:
            return False
        if other.key.startswith(search.key):
            return True
    return False


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def text(report: QueryReport, since_label: str, limit: int) -> str:
    """The report as the command prints it."""
    lines = [
        f"{report.searches} searches {since_label}, {len(report.counts)} different queries"
        + (
            f" ({report.typing} left out as typing: the same or a longer query followed within seconds)"
            if report.typing
            else ""
        )
    ]
    sections = (
        ("Top queries", report.top(limit)),
        ("Queries with no results", report.zero_results(limit)),
        ("Queries whose results were never opened", report.never_opened(limit)),
    )
    for title, rows in sections:
        lines += ["", f"{title}:"]
        lines += [f"  {n:>5}  {s.query}  ({s.results} result{'s' if s.results != 1 else ''})" for s, n in rows]
        if not rows:
            lines.append("  (none)")
    return "\n".join(lines)
