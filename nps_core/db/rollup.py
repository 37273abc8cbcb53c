"""Daily counts of the responses (table `response_days`): the store's rollup.

One row per dataset × import × day × programme type × canonical dimension
values, with the promoter/passive/detractor counts. The overview, trends,
breakdowns and date ranges read it instead of `responses` whenever every
filter is on a column it keeps (analysis/aggregates.py `_counted`): at ten
million responses that is some hundred thousand rows instead of ten million
(issue 17, docs/ARCHITECTURE.md "Rollup").

It is written in the same transaction as the responses it counts, by the
only two paths that change them: an import adds its rows (`add_import`),
deleting a dataset removes them (`drop_dataset`). `store migrate` copies it
like any table. A database made before the rollup existed gets it built the
first time it is opened for writing (`apply_schema`).
"""

from __future__ import annotations

import duckdb

from nps_core.base.metrics import COUNTS_SQL
from nps_core.db.schema import DIMENSIONS

TABLE = "response_days"
# the columns besides the day a rollup row is keyed by: what a filter or a breakdown may use
KEYS = ("nps_type", *DIMENSIONS)

# the same count columns as metrics.COUNTS_SQL, summed over rollup rows (BIGINT, not HUGEINT, for pandas)
SUMS_SQL = ", ".join(f"CAST(coalesce(sum({c}), 0) AS BIGINT) AS {c}"
                     for c in ("n", "promoters", "passives", "detractors"))

_SELECT = (f"SELECT dataset, import_id, CAST(responded_at AS DATE) AS day, {', '.join(KEYS)}, {COUNTS_SQL} "
           "FROM responses")


def _insert(where: str) -> str:
    return f"INSERT INTO {TABLE} {_SELECT} WHERE {where} GROUP BY ALL"


def add_import(con, dataset: str, import_id: int | None = None) -> None:
    """Count the responses one import just stored (same transaction); with
    no import, every response of the dataset (rows written directly)."""
    if import_id is None:
        con.execute(_insert("dataset = ?"), [dataset])
    else:
        con.execute(_insert("dataset = ? AND import_id = ?"), [dataset, import_id])


def drop_dataset(con, dataset: str) -> None:
    con.execute(f"DELETE FROM {TABLE} WHERE dataset = ?", [dataset])


def _has_table(con, table: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND table_name = ?",
        [table]).fetchone()[0])


def apply_schema(con, ddl: str) -> None:
    """Run the store's DDL on `con` (current database: the store); when that
    creates the rollup beside responses already stored, count them."""
    upgrade = _has_table(con, "responses") and not _has_table(con, TABLE)
    con.execute(ddl)
    if upgrade:
        con.execute(_insert("true"))


def readable(con) -> bool:
    """Whether this reader's store has the rollup (a read-only file from
    before it has not, until it is opened for writing once). Asked by name,
    not from the list of tables: listing a lake's tables costs a catalog trip."""
    try:
        con.execute(f"SELECT 1 FROM {TABLE} LIMIT 0")
    except duckdb.CatalogException:
        return False
    return True
