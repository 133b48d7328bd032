"""Ranking metrics for the relevance harness: MRR@k, graded nDCG@k, recall@k, moments at the answer.

Plain functions over ranked item ids and judged grades, so they can be checked by hand
on tiny examples without building a catalog.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

K = 10
MOMENT_WINDOW = 10.0  # seconds either side of a judged moment (the sample's judged set)
ANSWER_WINDOW = 15.0  # the same on real material, whose answers are judged to the sentence


def first_relevant_rank(ranked: Sequence[str], relevant: Collection[str], k: int = K) -> int | None:
    """The 1-based rank of the first relevant id within the top k, or None."""
    return next((rank for rank, item in enumerate(ranked[:k], 1) if item in relevant), None)


def reciprocal_rank(ranked: Sequence[str], relevant: Collection[str], k: int = K) -> float:
    """1 / rank of the first relevant id within the top k; 0 when none is there."""
    rank = first_relevant_rank(ranked, relevant, k)
    return 1 / rank if rank else 0.0


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain: gain at rank r divided by log2(r + 1)."""
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, 1))


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """nDCG@k with the grade as the gain; the ideal ranking sorts the judged grades."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([grades.get(item, 0) for item in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[str], relevant: Collection[str], k: int = K) -> float:
    """The share of the relevant ids found within the top k."""
    return len(set(ranked[:k]) & set(relevant)) / len(relevant) if relevant else 1.0


def moment_found(
    results: Sequence[Mapping],
    item_id: str,
    start: float,
    k: int = K,
    window: float = MOMENT_WINDOW,
    first_only: bool = False,
) -> bool:
    """Whether `item_id`, within the top k results, carries a moment starting within `window` s of
    `start` (with `first_only`, its first moment, the one a visitor sees first, must).

    `results` are /api/search result documents: `{"id", "moments": [{"start", ...}]}`.
    """
    for result in results[:k]:
        if result["id"] == item_id:
            moments = result["moments"][:1] if first_only else result["moments"]
            return any(m["start"] is not None and abs(m["start"] - start) <= window for m in moments)
    return False


def recall(found: int, judged: int) -> float:
    """found / judged; 1.0 when nothing was judged (there was nothing to miss)."""
    return found / judged if judged else 1.0
