"""Moving everything a store holds into another, empty one: a database file
to a shared DuckLake and back (`python -m nps_core store migrate`).

One transaction on the target: it holds all of it or nothing. Afterwards the
responses and NPS of every dataset are counted on both sides, and a
difference is an error.
"""

from __future__ import annotations

from nps_core.base.metrics import nps_sql
from nps_core.base.sql import quote_ident
from nps_core.db import comment_index, duck
from nps_core.db.errors import StoreError, retry_conflicts
from nps_core.db.schema import TABLES
from nps_core.db.store import Store


def _columns(con, catalog: str, table: str) -> dict[str, str]:
    return dict(con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND table_name = ? "
        "ORDER BY column_index", [catalog, table]).fetchall())


def per_dataset(con, catalog: str) -> dict[str, tuple[int, float | None]]:
    """Responses and NPS of every dataset in the attached store `catalog`."""
    return {d: (n, None if v is None else round(v, 6)) for d, n, v in con.execute(
        f"SELECT dataset, count(*), {nps_sql()} FROM {catalog}.responses GROUP BY dataset ORDER BY dataset"
    ).fetchall()}


def migrate(source: Store, target: Store) -> dict:
    if source.spec == target.spec:
        raise StoreError("the source and the target are the same store")
    if not source.exists():
        raise StoreError(f"nothing to move: no store at {source.spec}")
    con = duck.connect()
    try:
        source.attach_for_read(con, "src")
        target.attach_for_write(con, "store")
        if con.execute("SELECT count(*) FROM store.datasets").fetchone()[0]:
            raise StoreError(f"{target.spec} holds datasets already: migrate into an empty store")
        tables = [t for t in TABLES if _columns(con, "src", t)]  # a file made by an older version lacks some

        def copy() -> dict[str, int]:
            copied = {}
            with target.transaction(con):
                theirs = _columns(con, "store", "responses")
                for name, typ in _columns(con, "src", "responses").items():  # a dataset's extra columns
                    if name not in theirs:
                        con.execute(f"ALTER TABLE store.responses ADD COLUMN {quote_ident(name)} {typ}")
                for table in tables:
                    con.execute(f"DELETE FROM store.{table}")  # the default alert rule a new store starts with
                    cols = ", ".join(quote_ident(c) for c in _columns(con, "src", table))
                    order = " ORDER BY responded_at" if table == "responses" else ""  # time order: date filters skip row groups
                    copied[table] = con.execute(
                        f"INSERT INTO store.{table} ({cols}) SELECT {cols} FROM src.{table}{order}").fetchone()[0]
                comment_index.build_missing(con)  # a file made by an older version has no Verbatims index
            return copied

        copied = retry_conflicts(copy, target.lock_timeout)
        before, after = per_dataset(con, "src"), per_dataset(con, "store")
    finally:
        con.close()
    if before != after:
        raise StoreError(f"the copy differs from the source: {before} against {after}")
    return {"from": source.spec, "to": target.spec, "rows": copied,
            "datasets": {d: {"responses": n, "nps": v} for d, (n, v) in after.items()}}
