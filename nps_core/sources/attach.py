"""Reaching a connected source: the registered Source, DuckDB's extension for
its kind, the read-only ATTACH, the relation a table or query becomes, and
one clear error line when any of it fails.

Shared by the live view (sources/live.py) and the registry (sources/registry.py).
"""


from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from nps_core.base.sql import quote_ident, quote_literal
from nps_core.db import connections, extensions
from nps_core.db.connections import SourceError, Target
from nps_core.db.errors import StoreError
from nps_core.db.store import Store

MODES = ("snapshot", "live")


SAMPLE_ROWS = 10_000  # rows read to guess the mapping and date order


EXTENSIONS = {"postgres": "postgres", "sqlite": "sqlite"}


INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT")


NUMERIC_TYPES = (*INTEGER_TYPES, "FLOAT", "DOUBLE", "DECIMAL")


# date types a live view reads as they are; a plain TIMESTAMP is even handed
# over uncast, so a date filter reaches the source's own scan
TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE", "DATE")


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url_ref: str
    table_name: str | None
    query: str | None
    mapping: dict[str, str]
    headers: list[str]
    nps_type: str | None
    date_order: str
    mode: str
    cursor_column: str | None
    cursor_value: str | None


# -- reaching a source ---------------------------------------------------------
def load_extension(con, kind: str) -> None:
    """Load DuckDB's extension for `kind` from its PyPI package (no download at run time)."""
    ext = EXTENSIONS.get(kind)
    if ext is None:
        return
    try:
        extensions.load(con, ext)
    except extensions.ExtensionMissing as exc:
        raise SourceError(str(exc)) from None


def attach_sql(t: Target, alias: str) -> str | None:
    if t.kind == "parquet":
        return None  # read_parquet reads files; nothing to attach
    options = {"postgres": "TYPE postgres, READ_ONLY", "sqlite": "TYPE sqlite, READ_ONLY",
               "duckdb": "READ_ONLY"}[t.kind]
    return f"ATTACH {quote_literal(t.location)} AS {alias} ({options})"


# The role's superuser flag and one table it could change, if any (system schemas aside).
_ROLE_SQL = """SELECT r.rolsuper,
  (SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
     AND n.nspname NOT LIKE 'pg\\_%' AND has_table_privilege(c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE')
   ORDER BY 1 LIMIT 1)
FROM pg_roles r WHERE r.rolname = current_user"""


def attach_checked(con, t: Target, name: str, alias: str = "src") -> None:
    """Attach a source to add, inspect or refresh it; a PostgreSQL role that
    could write (a superuser, or any INSERT/UPDATE/DELETE/TRUNCATE right in
    the database) is refused: the dashboard reads with a read-only role."""
    attach = attach_sql(t, alias)
    if attach is None:
        return
    con.execute(attach)
    if t.kind != "postgres":
        return
    superuser, writable = con.execute(
        f"SELECT * FROM postgres_query({quote_literal(alias)}, {quote_literal(_ROLE_SQL)})").fetchone()
    if superuser or writable:
        why = "is a superuser" if superuser else f"may change {writable}"
        raise SourceError(f"source {name}: the database role {why}; connect with a role that may only read "
                          "(GRANT SELECT, nothing else: see docs/features.md, Connecting a database)")


def check_files(name: str, t: Target) -> None:
    if t.kind != "postgres" and not Path(t.location).exists():
        raise SourceError(f"source {name}: no such file or folder {t.label}")


def check_query(query: str) -> str:
    """One read-only SELECT (or WITH … SELECT), nothing else."""
    text = query.strip().rstrip(";").strip()
    if not re.match(r"(?is)^(select|with)\b", text):
        raise SourceError("the query must be a single SELECT (or WITH … SELECT) statement")
    if ";" in text:
        raise SourceError("the query must be a single statement (no ';' inside)")
    return text


def relation_sql(t: Target, alias: str, table: str | None, query: str | None) -> str:
    if t.kind == "parquet":
        path = Path(t.location)
        pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
        return f"read_parquet({quote_literal(pattern)}, union_by_name = true)"
    if query:
        # PostgreSQL's own dialect, run by the server inside DuckDB's READ ONLY transaction
        return f"postgres_query({quote_literal(alias)}, {quote_literal(check_query(query))})"
    parts = [p.strip().strip('"') for p in (table or "").split(".")]
    if not table or len(parts) > 2 or not all(parts):
        raise SourceError(f"not a table name: {table!r} (use TABLE or SCHEMA.TABLE)")
    return ".".join([alias, *(quote_ident(p) for p in parts)])


def source_columns(con, relation: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def text_sql(column_sql: str, typ: str) -> str:
    # local wall-clock time for a timestamp with time zone, as the rest of the store
    inner = f"CAST({column_sql} AS TIMESTAMP)" if typ.startswith("TIMESTAMP WITH TIME ZONE") else column_sql
    return f"CAST({inner} AS VARCHAR)"


def _as_text(column: str, typ: str) -> str:
    return f"{text_sql(quote_ident(column), typ)} AS {quote_ident(column)}"


def text_relation(relation: str, columns: dict[str, str], headers: list[str], where: str = "") -> str:
    """The source as the upload path sees a file: text columns and a row number."""
    cols = ", ".join(_as_text(h, columns[h]) for h in headers)
    return f"SELECT row_number() OVER () AS _row, {cols} FROM {relation} {where}"


def fail(name: str, exc: Exception, location: str | None) -> SourceError:
    if "statement timeout" in str(exc):
        return SourceError(f"source {name}: the database did not answer within {connections.timeout_s():g} s "
                           f"({connections.TIMEOUT_VAR}); narrow the query or raise the limit")
    return SourceError(f"source {name}: {connections.scrub(str(exc), location)}")


def check_columns(name: str, needed, columns: dict[str, str], where: str) -> None:
    gone = [c for c in needed if c not in columns]
    if gone:
        raise SourceError(f"source {name}: column {', '.join(map(repr, gone))} no longer exists in {where}")


# -- the registry ----------------------------------------------------------------
_FIELDS = ("name", "kind", "url_ref", "table_name", "query", "mapping", "headers", "nps_type", "date_order",
           "mode", "cursor_column", "cursor_value")


def _row_to_source(row) -> Source:
    d = dict(zip(_FIELDS, row))
    d["mapping"], d["headers"] = json.loads(d["mapping"]), json.loads(d["headers"])
    return Source(**d)


def lookup(con, name: str, mode: str | None = None) -> Source | None:
    try:
        row = con.execute(f"SELECT {', '.join(_FIELDS)} FROM sources WHERE name = ?", [name]).fetchone()
    except duckdb.CatalogException:  # a store made before sources existed
        return None
    src = row and _row_to_source(row)
    return src if src and (mode is None or src.mode == mode) else None


def get_source(store: Store, name: str) -> Source:
    with store.read() as con:
        src = lookup(con, name)
    if src is None:
        raise StoreError(f"unknown source {name!r}; add it with: source add {name} --url … --table …")
    return src


