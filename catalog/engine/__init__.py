"""The search engine seam: the one way into an index, for the indexer and the read side alike.

`build` and `extend` write a generation folder's index from items; `open_index` gives a
`SearchIndex` that answers with plain data (see catalog.engine.contract). Whoosh is the
engine (catalog.engine.whoosh); another one is a sibling subpackage chosen here.
"""

from catalog.engine.contract import (
    FACETS,
    FILTERS,
    TIME_BUDGET,
    Engine,
    EngineResult,
    Moment,
    OutdatedIndex,
    SearchIndex,
    UnreadableIndex,
)
from catalog.engine.whoosh import engine as whoosh_engine

_chosen: Engine = whoosh_engine  # a module that implements the contract

build = _chosen.build
extend = _chosen.extend
open_index = _chosen.open

__all__ = [
    "FACETS",
    "FILTERS",
    "TIME_BUDGET",
    "Engine",
    "EngineResult",
    "Moment",
    "OutdatedIndex",
    "SearchIndex",
    "UnreadableIndex",
    "build",
    "extend",
    "open_index",
]
