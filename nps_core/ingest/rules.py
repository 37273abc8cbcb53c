"""The validation rules of a response, as SQL over text columns: one home for
every reader of raw rows.

A file import stages these rows (ingest/importer.py); a live source applies
the same rules as its rows are read (sources/live.py). Nothing here opens a
connection or imports the importer.
"""


from __future__ import annotations

from nps_core.base.sql import quote_ident, quote_literal
from nps_core.db.errors import StoreError
from nps_core.db.schema import NPS_TYPES, TEXT_FIELDS
from nps_core.ingest import dates
from nps_core.ingest.mapping import (
    NPS_TYPE_ALIASES,
)
from nps_core.ingest.numbers import number_sql
from nps_core.ingest.profile import type_key_sql


class ImportRefused(StoreError):
    """The whole file cannot be imported (no score column, no date …)."""


def _type_aliases_sql() -> str:
    """The programme-type spellings as an inline table (constants, no user input)."""
    rows = ", ".join(f"({quote_literal(a)}, {quote_literal(t)})" for a, t in NPS_TYPE_ALIASES.items())
    return f"(VALUES {rows}) ta(alias, nps_type)"


def value_sql(text: str) -> str:
    """A field's value from its column's text: trimmed, blank is missing."""
    return f"nullif(trim({text}), '')"


def row_hash_sql(texts: list[str], id_sql: str | None) -> str:
    """Stable hash of a row's text columns, for a response without an id
    (`id_sql`, when one is mapped, is NULL): so a re-import still matches it."""
    row_hash = "md5(concat_ws(chr(31), " + ", ".join(f"coalesce({t}, chr(0))" for t in texts) + "))"
    if id_sql is not None:  # hashing only matters for rows without an id
        row_hash = f"CASE WHEN {id_sql} IS NULL THEN {row_hash} END"
    return row_hash


def nps_type_sql(type_sql: str, default_type: str | None) -> tuple[str, str]:
    """(programme type, the LEFT JOIN it needs) from the type column's value
    `type_sql`: a known spelling, else `default_type` for a row without one."""
    default = quote_literal(default_type) if default_type else "CAST(NULL AS VARCHAR)"
    return (f"coalesce(ta.nps_type, CASE WHEN {type_sql} IS NULL THEN {default} END)",
            f"LEFT JOIN {_type_aliases_sql()} ON ta.alias = {type_key_sql(type_sql)}")


def _field(mapping: dict[str, str], fieldname: str, alias: str = "raw") -> str:
    """A field's value in a row of `alias`: from its column, else NULL."""
    if fieldname not in mapping:
        return "CAST(NULL AS VARCHAR)"
    return value_sql(f"{alias}.{quote_ident(mapping[fieldname])}")


def text_fields_sql(mapping: dict[str, str], headers: list[str], alias: str = "raw") -> str:
    """SELECT items of a row of `alias`: the text fields (comment, dimensions,
    customer id) and the extra columns as "x:HEADER", stored as they are."""
    extra = [h for h in headers if h not in mapping.values()]
    return ", ".join([f"{_field(mapping, f, alias)} AS {f}" for f in TEXT_FIELDS]
                     + [f"{alias}.{quote_ident(h)} AS {quote_ident('x:' + h)}" for h in extra])


def parsed_sql(relation: str, mapping: dict[str, str], headers: list[str], default_type: str | None,
               date_order: str) -> str:
    """SELECT over `relation` (text columns and `_row`): each field read from
    its column, plus the extra columns as "x:HEADER"."""
    if default_type is not None and default_type not in NPS_TYPES:
        raise ImportRefused(f"unknown programme type {default_type!r}; choose {', '.join(NPS_TYPES)}")

    def col(fieldname):
        return _field(mapping, fieldname)

    # Response id from the file, else a stable hash of the whole row plus its
    # occurrence number among identical rows (so two identical "prima, 9" rows
    # stay two responses, and a re-import of the file still matches them).
    row_hash = row_hash_sql([f"raw.{quote_ident(h)}" for h in headers],
                            col("response_id") if "response_id" in mapping else None)
    nps_type, type_join = nps_type_sql(col("nps_type"), default_type)
    return f"""
        SELECT raw._row,
               {col('response_id')} AS id_raw,
               {row_hash} AS row_hash,
               {col('score')} AS score_raw,
               {number_sql(col('score'))} AS score_num,
               {col('responded_at')} AS date_raw,
               {dates.timestamp_sql(col('responded_at'), date_order)} AS ts_read,
               {col('nps_type')} AS type_raw,
               {nps_type} AS nps_type,
               {text_fields_sql(mapping, headers)}
        FROM {relation} raw {type_join}
        """


def staged_sql(parsed: str, number_repeats: bool = True) -> str:
    """SELECT over the parsed rows: timestamp, response id and the reject
    reason of each row (NULL for a valid one) — the validation rules, once.

    A row without an id is identified by its hash and its occurrence number
    among identical rows. Only rows whose hash repeats are numbered by a
    window (numbering every row took a quarter of a 10-million-row import);
    the others are occurrence 1. `number_repeats=False` numbers none, where
    ids only need to be stable, not unique: a live source's view."""
    if number_repeats:
        repeats = f"""LEFT JOIN (
            SELECT _row, row_number() OVER (PARTITION BY row_hash ORDER BY _row) AS occurrence FROM {parsed}
            WHERE row_hash IN (SELECT row_hash FROM {parsed} WHERE row_hash IS NOT NULL
                               GROUP BY row_hash HAVING count(*) > 1)) repeats USING (_row)"""
        repeat = "'-' || coalesce(repeats.occurrence, 1)"
    else:
        repeats, repeat = "", "''"
    return f"""
        SELECT * EXCLUDE (ts_read{', occurrence' if number_repeats else ''}), {dates.plausible_sql("ts_read")} AS ts,
            coalesce(id_raw, row_hash || {repeat}) AS response_id,
            CASE WHEN score_raw IS NULL THEN 'score missing'
                 WHEN score_num IS NULL THEN 'score not a number'
                 WHEN score_num <> round(score_num) THEN 'score not a whole number'
                 WHEN score_num < 0 OR score_num > 10 THEN 'score out of range'
                 WHEN date_raw IS NULL THEN 'date missing'
                 WHEN {dates.plausible_sql("ts_read")} IS NULL THEN 'date unreadable'
                 -- a clock a day ahead is a time zone; further is a typo that would move every "latest" default
                 WHEN ts_read > CAST(current_timestamp AS TIMESTAMP) + INTERVAL 1 DAY THEN 'date in the future'
                 WHEN nps_type IS NULL AND type_raw IS NOT NULL THEN 'programme type unknown'
                 WHEN nps_type IS NULL THEN 'programme type missing'
            END AS reason
        FROM {parsed} {repeats}
        """


def check_options(nps_type: str | None, date_order: str) -> None:
    if date_order not in dates.ORDERS:
        raise ImportRefused(f"unknown date order {date_order!r}; choose {', '.join(dates.ORDERS)}")
    if nps_type is not None and nps_type not in NPS_TYPES:
        raise ImportRefused(f"unknown programme type {nps_type!r}; choose {', '.join(NPS_TYPES)}")


