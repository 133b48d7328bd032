"""Paging through relevance-ranked results shows every match once, best first.

whoosh3's default top-k (matcher replacement) got this wrong for our queries when the
word sits in different fields of different items; the engine ranks exactly instead, and
its order is the order of Whoosh's own BM25F scores over every match.
"""

import random

from whoosh import query as wq

from catalog.engine.whoosh.schema import FIELD_WEIGHTS
from catalog.generations.live import LiveIndex
from catalog.search.query import parse
from catalog.storage import store
from catalog.storage.models import Chapter, Item, Segment
from indexer import build

from .helpers import whooshs_bm25f

FILLER = ["easy", "run", "strides", "hill", "mile", "pace"]


def item(n: int, rng: random.Random) -> Item:
    """ "tempo" in the title, the description, the tags or the transcript, by turns."""
    where = n % 4
    words = " ".join(rng.choice(FILLER) for _ in range(rng.randint(5, 400)))
    segments = tuple(
        Segment(("tempo " if where == 3 or rng.random() < 0.3 else "") + words, i * 20.0, i * 20.0 + 20)
        for i in range(rng.randint(1, 5))
    )
    return Item(
        id=f"article:a{n}",
        kind=rng.choice(["article", "video", "workout"]),
        title=f"Article {n}" + (" tempo" if where == 0 else ""),
        source="blog",
        description=("tempo " if where == 1 else "") + words[:200],
        tags=("tempo",) if where == 2 else (),
        segments=segments,
        chapters=(Chapter(0.0, "Intro tempo" if rng.random() < 0.2 else "Intro"),),
    )


def test_pages_partition_the_exact_ranking(fresh_data):
    rng = random.Random(7)
    db = store.open_for_writing(fresh_data)
    with db.atomic():
        for n in range(300):
            store.save_item(db, item(n, rng), "t")
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    generation = LiveIndex(fresh_data).current()
    index, query = generation.index, parse("tempo")
    whoosh = wq.Or([wq.Term(name, "tempo", boost=weight) for name, weight in FIELD_WEIGHTS.items()])
    exact = {
        hit["item_id"]: hit.score for hit in whooshs_bm25f(index.searcher, index.item_stats).search(whoosh, limit=None)
    }
    paged = []
    for page in range(1, 1 + -(-len(exact) // 10)):
        found = index.search(query, {}, page=page, per_page=10)
        assert found.total == len(exact)
        paged += found.item_ids
    assert len(paged) == len(set(paged)) and set(paged) == set(exact)
    scores = [exact[item_id] for item_id in paged]
    assert all(earlier >= later - 1e-9 for earlier, later in zip(scores, scores[1:], strict=False))
