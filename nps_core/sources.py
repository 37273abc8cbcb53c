"""Connected sources: PostgreSQL, SQLite, DuckDB files and Parquet, read through DuckDB.

A source is a dataset whose rows live in someone else's database:

* **snapshot**: copied into the local `responses` table through the same
  validate-and-store path as a file upload (`ingest.store_raw`); a refresh
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

import hashlib
import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from nps_core import connections
from nps_core.connections import SourceError, Target
from nps_core.ingest import (
    ImportResult,
    Progress,
    Settled,
    check_mapping,
    check_options,
    nps_type_sql,
    parsed_sql,
    row_hash_sql,
    settle,
    staged_sql,
    store_raw,
    value_sql,
)
from nps_core.numbers import number_sql
from nps_core.staging import Staging
from nps_core.store import (
    TEXT_FIELDS,
    Store,
    StoreError,
    attach_source,
    column_name_for,
    quote_ident,
    quote_literal,
)

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
    """Load DuckDB's extension for `kind`, installing it from its PyPI package
    (duckdb-extension-postgres / -sqlite, pinned to DuckDB's version) when
    it is not installed yet: no download at run time."""
    ext = EXTENSIONS.get(kind)
    if ext is None:
        return
    try:
        con.execute(f"LOAD {ext}")
        return
    except duckdb.Error:
        pass
    package = f"duckdb_extension_{ext}"
    try:
        path = importlib.resources.files(package) / "extensions" / f"v{duckdb.__version__}" / f"{ext}.duckdb_extension"
    except ModuleNotFoundError:
        raise SourceError(f"DuckDB's {ext} extension is missing: pip install duckdb-extension-{ext}=="
                          f"{duckdb.__version__}") from None
    con.execute(f"INSTALL {quote_literal(str(path))}")
    con.execute(f"LOAD {ext}")


def _attach_sql(t: Target, alias: str) -> str | None:
    if t.kind == "parquet":
        return None  # read_parquet reads files; nothing to attach
    options = {"postgres": "TYPE postgres, READ_ONLY", "sqlite": "TYPE sqlite, READ_ONLY",
               "duckdb": "READ_ONLY"}[t.kind]
    return f"ATTACH {quote_literal(t.location)} AS {alias} ({options})"


def _check_files(name: str, t: Target) -> None:
    if t.kind != "postgres" and not Path(t.location).exists():
        raise SourceError(f"source {name}: no such file or folder {t.location}")


def check_query(query: str) -> str:
    """One read-only SELECT (or WITH … SELECT), nothing else."""
    text = query.strip().rstrip(";").strip()
    if not re.match(r"(?is)^(select|with)\b", text):
        raise SourceError("the query must be a single SELECT (or WITH … SELECT) statement")
    if ";" in text:
        raise SourceError("the query must be a single statement (no ';' inside)")
    return text


def _relation(t: Target, alias: str, table: str | None, query: str | None) -> str:
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


def _columns(con, relation: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def _text_sql(column_sql: str, typ: str) -> str:
    # local wall-clock time for a timestamp with time zone, as the rest of the store
    inner = f"CAST({column_sql} AS TIMESTAMP)" if typ.startswith("TIMESTAMP WITH TIME ZONE") else column_sql
    return f"CAST({inner} AS VARCHAR)"


def _as_text(column: str, typ: str) -> str:
    return f"{_text_sql(quote_ident(column), typ)} AS {quote_ident(column)}"


def _text_relation(relation: str, columns: dict[str, str], headers: list[str], where: str = "") -> str:
    """The source as the upload path sees a file: text columns and a row number."""
    cols = ", ".join(_as_text(h, columns[h]) for h in headers)
    return f"SELECT row_number() OVER () AS _row, {cols} FROM {relation} {where}"


def _fail(name: str, exc: Exception, location: str | None) -> SourceError:
    return SourceError(f"source {name}: {connections.scrub(str(exc), location)}")


class _Connected:
    """A source attached to a private DuckDB connection (for adding and refreshing)."""

    def __init__(self, name: str, url_ref: str, table: str | None, query: str | None):
        self.name = name
        self.target = connections.target(url_ref)
        if query and self.target.kind != "postgres":
            raise SourceError("a query is sent to PostgreSQL as written; for a file source choose a table")
        if not query and not table and self.target.kind != "parquet":
            raise SourceError(f"source {name}: choose a table (--table) or a query (--query)")
        _check_files(name, self.target)
        self._staging = Staging()
        self.con = self._staging.con
        try:
            load_extension(self.con, self.target.kind)
            attach = _attach_sql(self.target, "src")
            if attach:
                self.con.execute(attach)
            self.relation = _relation(self.target, "src", table, query)
            self.columns = _columns(self.con, self.relation)
        except SourceError:
            self.close()
            raise
        except duckdb.Error as exc:
            self.close()
            raise _fail(name, exc, self.target.location) from None

    def run(self, sql: str, params=()):
        try:
            return self.con.execute(sql, list(params))
        except duckdb.Error as exc:
            raise _fail(self.name, exc, self.target.location) from None

    def close(self):
        self._staging.close()


def _check_columns(name: str, needed, columns: dict[str, str], where: str) -> None:
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


def _lookup(con, name: str, mode: str | None = None) -> Source | None:
    try:
        row = con.execute(f"SELECT {', '.join(_FIELDS)} FROM sources WHERE name = ?", [name]).fetchone()
    except duckdb.CatalogException:  # a store made before sources existed
        return None
    src = row and _row_to_source(row)
    return src if src and (mode is None or src.mode == mode) else None


def get_source(store: Store, name: str) -> Source:
    with store.read() as con:
        src = _lookup(con, name)
    if src is None:
        raise StoreError(f"unknown source {name!r}; add it with: source add {name} --url … --table …")
    return src


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
        src.run(f"CREATE TABLE raw AS {_text_relation(src.relation, src.columns, headers)} LIMIT {SAMPLE_ROWS}")
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
    _check_files("(new)", t)
    con = duckdb.connect()
    try:
        load_extension(con, t.kind)
        con.execute(_attach_sql(t, "src"))
        rows = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'src' "
            "UNION SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'src' AND NOT internal "
            "ORDER BY ALL"
        ).fetchall()
    except duckdb.Error as exc:
        raise _fail("(new)", exc, t.location) from None
    finally:
        con.close()
    return [tbl if schema in ("public", "main") else f"{schema}.{tbl}" for schema, tbl in rows]


def add_source(store: Store, name: str, url: str, table: str | None = None, query: str | None = None,
               mapping: dict[str, str] | None = None, nps_type: str | None = None, mode: str = "snapshot",
               cursor: str | None = None, date_order: str = "auto",
               progress: Progress | None = None) -> ImportResult:
    """Register a source (and, for a snapshot, copy it): all or nothing."""
    name = (name or "").strip()
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
        headers = list(src.columns)
        if cursor is not None:
            _check_columns(name, [cursor], src.columns, "the source")
        src.run(f"CREATE TABLE raw AS {_text_relation(src.relation, src.columns, headers)} LIMIT {SAMPLE_ROWS}")
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
        return _copy(store, source, progress, new=True)
    result = _live_counts(source)
    with store.write() as con:
        con.execute("BEGIN")
        _register(con, source)
        con.execute("INSERT INTO datasets (name, source) VALUES (?, ?)", [name, f"{source.kind}:{url_ref}"])
        for header, column, typ in _live_extras(source, columns):
            con.execute("INSERT INTO dataset_columns VALUES (?, ?, ?, ?)", [name, column, typ, header])
        con.execute("UPDATE sources SET refreshed_at = now() WHERE name = ?", [name])
        con.execute("COMMIT")
    return result


def _register(con, s: Source) -> None:
    con.execute(
        "INSERT INTO sources (name, kind, url_ref, table_name, query, mapping, headers, nps_type, date_order, "
        "mode, cursor_column) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [s.name, s.kind, s.url_ref, s.table_name, s.query, json.dumps(s.mapping), json.dumps(s.headers),
         s.nps_type, s.date_order, s.mode, s.cursor_column],
    )


def refresh_source(store: Store, name: str, progress: Progress | None = None) -> ImportResult:
    """Snapshot: copy the new rows. Live: check the source and count what the
    dashboard will use; both mark the refresh, which clears the dashboard's cache."""
    source = get_source(store, name)
    if source.mode == "snapshot":
        return _copy(store, source, progress, new=False)
    result = _live_counts(source)
    with store.write() as con:
        con.execute("UPDATE sources SET refreshed_at = now() WHERE name = ?", [name])
    return result


def _copy(store: Store, s: Source, progress: Progress | None, new: bool) -> ImportResult:
    report = progress or (lambda fraction, message: None)
    report(0.02, "connecting")
    src = _Connected(s.name, s.url_ref, s.table_name, s.query)
    try:
        _check_columns(s.name, [*s.mapping.values(), *([s.cursor_column] if s.cursor_column else [])],
                       src.columns, s.table_name or "the query")
        headers = list(src.columns)
        where, params = "", []
        if s.cursor_column and s.cursor_value is not None:
            cursor_type = src.columns[s.cursor_column]
            where = f"WHERE {quote_ident(s.cursor_column)} > CAST(? AS {cursor_type})"
            params = [s.cursor_value]
        report(0.05, "reading")
        src.run(f"CREATE TABLE raw AS {_text_relation(src.relation, src.columns, headers, where)}", params)
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
        return store_raw(store, src.con, f"source {s.name}", f"{s.kind}:{s.url_ref}", headers, settled,
                         s.name, s.nps_type, report=report, before_commit=record)
    finally:
        src.close()


# -- live ------------------------------------------------------------------------
def _live_extras(s: Source, columns: dict[str, str]):
    """(header, column name, type) of the extra columns a live view carries:
    DOUBLE where the source column is numeric, else text."""
    out, taken = [], set()
    for h in s.headers:
        if h in s.mapping.values() or h not in columns:
            continue
        col, k = column_name_for(h), 2
        while col in taken:
            col, k = f"{column_name_for(h)}_{k}", k + 1
        taken.add(col)
        out.append((h, col, "DOUBLE" if columns[h].split("(")[0] in NUMERIC_TYPES else "VARCHAR"))
    return out


def _extras_sql(extras, text_of) -> str:
    return "".join(
        f", {number_sql(text_of(h)) if typ == 'DOUBLE' else text_of(h)} AS {quote_ident(col)}"
        for h, col, typ in extras
    )


def live_path(s: Source, columns: dict[str, str]) -> str:
    """How a live view reads the source: "native" when its date column is a
    date or timestamp and its score an integer (or a decimal the text path
    reads the same), so DuckDB can hand filters to the source's scan; else
    "text", every value parsed as in an upload."""
    date_type = columns[s.mapping["responded_at"]]
    scale = _decimal_scale(columns[s.mapping["score"]])
    # a scale of 3 writes 9 as "9.000", which the upload reads as nine thousand
    # (a Dutch thousands separator): such a column stays on the text path
    score_ok = columns[s.mapping["score"]] in INTEGER_TYPES or scale not in (None, 3)
    return "native" if date_type in TIMESTAMP_TYPES and score_ok else "text"


def _decimal_scale(typ: str) -> int | None:
    found = re.fullmatch(r"DECIMAL\(\d+,(\d+)\)", typ)
    return int(found.group(1)) if found else None


def _native_select(s: Source, relation: str, columns: dict[str, str], extras) -> str:
    """The text path's rows and values, from columns read as they are: the
    date and score conditions are a WHERE on the source's own columns, and a
    plain TIMESTAMP date goes out uncast, so DuckDB pushes both (and the
    dashboard's date filter) into the PostgreSQL or Parquet scan."""
    headers = [h for h in s.headers if h in columns]

    def text_of(h):
        return _text_sql(f"raw.{quote_ident(h)}", columns[h])

    def value(fieldname):
        return value_sql(text_of(s.mapping[fieldname])) if fieldname in s.mapping else "CAST(NULL AS VARCHAR)"

    # qualified: a source column may be called like the spellings table's (nps_type, alias)
    date_col, date_type = f"raw.{quote_ident(s.mapping['responded_at'])}", columns[s.mapping["responded_at"]]
    score_col = f"raw.{quote_ident(s.mapping['score'])}"
    response_id = value("response_id")
    row_hash = row_hash_sql([text_of(h) for h in headers], response_id if "response_id" in s.mapping else None)
    nps_type, type_join = nps_type_sql(value("nps_type"), s.nps_type)
    whole = f" AND {score_col} = round({score_col})" if _decimal_scale(columns[s.mapping["score"]]) else ""
    return f"""
        SELECT {quote_literal(s.name)} AS dataset, coalesce({response_id}, {row_hash}) AS response_id,
               {date_col if date_type == "TIMESTAMP" else f"CAST({date_col} AS TIMESTAMP)"} AS responded_at,
               CAST({score_col} AS TINYINT) AS score, {nps_type} AS nps_type,
               {', '.join(f'{value(f)} AS {f}' for f in TEXT_FIELDS)},
               CAST(NULL AS INTEGER) AS import_id{_extras_sql(extras, text_of)}
        FROM {relation} raw {type_join}
        WHERE {score_col} BETWEEN 0 AND 10{whole}
          -- the years dates.plausible_sql accepts
          AND {date_col} >= CAST('1990-01-01' AS {date_type}) AND {date_col} < CAST('2101-01-01' AS {date_type})
          AND {nps_type} IS NOT NULL
        """


def _live_select(s: Source, relation: str, columns: dict[str, str], extras) -> str:
    """The source's valid rows with the columns of `responses`: the upload's
    parsing and validation rules, applied as the rows are read."""
    if live_path(s, columns) == "native":
        return _native_select(s, relation, columns, extras)
    headers = [h for h in s.headers if h in columns]
    parsed = parsed_sql(f"({_text_relation(relation, columns, headers)})", s.mapping, headers, s.nps_type,
                        s.date_order)
    extra_sql = _extras_sql(extras, lambda h: quote_ident("x:" + h))
    return f"""
        SELECT {quote_literal(s.name)} AS dataset, response_id, ts AS responded_at,
               CAST(score_num AS TINYINT) AS score, nps_type, {', '.join(TEXT_FIELDS)},
               CAST(NULL AS INTEGER) AS import_id{extra_sql}
        FROM ({staged_sql(f'({parsed}) p', number_repeats=False)}) WHERE reason IS NULL
        """


def _live_counts(s: Source) -> ImportResult:
    src = _Connected(s.name, s.url_ref, s.table_name, s.query)
    try:
        _check_columns(s.name, s.mapping.values(), src.columns, s.table_name or "the query")
        headers = [h for h in s.headers if h in src.columns]
        parsed = parsed_sql(f"({_text_relation(src.relation, src.columns, headers)})", s.mapping, headers,
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


def bind(con, dataset: str) -> None:
    """If `dataset` is a live source, make `responses` on this reader (from
    Store.read()) the source's rows; other readers keep the local table."""
    s = _lookup(con, dataset, "live")
    if s is None:
        return
    t = connections.target(s.url_ref)
    _check_files(s.name, t)
    alias = "src_" + hashlib.sha1(f"{s.name}\0{s.url_ref}".encode()).hexdigest()[:12]
    try:
        load_extension(con, t.kind)
        attach = _attach_sql(t, alias)
        if attach:
            attach_source(con, alias, attach)
        relation = _relation(t, alias, s.table_name, s.query)
        columns = _columns(con, relation)
        _check_columns(s.name, s.mapping.values(), columns, s.table_name or "the query")
        extras = [(h, c, typ) for h, c, typ in _registered_extras(con, s) if h in columns]
        con.execute(f"CREATE OR REPLACE TEMP VIEW responses AS {_live_select(s, relation, columns, extras)}")
    except duckdb.Error as exc:
        raise _fail(s.name, exc, t.location) from None


def _registered_extras(con, s: Source):
    return con.execute(
        "SELECT source_header, column_name, data_type FROM dataset_columns WHERE dataset = ? ORDER BY column_name",
        [s.name],
    ).fetchall()

