"""The comments behind a number: search, filter, page and export them.

Paging uses LIMIT/OFFSET on a time-ordered scan, so a page costs the same
with 100 or 100,000 comments behind the filter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nps_core import audit
from nps_core.analysis.filters import Filters
from nps_core.analysis.metrics import CATEGORIES, CATEGORY_SQL
from nps_core.analysis.scope import scope
from nps_core.db.schema import DIMENSIONS
from nps_core.db.store import Store
from nps_core.present.safe_export import spreadsheet

COLUMNS = ("responded_at", "score", "category", "comment", "nps_type", *DIMENSIONS, "customer_id")


@dataclass(frozen=True)
class Query:
    """What the user narrowed the comments down to, on top of the global filters."""

    search: str = ""  # words, all must occur (case and accents ignored)
    categories: tuple[str, ...] = ()  # promoter / passive / detractor; empty: all
    score_min: int = 0
    score_max: int = 10


def selection(con, filters: Filters, q: Query) -> tuple[str, list]:
    sc = scope(con, filters)
    where, params = sc.where(filters)
    clauses = [where, "comment IS NOT NULL", "score BETWEEN ? AND ?"]
    params += [q.score_min, q.score_max]
    unknown = set(q.categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown category: {', '.join(sorted(unknown))}")
    if q.categories:
        clauses.append(f"{CATEGORY_SQL} IN ({', '.join('?' for _ in q.categories)})")
        params += list(q.categories)
    for word in q.search.split():
        # LIKE wildcards typed by the user are taken literally
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("strip_accents(lower(comment)) LIKE strip_accents(lower(?)) ESCAPE '\\'")
        params.append(f"%{escaped}%")
    return " AND ".join(clauses), params


def count(store: Store, filters: Filters, q: Query = Query()) -> int:
    with store.read() as con:
        where, params = selection(con, filters, q)
        return con.execute(f"SELECT count(*) FROM responses WHERE {where}", params).fetchone()[0]


def _select() -> str:
    return ", ".join(f"{CATEGORY_SQL} AS category" if c == "category" else c for c in COLUMNS)


def page(store: Store, filters: Filters, q: Query = Query(), limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """One page of comments, newest first."""
    with store.read() as con:
        where, params = selection(con, filters, q)
        return con.execute(
            f"SELECT {_select()} FROM responses WHERE {where} "
            "ORDER BY responded_at DESC, response_id LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        ).df()


EXPORT_LIMIT = 1_000_000  # Excel's sheet limit is 1,048,576 rows


def export(store: Store, filters: Filters, q: Query, fmt: str) -> bytes:
    """The whole selection as CSV (UTF-8 with BOM) or Excel, formula-safe."""
    store.access.require("export_comments", filters.dataset)
    rows = page(store, filters, q, limit=EXPORT_LIMIT)
    audit.log(store, "export_comments", filters.dataset,
              {"format": fmt, "rows": len(rows), "search": q.search, "from": filters.date_from,
               "to": filters.date_to, "dims": {d: list(v) for d, v in filters.dims}})
    return spreadsheet(rows, fmt, "verbatims")
