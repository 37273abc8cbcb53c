"""Live sources: nothing is copied. Whenever a reader resolves the dataset, the
source is attached read-only and a temporary view `responses` over it, with
the canonical columns and the upload's validation rules (ingest/rules.py),
shadows the local table for that one connection, so every aggregate runs
unchanged.

This is on every read's path (analysis/scope.py), so it imports the rules,
never the importer.
"""


from __future__ import annotations

import hashlib
import re

import duckdb

from nps_core.base.sql import quote_ident, quote_literal
from nps_core.db import connections
from nps_core.db.catalog import column_name_for
from nps_core.db.schema import TEXT_FIELDS
from nps_core.db.scoped import reader_access, restrict_rows
from nps_core.db.store import attach_source
from nps_core.ingest.numbers import number_sql
from nps_core.ingest.rules import (
    nps_type_sql,
    parsed_sql,
    row_hash_sql,
    staged_sql,
    value_sql,
)
from nps_core.sources.attach import (
    INTEGER_TYPES,
    NUMERIC_TYPES,
    TIMESTAMP_TYPES,
    Source,
    attach_sql,
    check_columns,
    check_files,
    fail,
    load_extension,
    lookup,
    relation_sql,
    source_columns,
    text_relation,
    text_sql,
)


# -- live ------------------------------------------------------------------------
def live_extras(s: Source, columns: dict[str, str]):
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


def extras_sql(extras, text_of) -> str:
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
        return text_sql(f"raw.{quote_ident(h)}", columns[h])

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
               CAST(NULL AS INTEGER) AS import_id{extras_sql(extras, text_of)}
        FROM {relation} raw {type_join}
        WHERE {score_col} BETWEEN 0 AND 10{whole}
          -- the years dates.plausible_sql accepts
          AND {date_col} >= CAST('1990-01-01' AS {date_type}) AND {date_col} < CAST('2101-01-01' AS {date_type})
          AND {nps_type} IS NOT NULL
        """


def live_select(s: Source, relation: str, columns: dict[str, str], extras) -> str:
    """The source's valid rows with the columns of `responses`: the upload's
    parsing and validation rules, applied as the rows are read."""
    if live_path(s, columns) == "native":
        return _native_select(s, relation, columns, extras)
    headers = [h for h in s.headers if h in columns]
    parsed = parsed_sql(f"({text_relation(relation, columns, headers)})", s.mapping, headers, s.nps_type,
                        s.date_order)
    extra_sql = extras_sql(extras, lambda h: quote_ident("x:" + h))
    return f"""
        SELECT {quote_literal(s.name)} AS dataset, response_id, ts AS responded_at,
               CAST(score_num AS TINYINT) AS score, nps_type, {', '.join(TEXT_FIELDS)},
               CAST(NULL AS INTEGER) AS import_id{extra_sql}
        FROM ({staged_sql(f'({parsed}) p', number_repeats=False)}) WHERE reason IS NULL
        """


def bind(con, dataset: str) -> bool:
    """If `dataset` is a live source, make `responses` on this reader (from
    Store.read()) the source's rows (and say so); other readers keep the local table."""
    s = lookup(con, dataset, "live")
    if s is None:
        return False
    t = connections.target(s.url_ref)
    check_files(s.name, t)
    alias = "src_" + hashlib.sha1(f"{s.name}\0{s.url_ref}".encode()).hexdigest()[:12]
    try:
        load_extension(con, t.kind)
        attach = attach_sql(t, alias)
        if attach:
            attach_source(con, alias, attach)
        relation = relation_sql(t, alias, s.table_name, s.query)
        columns = source_columns(con, relation)
        check_columns(s.name, s.mapping.values(), columns, s.table_name or "the query")
        extras = [(h, c, typ) for h, c, typ in registered_extras(con, s) if h in columns]
        con.execute(f"CREATE OR REPLACE TEMP VIEW live_rows AS {live_select(s, relation, columns, extras)}")
        # the reader's scope applies to a live source's rows as to stored ones
        restrict_rows(con, reader_access(con), "live_rows")
    except duckdb.Error as exc:
        raise fail(s.name, exc, t.location) from None
    return True


def registered_extras(con, s: Source):
    return con.execute(
        "SELECT source_header, column_name, data_type FROM dataset_columns WHERE dataset = ? ORDER BY column_name",
        [s.name],
    ).fetchall()


