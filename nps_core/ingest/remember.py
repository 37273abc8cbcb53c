"""Column mappings confirmed by an import, recalled for files with the same headers.

A mapping is kept per dataset and set of headers (order and case of the
headers do not matter); the next file with those headers is read with it
instead of a guess, so a monthly export of the same survey imports without
questions. The user lists and deletes them (Upload page, `mappings` command).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from nps_core.base.sql import next_id_sql
from nps_core.db.errors import StoreError
from nps_core.db.store import Store


_COLUMNS = "mapping_id, dataset, headers, mapping, nps_type, date_order, saved_at, theme_pack"


def headers_key(headers: list[str]) -> str:
    return hashlib.md5("\x1f".join(sorted(h.strip().lower() for h in headers)).encode()).hexdigest()


def remember(con, dataset: str, headers: list[str], mapping: dict[str, str], nps_type: str | None,
             date_order: str, theme_pack: str | None = None) -> None:
    """Keep `mapping` for `dataset` and this set of headers, with the programme
    type, date order and theme pack the import used (on a connection with the
    store attached as `store`, inside the import's transaction)."""
    # delete and insert, no upsert: a DuckLake store has no keys (db/lake.py)
    key = headers_key(headers)
    con.execute("DELETE FROM store.remembered_mappings WHERE dataset = ? AND headers_key = ?", [dataset, key])
    con.execute(
        f"""INSERT INTO store.remembered_mappings
            ({_COLUMNS.replace("headers,", "headers_key, headers,")})
            VALUES ({next_id_sql('store.remembered_mappings', 'mapping_id')}, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [dataset, key, json.dumps(headers), json.dumps(mapping), nps_type, date_order,
         dt.datetime.now().replace(microsecond=0), theme_pack],
    )


def _row(r) -> dict:
    return {"id": r[0], "dataset": r[1], "headers": json.loads(r[2]), "mapping": json.loads(r[3]),
            "nps_type": r[4], "date_order": r[5], "saved_at": r[6].isoformat(sep=" "), "theme_pack": r[7]}


def recall(store: Store, headers: list[str], dataset: str | None = None) -> dict | None:
    """The remembered mapping for these headers: the one kept for `dataset`
    when there is one, else the most recently saved one."""
    if not store.exists():
        return None
    store.ensure_schema()
    with store.read() as con:
        r = con.execute(
            f"SELECT {_COLUMNS} FROM remembered_mappings WHERE headers_key = ? "
            "ORDER BY (dataset = ?) DESC, saved_at DESC, mapping_id DESC LIMIT 1",
            [headers_key(headers), dataset or ""],
        ).fetchone()
    return _row(r) if r else None


def list_remembered(store: Store) -> list[dict]:
    if not store.exists():
        return []
    store.ensure_schema()
    with store.read() as con:
        rows = con.execute(f"SELECT {_COLUMNS} FROM remembered_mappings ORDER BY dataset, saved_at DESC").fetchall()
    return [_row(r) for r in rows]


def forget(store: Store, mapping_id: int) -> None:
    with store.write("upload") as con, store.transaction(con):
        gone = con.execute("SELECT count(*) FROM remembered_mappings WHERE mapping_id = ?", [mapping_id]).fetchone()[0]
        con.execute("DELETE FROM remembered_mappings WHERE mapping_id = ?", [mapping_id])
    if not gone:
        raise StoreError(f"no remembered mapping with id {mapping_id}")
