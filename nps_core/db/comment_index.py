"""The Verbatims index: what lets the comments page count, jump to a deep page
and search by words without scanning every response (analysis/verbatims.py).

Two tables per dataset, kept by every path that writes `responses`:

* `comment_days`: how many responses with a comment there are per day ×
  programme type × score × comment text (`comment_key` = md5 of the text).
  Its day is stored as `responded_at` (midnight), so the filters' own WHERE
  clause applies to it unchanged (date filters are whole days).
* `comment_texts`: the dataset's distinct comment texts once each; a word
  search reads these, not the responses, to know which texts match.

`comment_indexed` lists the datasets whose index is complete; a dataset not
in it (a store made by an older version, a live source) is read from
`responses` directly. An import appends its own rows' counts (several rows of
`comment_days` may share a key; readers sum them).

The calls, one per write path: `add_import` (importer.store_raw: files and
source snapshots), `drop_dataset` (datasets.delete_dataset), `build_missing`
(migrate, after the copy; and enrich, so a store made by an older version
gets its index). Enrichment does not change `responses`, so it needs no other.
"""

from __future__ import annotations

import duckdb

INDEX_TABLES = ("comment_days", "comment_texts", "comment_indexed")

_GROUPS = """
    SELECT dataset, date_trunc('day', responded_at) AS responded_at, nps_type, score,
           md5(comment) AS comment_key, count(*) AS n
    FROM responses WHERE {where} AND comment IS NOT NULL
    GROUP BY ALL
"""


def _add(con, where: str, params: list) -> None:
    """Count the responses matching `where` into comment_days and add their new texts."""
    con.execute(f"INSERT INTO comment_days {_GROUPS.format(where=where)}", params)
    con.execute(
        f"""INSERT INTO comment_texts
            SELECT DISTINCT dataset, md5(comment), comment FROM responses r
            WHERE {where} AND comment IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM comment_texts t
                              WHERE t.dataset = r.dataset AND t.comment_key = md5(r.comment))""",
        params,
    )


def _build(con, dataset: str) -> None:
    drop_dataset(con, dataset)
    _add(con, "dataset = ?", [dataset])
    con.execute("INSERT INTO comment_indexed (dataset) VALUES (?)", [dataset])


def add_import(con, dataset: str, import_id: int) -> None:
    """After an import's INSERT, in its transaction: its rows into the index
    (the whole dataset when it has none yet)."""
    if indexed(con, dataset):
        _add(con, "dataset = ? AND import_id = ?", [dataset, import_id])
    else:
        _build(con, dataset)


def drop_dataset(con, dataset: str) -> None:
    """A deleted dataset's index goes with it (same transaction)."""
    for table in INDEX_TABLES:
        con.execute(f"DELETE FROM {table} WHERE dataset = ?", [dataset])


def missing(con) -> list[str]:
    """Stored datasets without a complete index (live sources have no stored rows)."""
    return [r[0] for r in con.execute(
        """SELECT name FROM datasets
           WHERE name NOT IN (SELECT dataset FROM comment_indexed)
             AND name NOT IN (SELECT name FROM sources WHERE mode = 'live')
           ORDER BY name""").fetchall()]


def build_missing(con) -> list[str]:
    """Index every stored dataset that has no index yet; returns their names."""
    names = missing(con)
    for name in names:
        _build(con, name)
    return names


def indexed(con, dataset: str) -> bool:
    """Whether the index of `dataset` is complete (a store made by an older
    version, opened read-only, may lack the tables)."""
    try:
        return con.execute("SELECT count(*) FROM comment_indexed WHERE dataset = ?", [dataset]).fetchone()[0] > 0
    except duckdb.CatalogException:
        return False
