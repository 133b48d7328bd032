"""Score the judged queries of judgments.toml against a live catalog.

Each query runs through `catalog.search.document.run_search` on the live generation, like the
/api/search endpoint, ten results a page; the rows and means are what the test asserts
on and what `python -m bench.relevance` prints.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import live_search
from tests.relevance import metrics

JUDGMENTS = Path(__file__).with_name("judgments.toml")
REAL_JUDGMENTS = Path(__file__).with_name("real_judgments.toml")
SHOWN_INSTEAD = 3  # result ids shown for a query whose best item is not first
ROW_NDCG_OK = 0.8  # a query below this shows the relevant items it missed


class JudgmentError(ValueError):
    """judgments.toml holds a query that cannot be scored as written."""


@dataclass(frozen=True)
class Judgment:
    query: str
    category: str
    grades: dict[str, int]  # item id -> grade, in judged order
    moments: tuple[tuple[str, float], ...] = ()  # (item id, start second)


@dataclass(frozen=True)
class Row:
    """One query's scores, and what the engine returned."""

    judgment: Judgment
    returned: tuple[str, ...]
    first_rank: int | None
    ndcg: float
    recall: float  # share of the relevant items in the top 10
    moment_hits: tuple[bool, ...]  # one per judged moment: any moment of its item within the window?
    first_hits: tuple[bool, ...]  # one per judged moment: the item's first moment within the window?
    moment_starts: dict[str, tuple[float, ...]]  # the timed moments returned for judged moments' items

    @property
    def reciprocal_rank(self) -> float:
        return 1 / self.first_rank if self.first_rank else 0.0

    @property
    def moments_found(self) -> int:
        return sum(self.moment_hits)

    @property
    def missed(self) -> bool:
        """Short of perfect where it matters: not first, a weak ranking, or a moment not found."""
        return self.first_rank != 1 or self.ndcg < ROW_NDCG_OK or self.moments_found < len(self.judgment.moments)


@dataclass(frozen=True)
class Figures:
    mrr: float
    ndcg: float
    recall: float
    moment_recall: float  # judged moments met by any moment of their item
    first_moment: float  # judged moments met by their item's first moment
    queries: int
    moments_judged: int


def load_judgments(path: Path = JUDGMENTS) -> list[Judgment]:
    """The [[query]] tables of judgments.toml, checked; see the file's header for the format."""
    with open(path, "rb") as handle:
        tables = tomllib.load(handle)["query"]
    return [_judgment(number, table) for number, table in enumerate(tables, 1)]


def _judgment(number: int, table: dict) -> Judgment:
    where = f"query {number} ({table.get('query')!r})"
    relevant = table.get("relevant") or []
    grades = table.get("grades") or [2] + [1] * (len(relevant) - 1)
    if not table.get("query") or not relevant or len(grades) != len(relevant) or len(set(relevant)) != len(relevant):
        raise JudgmentError(f"{where}: needs a query and distinct relevant ids, with one grade per id")
    moments = tuple((m["item"], float(m["start"])) for m in table.get("moments", []))
    if any(item not in relevant for item, _ in moments):
        raise JudgmentError(f"{where}: a judged moment's item is not in `relevant`")
    return Judgment(table["query"], table.get("category", ""), dict(zip(relevant, grades, strict=True)), moments)


def evaluate(data_dir: Path, judgments: list[Judgment], window: float = metrics.MOMENT_WINDOW) -> list[Row]:
    """Run every judged query on the live generation of `data_dir` and score it."""
    return [
        score(judgment, live_search(data_dir, judgment.query, per_page=metrics.K)["results"], window)
        for judgment in judgments
    ]


def score(judgment: Judgment, results: list[dict], window: float = metrics.MOMENT_WINDOW) -> Row:
    """The row of one query, from its /api/search results."""
    ranked = [result["id"] for result in results]
    judged_items = {item for item, _ in judgment.moments}
    starts = {
        r["id"]: tuple(m["start"] for m in r["moments"] if m["start"] is not None)
        for r in results[: metrics.K]
        if r["id"] in judged_items
    }
    return Row(
        judgment=judgment,
        returned=tuple(ranked),
        first_rank=metrics.first_relevant_rank(ranked, judgment.grades),
        ndcg=metrics.ndcg(ranked, judgment.grades),
        recall=metrics.recall_at(ranked, judgment.grades),
        moment_hits=tuple(
            metrics.moment_found(results, item, start, window=window) for item, start in judgment.moments
        ),
        first_hits=tuple(
            metrics.moment_found(results, item, start, window=window, first_only=True)
            for item, start in judgment.moments
        ),
        moment_starts=starts,
    )


def figures(rows: list[Row]) -> Figures:
    """The means: MRR@10, nDCG@10 and recall@10 over queries, moments over all judged moments."""
    judged = sum(len(row.judgment.moments) for row in rows)
    return Figures(
        mrr=sum(row.reciprocal_rank for row in rows) / len(rows),
        ndcg=sum(row.ndcg for row in rows) / len(rows),
        recall=sum(row.recall for row in rows) / len(rows),
        moment_recall=metrics.recall(sum(row.moments_found for row in rows), judged),
        first_moment=metrics.recall(sum(sum(row.first_hits) for row in rows), judged),
        queries=len(rows),
        moments_judged=judged,
    )


def table(rows: list[Row]) -> str:
    """The per-query table and the figures, as text; a missed query says what came back instead."""
    lines = [f"{'category':<9} {'query':<34} {'rank':>4} {'nDCG':>5} {'moments':>7}  what came back instead"]
    for row in rows:
        judgment = row.judgment
        moments = f"{row.moments_found}/{len(judgment.moments)}" if judgment.moments else "-"
        notes = "; ".join(_misses(row)) if row.missed else ""
        lines.append(
            f"{judgment.category:<9} {judgment.query:<34.34} {row.first_rank or '-':>4} {row.ndcg:5.2f} {moments:>7}  {notes}"
        )
    summary = figures(rows)
    counts = ", ".join(f"{name} {n}" for name, n in sorted(Counter(r.judgment.category for r in rows).items()))
    lines += [
        "",
        f"queries: {summary.queries} ({counts}); judged moments: {summary.moments_judged}",
        f"MRR@10 {summary.mrr:.3f}   nDCG@10 {summary.ndcg:.3f}   recall@10 {summary.recall:.3f}   "
        f"first moment at the answer {summary.first_moment:.3f}   any moment at the answer {summary.moment_recall:.3f}",
    ]
    return "\n".join(lines)


def comparison(rows_by_engine: dict[str, list[Row]]) -> str:
    """One line per measure, one column per engine, over the same judged queries."""
    figures_by_engine = {name: figures(rows) for name, rows in rows_by_engine.items()}
    measures = {
        "MRR@10": "mrr",
        "recall@10": "recall",
        "nDCG@10": "ndcg",
        "first moment at the answer": "first_moment",
        "any moment at the answer": "moment_recall",
    }
    lines = [f"{'measure (top 10)':<28}" + "".join(f"{name:>14}" for name in rows_by_engine)]
    for label, attribute in measures.items():
        values = "".join(f"{getattr(found, attribute):>14.3f}" for found in figures_by_engine.values())
        lines.append(f"{label:<28}{values}")
    return "\n".join(lines)


def _misses(row: Row) -> list[str]:
    """What a missed query got: the top ids, the relevant ids left out, the moments offered."""
    notes = []
    if row.first_rank != 1:
        notes.append("top: " + (", ".join(row.returned[:SHOWN_INSTEAD]) or "(no results)"))
    left_out = [item for item in row.judgment.grades if item not in row.returned[: metrics.K]]
    if row.returned and left_out and row.ndcg < ROW_NDCG_OK:
        notes.append("not in top 10: " + ", ".join(left_out))
    for (item, start), hit in zip(row.judgment.moments, row.moment_hits, strict=True):
        if not hit:
            offered = row.moment_starts.get(item)
            shown = "item not in top 10" if offered is None else ", ".join(f"{s:g}" for s in offered) or "none"
            notes.append(f"{item} @{start:g}s: moments at {shown}")
    return notes
