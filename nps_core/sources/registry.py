"""Connected sources: PostgreSQL, SQLite, DuckDB files and Parquet, read through DuckDB.

A source is a dataset whose rows live in someone else's database:

* **snapshot**: copied into the local `responses` table through the same
  validate-and-store path as a file upload (`ingest.importer.store_raw`); a refresh
  reads only the rows whose cursor column (an id or timestamp) is above the
  highest one already copied;
* **live**: nothing is copied. Whenever a reader resolves the dataset,
  the source is attached read-only and a temporary view `responses` over it,
  with the canonical columns and the upload's validation rules, shadows the
  local table for that one connection, so every aggregate runs unchanged.
  Where the date column is a date or timestamp and the score an integer
  (`live_path`), the view reads them as they are (a TIMESTAMP uncast, so
  DuckDB hands the dashboard's date filter to PostgreSQL or the Parquet scan
  instead of pulling every row; DuckDB's SQLite scan takes no filters, but
  the parsing is saved); other sources are read as text and parsed like a file.

Never a write to a customer's database: every attach is READ_ONLY (for
PostgreSQL DuckDB then opens each transaction READ ONLY, so even a
data-modifying query is refused by the server), and a query must be one
SELECT. Connection details are references (see connections.py).
"""


from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd

from nps_core.base.sql import quote_ident
from nps_core.db import audit, connections, duck
from nps_core.db.connections import SourceError
from nps_core.db.errors import StoreError
from nps_core.db.staging import Staging
from nps_core.db.store import Store
from nps_core.ingest.importer import (
    ImportResult,
    Progress,
    Settled,
    analysed,
    check_mapping,
    fitting_pack,
    give_pack,
    settle,
    store_raw,
)
from nps_core.ingest.rules import (
    check_options,
    parsed_sql,
    staged_sql,
)
from nps_core.sources.attach import (
    MODES,
    SAMPLE_ROWS,
    Source,
    attach_checked,
    check_columns,
    check_files,
    check_query,
    fail,
    get_source,
    load_extension,
    relation_sql,
    source_columns,
    text_relation,
)
from nps_core.sources.live import (
    live_extras,
)


class _Connected:
    """A source attached to a private DuckDB connection (for adding and refreshing)."""

    def __init__(self, name: str, url_ref: str, table: str | None, query: str | None):
        self.name = name
        self.target = connections.target(url_ref)
        if query and self.target.kind != "postgres":
            raise SourceError("a query is sent to PostgreSQL as written; for a file source choose a table")
        if not query and not table and self.target.kind != "parquet":
            raise SourceError(f"source {name}: choose a table (--table) or a query (--query)")
        check_files(name, self.target)
        self._staging = Staging()
        self.con = self._staging.con
        try:
            load_extension(self.con, self.target.kind)
            attach_checked(self.con, self.target, name)
            self.relation = relation_sql(self.target, "src", table, query)
            self.columns = source_columns(self.con, self.relation)
        except SourceError:
            self.close()
            raise
        except duckdb.Error as exc:
            self.close()
            raise fail(name, exc, self.target.location) from None

    def run(self, sql: str, params=()):
        try:
            return self.con.execute(sql, list(params))
        except duckdb.Error as exc:
            raise fail(self.name, exc, self.target.location) from None

    def close(self):
        self._staging.close()


def list_sources(store: Store) -> list[dict]:
    """Every source with its mode, where it reads from (a reference, never a
    password) and its last refresh."""
    if not store.exists():
        return []
    with store.read() as con:
        try:
            rows = con.execute(
                "SELECT name, kind, mode, url_ref, coalesce(table_name, query), cursor_column, cursor_value, "
                "refreshed_at FROM sources ORDER BY name"
            ).fetchall()
        except duckdb.CatalogException:
            return []
    keys = ("name", "kind", "mode", "connection", "reads", "cursor", "cursor_value", "refreshed_at")
    return [{**dict(zip(keys, r)), "refreshed_at": r[7] and r[7].isoformat(timespec="seconds")} for r in rows]


# -- adding, inspecting, refreshing -------------------------------------------------
def inspect_source(url_ref: str, table: str | None = None, query: str | None = None,
                   mapping: dict[str, str] | None = None, date_order: str = "auto",
                   preview_rows: int = 20) -> tuple[list[str], Settled, pd.DataFrame]:
    """Columns, guessed mapping (from a sample) and first rows of a table or query."""
    check_options(None, date_order)
    src = _Connected("(new)", connections.check_reference(url_ref), table, query)
    try:
        headers = list(src.columns)
        src.run(f"CREATE TABLE raw AS {text_relation(src.relation, src.columns, headers)} LIMIT {SAMPLE_ROWS}")
        settled = settle(src.con, headers, mapping, date_order)
        preview = src.run("SELECT * EXCLUDE (_row) FROM raw ORDER BY _row LIMIT ?", [preview_rows]).df()
        return headers, settled, preview
    finally:
        src.close()


def list_tables(url_ref: str) -> list[str]:
    """Tables and views a source offers (SCHEMA.TABLE outside the default schema)."""
    t = connections.target(connections.check_reference(url_ref))
    if t.kind == "parquet":
        return []
    check_files("(new)", t)
    con = duck.connect()
    try:
        load_extension(con, t.kind)
        attach_checked(con, t, "(new)")
        rows = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'src' "
            "UNION SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'src' AND NOT internal "
            "ORDER BY ALL"
        ).fetchall()
    except duckdb.Error as exc:
        raise fail("(new)", exc, t.location) from None
    finally:
        con.close()
    return [tbl if schema in ("public", "main") else f"{schema}.{tbl}" for schema, tbl in rows]


def add_source(store: Store, name: str, url: str, table: str | None = None, query: str | None = None,
               mapping: dict[str, str] | None = None, nps_type: str | None = None, mode: str = "snapshot",
               cursor: str | None = None, date_order: str = "auto",
               progress: Progress | None = None, analyse: bool = True) -> ImportResult:
    """Register a source (and, for a snapshot, copy it): all or nothing.
    `analyse`: as importer.import_file's."""
    name = (name or "").strip()
    store.access.require("connect_source", name)
    if not re.fullmatch(r"[0-9A-Za-z_][0-9A-Za-z_-]*", name):
        raise StoreError(f"a source name is letters, digits, - and _: {name!r}")
    if mode not in MODES:
        raise StoreError(f"unknown mode {mode!r}; choose {' or '.join(MODES)}")
    check_options(nps_type, date_order)
    url_ref = connections.check_reference(url)
    if store.exists():
        with store.read() as con:
            taken = con.execute("SELECT count(*) FROM datasets WHERE name = ?", [name]).fetchone()[0]
        if taken:
            raise StoreError(f"a dataset named {name!r} exists already; choose another name")
    src = _Connected(name, url_ref, table, query)
    try:
        if src.target.kind != "postgres":  # also the store this command writes to (--db)
            connections.outside_store(Path(src.target.location), src.target.label, store.path)
        headers = list(src.columns)
        if cursor is not None:
            check_columns(name, [cursor], src.columns, "the source")
        src.run(f"CREATE TABLE raw AS {text_relation(src.relation, src.columns, headers)} LIMIT {SAMPLE_ROWS}")
        settled = settle(src.con, headers, mapping, date_order)
        check_mapping(f"source {name}", headers, settled.mapping, nps_type)
        if query:
            query = check_query(query)
        source = Source(name, src.target.kind, url_ref, table, query, settled.mapping, headers, nps_type,
                        settled.date_order, mode, cursor, None)
        columns = src.columns
    finally:
        src.close()
    if mode == "snapshot":
        result = _copy(store, source, progress, new=True, analyse=analyse)
        audit.log(store, "connect_source", name, {"kind": source.kind, "mode": mode, "imported": result.imported})
        return result
    result = _live_counts(source)
    with store.write() as con:
        with store.transaction(con):
            _register(con, source)
            con.execute("INSERT INTO datasets (name, source) VALUES (?, ?)", [name, f"{source.kind}:{url_ref}"])
            for header, column, typ in live_extras(source, columns):
                con.execute("INSERT INTO dataset_columns VALUES (?, ?, ?, ?)", [name, column, typ, header])
            con.execute("UPDATE sources SET refreshed_at = now() WHERE name = ?", [name])
            audit.record(con, store, "connect_source", name, {"kind": source.kind, "mode": mode})
    return result


def _register(con, s: Source) -> None:
    con.execute(
        "INSERT INTO sources (name, kind, url_ref, table_name, query, mapping, headers, nps_type, date_order, "
        "mode, cursor_column) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [s.name, s.kind, s.url_ref, s.table_name, s.query, json.dumps(s.mapping), json.dumps(s.headers),
         s.nps_type, s.date_order, s.mode, s.cursor_column],
    )


def refresh_source(store: Store, name: str, progress: Progress | None = None, analyse: bool = True) -> ImportResult:
    """Snapshot: copy the new rows. Live: check the source and count what the
    dashboard will use; both mark the refresh, which clears the dashboard's cache.
    `analyse`: as importer.import_file's."""
    store.access.require("connect_source", name)
    source = get_source(store, name)
    if source.mode == "snapshot":
        result = _copy(store, source, progress, new=False, analyse=analyse)
        audit.log(store, "refresh_source", name, {"imported": result.imported})
        return result
    result = _live_counts(source)
    with store.write() as con:
        con.execute("UPDATE sources SET refreshed_at = now() WHERE name = ?", [name])
        audit.record(con, store, "refresh_source", name)
    return result


def _copy(store: Store, s: Source, progress: Progress | None, new: bool, analyse: bool) -> ImportResult:
    report = progress or (lambda fraction, message: None)
    report(0.02, "connecting")
    src = _Connected(s.name, s.url_ref, s.table_name, s.query)
    try:
        check_columns(s.name, [*s.mapping.values(), *([s.cursor_column] if s.cursor_column else [])],
                       src.columns, s.table_name or "the query")
        headers = list(src.columns)
        where, params = "", []
        if s.cursor_column and s.cursor_value is not None:
            cursor_type = src.columns[s.cursor_column]
            where = f"WHERE {quote_ident(s.cursor_column)} > CAST(? AS {cursor_type})"
            params = [s.cursor_value]
        report(0.05, "reading")
        src.run(f"CREATE TABLE raw AS {text_relation(src.relation, src.columns, headers, where)}", params)
        rows = src.run("SELECT count(*) FROM raw").fetchone()[0]
        new_cursor = None
        if s.cursor_column:
            new_cursor = src.run(
                f"SELECT CAST(max(CAST({quote_ident(s.cursor_column)} AS {src.columns[s.cursor_column]})) AS VARCHAR)"
                " FROM raw"
            ).fetchone()[0]

        def record(con):
            if new:
                _register(con, s)
            con.execute(
                "UPDATE sources SET refreshed_at = now(), cursor_value = coalesce(?, cursor_value) WHERE name = ?",
                [new_cursor, s.name],
            )

        settled = Settled(s.mapping, s.date_order, False, rows)
        choice = fitting_pack(src.con, s.mapping) if new else None  # as a file's import: the pack its comments fit
        result = store_raw(store, src.con, f"source {s.name}", f"{s.kind}:{s.url_ref}", headers, settled,
                           s.name, s.nps_type, report=report, before_commit=record)
    finally:
        src.close()
    if choice:
        give_pack(store, result, choice)
    if analyse:
        analysed(store, report)
    return result


def _live_counts(s: Source) -> ImportResult:
    src = _Connected(s.name, s.url_ref, s.table_name, s.query)
    try:
        check_columns(s.name, s.mapping.values(), src.columns, s.table_name or "the query")
        headers = [h for h in s.headers if h in src.columns]
        parsed = parsed_sql(f"({text_relation(src.relation, src.columns, headers)})", s.mapping, headers,
                            s.nps_type, s.date_order)
        counts = dict(src.run(
            f"SELECT reason, count(*) FROM ({staged_sql(f'({parsed}) p', number_repeats=False)}) GROUP BY reason"
        ).fetchall())
    finally:
        src.close()
    valid = int(counts.pop(None, 0))
    reasons = {k: int(v) for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}
    rejected = sum(reasons.values())
    return ImportResult(read=valid + rejected, imported=valid, duplicates=0, rejected=rejected,
                        reasons=reasons, dataset=s.name)


