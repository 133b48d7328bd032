"""A search request in, the documented `/api/search` document out.

The engine ranks items and picks moments; SQLite supplies what is shown (titles, the text
of each moment), and the highlighter marks it. `catalog search --json` prints the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from catalog.engine import FILTERS, Moment, SearchIndex
from catalog.generations.live import Generation
from catalog.links import item_path, moment_path, source_moment_url
from catalog.search.query import ParsedQuery, parse, typed_prefix
from catalog.storage import store
from catalog.text.analysis import analyze, term_spans
from catalog.text.highlight import highlight, second_of_best_window
from catalog.text.spelling import MAX_COMPLETIONS, Vocabulary
from catalog.text.vocabulary import fold

MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 10
SHORT_SNIPPET_CHARS = 140
MAX_PAGE = 100
SORTS = ("relevance", "newest")
MIN_WORD = 3  # letters a typed last word needs before it is searched as a whole word


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = "relevance"
    filters: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchRequest:
        """Read query-string arguments; anything out of range is clamped, never an error."""
        return cls(
            q=str(args.get("q") or ""),
            page=_bounded_int(args.get("page"), 1, 1, MAX_PAGE),
            per_page=_bounded_int(args.get("per_page"), DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
            sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
            filters={name: str(args[name])[:100] for name in FILTERS if args.get(name)},
        )


def _bounded_int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def run_search(generation: Generation, db: Database, request: SearchRequest) -> dict:
    """The search document, from the generation's result cache when it was asked before."""
    key = (request.q, request.page, request.per_page, request.sort, tuple(sorted(request.filters.items())))
    doc = generation.remember(key, lambda: _search(generation, db, request))
    if doc["partial"]:  # cut short by the time budget: worth trying again later, not keeping
        generation.forget(key)
    return doc


def as_searched(text: str, vocabulary: Vocabulary, index: SearchIndex | None = None) -> tuple[ParsedQuery, str | None]:
    """The query as it is searched, and its text when that differs from what was typed.

    A word that no item holds in any form (by the index's terms, so "tuning" is held where
    items say "tune") is searched as the word items say in its family where Snowball stems the
    two apart ("panicking" as "panic"), else as the catalog word it is a typo of; a word no
    item contains is left out (unless nothing else is left). A last word still being typed that
    begins catalog words stands for them (Meilisearch's prefix rule); it is neither corrected
    nor left out, so results keep up with every key.
    """
    parsed = parse(text)
    typing = typed_prefix(text)
    spans = term_spans(parsed.words)
    if typing and (not spans or spans[-1][1] != len(parsed.words) - len(typing)):
        typing = None  # the last word belongs to a longer token: "five k" is 5000, "4 x 400" a relay
    # A whole catalog word is searched as itself (measured: expanding it too cost the judged
    # queries); one or two letters are not a word yet, whatever the catalog holds.
    known = typing is not None and fold(typing) in vocabulary.counts
    completions = vocabulary.completions(typing) if typing and (len(typing) < MIN_WORD or not known) else []
    if completions and known:
        completions = [fold(typing), *completions]  # "PR" is a word, and "pro…" may be coming
    number = analyze(typing) if typing and any(c.isdigit() for c in typing) else []
    if len(number) == 1 and not completions and index is not None:
        # numbers are no words of the vocabulary: "4x40" begins 4x400
        completions = index.terms_beginning(number[0], MAX_COMPLETIONS)
    words = parsed.words[: len(parsed.words) - len(typing)].rstrip() if completions else parsed.words
    indexed = _indexed_by(index)
    fixed = vocabulary.correct(words, indexed) or words
    corrected = vocabulary.without_unknown(fixed, indexed) or (fixed if fixed != words else None)
    searched = parsed
    if corrected is not None or completions:
        searched = replace(parse(words if corrected is None else corrected), speaker=parsed.speaker)
    if index is not None:
        searched = _with_decimals(searched, index)
    if not completions:
        return searched, corrected
    prefix = tuple(dict.fromkeys(term for word in completions for term in analyze(word)[:1]))
    return replace(searched, typed=fold(typing), prefix=prefix), f"{corrected} {typing}" if corrected else None


def _with_decimals(parsed: ParsedQuery, index: SearchIndex) -> ParsedQuery:
    """`parsed`, its whole miles standing for the decimals of them that items hold too: a
    training log's GPS "16.14 miles" is the 16-mile run a visitor asks for."""
    miles = parsed.whole_miles()
    if not miles:
        return parsed
    found = {number: tuple(index.terms_beginning(f"{number}.", MAX_COMPLETIONS)) for number in miles}
    return replace(parsed, decimals=tuple((number, terms) for number, terms in found.items() if terms))


def _indexed_by(index: SearchIndex | None) -> Callable[[str], bool]:
    """Whether the index holds every term a word is analysed into (no index: never)."""
    if index is None:
        return lambda word: False
    return lambda word: all(index.holds(term) for term in analyze(word))


def _search(generation: Generation, db: Database, request: SearchRequest) -> dict:
    """Search, and the document of /api/search; `suggestion` holds the query as searched
    when that is not what was typed."""
    typed = parse(request.q).text
    index = generation.index
    parsed, corrected = as_searched(request.q, generation.vocabulary, index)
    filters = dict(request.filters)
    if parsed.speaker:
        filters["speaker"] = parsed.speaker
    elif filters.get("speaker"):
        filters["speaker"] = " ".join(fold(filters["speaker"]).split())
    found = index.search(
        parsed,
        filters,
        page=request.page,
        per_page=request.per_page,
        newest_first=request.sort == "newest" or parsed.is_empty,
    )
    items = store.get_items(db, found.item_ids)
    # The generation alone says what is visible (the indexer hides items only with the generation
    # that leaves them out), so the results are exactly what `total` counts.
    results = [
        _result(items[item_id], found.moments.get(item_id, []), parsed, db, found.term_weights)
        for item_id in found.item_ids
        if item_id in items
    ]
    return {
        "query": typed,
        "total": found.total,
        "page": request.page,
        "per_page": request.per_page,
        "pages": max(1, -(-found.total // request.per_page)),
        "sort": request.sort,
        "filters": filters,
        "facets": found.facets,
        "partial": found.partial,
        "suggestion": corrected,
        "related_tags": generation.suggestions.related_tags(parsed.words) if not found.total else [],
        "results": results,
    }


def _result(
    item: dict, moments: list[Moment], parsed: ParsedQuery, db: Database, weights: dict[str, float] | None = None
) -> dict:
    shown = [_moment(item, moment, parsed, db, weights or {}) for moment in moments]  # best first
    terms = parsed.highlight_terms
    snippet = highlight(item["description"] or "", terms)
    if shown and "<mark>" not in snippet:  # the moments show the matches; keep the summary short
        snippet = _shortened(snippet)
    return {
        "id": item["id"],
        "kind": item["kind"],
        "title": item["title"],
        "title_html": highlight(item["title"], terms, max_chars=1000),
        "url": item_path(item["id"]),
        "source_url": item["source_url"],
        "source": item["source"],
        "published": item["published"],
        "duration": item["duration"],
        "thumbnail": item["thumbnail"],
        "tags": item["tags"],
        "people": item["people"],
        "captions": item["captions"],
        "snippet_html": snippet,
        "moments": shown,
    }


def _shortened(snippet_html: str) -> str:
    """A summary without marks, cut to SHORT_SNIPPET_CHARS at a word (it holds only escaped text)."""
    if len(snippet_html) <= SHORT_SNIPPET_CHARS:
        return snippet_html
    cut = snippet_html.rfind(" ", 0, SHORT_SNIPPET_CHARS)
    return snippet_html[: cut if cut > 0 else SHORT_SNIPPET_CHARS] + "…"


_MOMENT_ROW = {
    False: "select start, end, text, speaker, cue_times from segments where item_id = ? and seq = ?",
    True: "select start, null, title, null, null from chapters where item_id = ? and seq = ?",
}


def _moment(item: dict, moment: Moment, parsed: ParsedQuery, db: Database, weights: dict[str, float]) -> dict:
    row = db.execute(_MOMENT_ROW[moment.is_chapter], [item["id"], moment.seq]).fetchone()
    start, end, text, speaker, cue_times = row or (moment.start, None, "", None, None)
    if start is not None and cue_times:
        start = second_of_best_window(text, json.loads(cue_times), weights, parsed.phrases, start)
    url = moment_path(item["id"], start)
    if start is None:
        url = f"{url}#p-{moment.seq}"
    return {
        "start": start,
        "end": end,
        "text_html": highlight(text, parsed.highlight_terms),
        "url": url,
        "source_url": source_moment_url(item, start),
        "speaker": speaker,
        "chapter": text if moment.is_chapter else None,
        "score": round(moment.score, 3),
    }


def related_items(generation: Generation, db: Database, item: dict) -> list[dict]:
    """Result cards of items related to `item`: the workouts that link to it, then shared topics."""
    linked = store.workouts_linking(db, item["youtube_id"]) if item.get("youtube_id") else []
    by_topic = generation.index.related(item["id"], item["kind"], item["tags"])
    ids = list(dict.fromkeys([*linked, *by_topic]))[:4]
    rows = store.get_items(db, ids)
    nothing = parse("")
    return [_result(rows[i], [], nothing, db) for i in ids if i in rows and rows[i]["status"] == "live"]
