"""Catalogue queries on an open connection: which datasets exist, which is
meant when none is named, and which columns each dataset has."""


from __future__ import annotations

import os
import re
import unicodedata

import duckdb

from nps_core.base.i18n import DEFAULT_CURRENCY, check_currency
from nps_core.base.sql import quote_ident
from nps_core.db.errors import StoreError
from nps_core.db.schema import (
    CANONICAL,
    DIMENSIONS,
    EMAIL_COLUMNS,
    INTERNAL,
    NAME_COLUMNS,
)


# -- catalogue queries (take an open connection) ----------------------------
def dataset_names(con) -> list[str]:
    """Datasets, the most recently imported first."""
    rows = con.execute(
        """SELECT d.name FROM datasets d
           LEFT JOIN (SELECT dataset, max(import_id) AS last FROM imports GROUP BY dataset) i
             ON i.dataset = d.name
           ORDER BY i.last DESC NULLS LAST, d.updated_at DESC, d.name"""
    ).fetchall()
    return [r[0] for r in rows]


DEFAULT_ENV = "NPS_DEFAULT_DATASET"


def default_dataset(con) -> str | None:
    """The dataset meant when none is named: NPS_DEFAULT_DATASET, else the
    database's `default_dataset` setting, else the first dataset created
    (the demo in the demo's database) — never whatever was imported last."""
    configured = [os.environ.get(DEFAULT_ENV)]
    try:
        row = con.execute("SELECT value FROM settings WHERE key = 'default_dataset'").fetchone()
        configured.append(row and row[0])
    except duckdb.CatalogException:  # a database from before settings existed (readers cannot add it)
        pass
    for name in configured:
        if name and con.execute("SELECT 1 FROM datasets WHERE name = ?", [name]).fetchone():
            return name
    row = con.execute("SELECT name FROM datasets ORDER BY created_at, name LIMIT 1").fetchone()
    return row and row[0]


def set_default_dataset(con, name: str) -> None:
    resolve_dataset(con, name)  # a clear error for an unknown name
    # delete + insert, not INSERT OR REPLACE: a DuckLake store has no primary keys
    con.execute("DELETE FROM settings WHERE key = 'default_dataset'")
    con.execute("INSERT INTO settings VALUES ('default_dataset', ?)", [name])


CURRENCY_KEY = "currency"  # the whole database's; "currency:<dataset>" one dataset's


def currency_settings(con, dataset: str | None = None) -> tuple[str | None, str]:
    """(the dataset's own currency or None, the database's currency or euros)."""
    keys = [f"{CURRENCY_KEY}:{dataset}"] if dataset else []
    try:
        rows = dict(con.execute("SELECT key, value FROM settings WHERE key IN (SELECT unnest(?))",
                                [[*keys, CURRENCY_KEY]]).fetchall())
    except duckdb.CatalogException:  # a database from before settings existed (readers cannot add it)
        rows = {}
    return (rows.get(keys[0]) if keys else None), rows.get(CURRENCY_KEY) or DEFAULT_CURRENCY


def currency(con, dataset: str | None = None) -> str:
    """The currency money is shown in (ISO 4217): the dataset's own, else the
    database's, else euros."""
    own, database = currency_settings(con, dataset)
    return own or database


def set_currency(con, code: str | None, dataset: str | None = None) -> None:
    """Set the database's currency, or one dataset's; None for a dataset: it follows the database's again."""
    if dataset is not None:
        resolve_dataset(con, dataset)  # a clear error for an unknown name
    key = f"{CURRENCY_KEY}:{dataset}" if dataset is not None else CURRENCY_KEY
    con.execute("DELETE FROM settings WHERE key = ?", [key])  # no primary keys on DuckLake: delete + insert
    if code is not None:
        con.execute("INSERT INTO settings VALUES (?, ?)", [key, check_currency(code)])


MAX_DATASET_NAME = 200


def check_dataset_name(name: str) -> str:
    """The name, trimmed; refused when empty, very long or holding control
    characters (a line break would end up in e-mail subjects and log lines).
    Anything else, '/' and '..' included, is a fine name: it reaches SQL as a
    bound parameter and the file system only through base/filenames.py."""
    name = (name or "").strip()
    if not name:
        raise StoreError("a dataset needs a name")
    if len(name) > MAX_DATASET_NAME:
        raise StoreError(f"a dataset name has at most {MAX_DATASET_NAME} characters ({len(name)} given)")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise StoreError(f"a dataset name cannot hold line breaks or other control characters: {name!r}")
    if any(unicodedata.category(c) == "Cf" for c in name):
        # invisible format characters: a right-to-left override (U+202E) shows "exe.txt" as "txt.exe",
        # a zero-width space makes two names that look alike
        raise StoreError(f"a dataset name cannot hold invisible or direction-changing characters: {name!r}")
    return name


def resolve_dataset(con, name: str | None) -> str:
    if name is None:
        name = default_dataset(con)
        if name is None:
            raise StoreError("the database holds no dataset yet; import a file first")
        return name
    names = dataset_names(con)
    if name not in names:
        known = ", ".join(names) or "none"
        raise StoreError(f"unknown dataset {name!r} (known: {known})")
    return name


def extra_columns(con, dataset: str) -> dict[str, str]:
    """Extra (non-canonical) columns of a dataset and their DuckDB types."""
    rows = con.execute(
        "SELECT column_name, data_type FROM dataset_columns WHERE dataset = ? ORDER BY column_name",
        [dataset],
    ).fetchall()
    return dict(rows)


# A text column with more distinct values than this is free text or an id:
# stored and exported, never offered as a segment.
SEGMENT_MAX_VALUES = 200  # more distinct values than this: free text or ids, not segments
SEGMENT_MIN_SIZE = 3  # fewer responses per value on average: mostly one-off values (titles, names)
SEGMENT_FEW_VALUES = 10  # this many values or fewer is a segment whatever the volume


def segment_columns(con, dataset: str, columns: list[str]) -> list[str]:
    """The `columns` of `dataset` a breakdown can use: filled, with at most
    SEGMENT_FEW_VALUES distinct values, or at most SEGMENT_MAX_VALUES that hold
    SEGMENT_MIN_SIZE responses each on average. One scan; approx_count_distinct
    (HyperLogLog) is exact enough for a threshold."""
    if not columns:
        return []
    row = con.execute(
        "SELECT " + ", ".join(f"count({quote_ident(c)}), approx_count_distinct({quote_ident(c)})" for c in columns)
        + " FROM responses WHERE dataset = ?", [dataset]
    ).fetchone()
    out = []
    for i, column in enumerate(columns):
        filled, distinct = row[2 * i], row[2 * i + 1]
        if filled and (distinct <= SEGMENT_FEW_VALUES
                       or (distinct <= SEGMENT_MAX_VALUES and filled >= SEGMENT_MIN_SIZE * distinct)):
            out.append(column)
    return out


def groupable_columns(con, dataset: str) -> list[str]:
    """Columns a filter or breakdown may name in this dataset (no data scan)."""
    return [*DIMENSIONS, *(c for c, t in extra_columns(con, dataset).items()
                           if t == "VARCHAR" and c not in EMAIL_COLUMNS + NAME_COLUMNS)]


_SAFE_NAME = re.compile(r"[^0-9a-z_]+")


def column_name_for(header: str) -> str:
    """Storage name of an extra column: lower snake case, never a reserved name."""
    name = _SAFE_NAME.sub("_", header.strip().lower()).strip("_") or "column"
    if name[0].isdigit():
        name = "c_" + name
    if name in CANONICAL or name in INTERNAL:
        name = "extra_" + name
    return name


