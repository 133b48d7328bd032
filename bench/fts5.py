"""The baseline beside us: SQLite FTS5 (`porter unicode61`) over the same segments and queries.

The FTS table lives in a file of its own beside the catalog (which is attached read-only),
so the product's database is never touched. A query returns the top 10 segments by bm25
with `snippet()`, computed for those 10 rows only. Queries are translated as typed: each
word quoted, phrases as phrases, AND between them, `-word` as NOT; FTS5 knows no typos,
relays or spelled numbers, so it just finds less for those.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from bench.queries import Query, Runner
from catalog.storage import store

FTS_FILE = "fts5-baseline.db"
PER_PAGE = 10
_PHRASE = re.compile(r'"([^"]*)"')


def _connect(data_dir: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{Path(data_dir) / FTS_FILE}", uri=True)
    conn.execute("attach database ? as cat", [f"file:{store.db_path(data_dir)}?mode=ro"])
    return conn


def build(data_dir: Path) -> dict:
    """Index every live segment into a fresh FTS5 table; wall time, rows and file size."""
    (Path(data_dir) / FTS_FILE).unlink(missing_ok=True)
    started = time.perf_counter()
    conn = _connect(data_dir)
    conn.execute(
        "create virtual table seg using fts5(text, item_id unindexed, seq unindexed, tokenize='porter unicode61')"
    )
    conn.execute(
        "insert into seg(text, item_id, seq) select s.text, s.item_id, s.seq from cat.segments s"
        " join cat.items i on i.id = s.item_id where i.status = 'live'"
    )
    conn.execute("insert into seg(seg) values ('optimize')")
    conn.commit()
    rows = conn.execute("select count(*) from seg").fetchone()[0]
    conn.close()
    wall = time.perf_counter() - started
    return {"wall_s": wall, "rows": rows, "size_mb": (Path(data_dir) / FTS_FILE).stat().st_size / 1e6}


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_match(text: str) -> str | None:
    """The FTS5 MATCH expression for what was typed; None when nothing is left to match."""
    phrases = [" ".join(p.split()) for p in _PHRASE.findall(text) if p.split()]
    rest = _PHRASE.sub(" ", text).replace('"', " ").split()
    excluded = [word[1:] for word in rest if word.startswith("-") and len(word) > 1]
    words = [word for word in rest if not word.startswith("-")]
    parts = [_quote(phrase) for phrase in phrases] + [_quote(word) for word in words]
    if not parts:
        return None
    return " AND ".join(parts) + "".join(f" NOT {_quote(word)}" for word in excluded)


def _sql(args: dict, match: str) -> tuple[str, list]:
    """Top segments for a query's arguments: filters and newest-first join the items table."""
    joined = bool(args.get("kind") or args.get("tag")) or args.get("sort") == "newest"
    sql = "select f.item_id, f.seq, snippet(seg, 0, '<mark>', '</mark>', '…', 16) from seg f"
    sql += " join cat.items i on i.id = f.item_id" if joined else ""
    sql += " where seg match ?"
    params: list = [match]
    if args.get("kind"):
        sql, params = sql + " and i.kind = ?", [*params, args["kind"]]
    if args.get("tag"):
        sql += " and exists (select 1 from json_each(i.tags) t where lower(t.value) = ?)"
        params.append(str(args["tag"]).lower())
    sql += " order by i.published desc" if args.get("sort") == "newest" else " order by rank"
    page = max(1, int(args.get("page", 1)))
    return sql + " limit ? offset ?", [*params, PER_PAGE, (page - 1) * PER_PAGE]


def runner(data_dir: Path) -> Runner:
    """Run one query of the log against the FTS table; returns its rows (none for an empty query)."""
    conn = _connect(data_dir)

    def run(query: Query) -> list:
        match = to_match(query.text)
        return conn.execute(*_sql(query.args, match)).fetchall() if match else []

    return run
