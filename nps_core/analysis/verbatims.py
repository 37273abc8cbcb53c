"""The comments behind a number: search, filter, page and export them.

Counting, deep pages and word searches read the Verbatims index
(db/comment_index.py) where it can answer, and `responses` otherwise; both
give the same rows in the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.base.metrics import CATEGORIES, CATEGORY_SQL
from nps_core.base.safe_export import spreadsheet
from nps_core.db import audit, comment_index
from nps_core.db.schema import DIMENSIONS
from nps_core.db.store import Store

COLUMNS = ("responded_at", "score", "category", "comment", "nps_type", *DIMENSIONS, "customer_id")


@dataclass(frozen=True)
class Query:
    """What the user narrowed the comments down to, on top of the global filters."""

    search: str = ""  # words, all must occur (case and accents ignored)
    categories: tuple[str, ...] = ()  # promoter / passive / detractor; empty: all
    score_min: int = 0
    score_max: int = 10


def _narrowing(q: Query) -> tuple[list[str], list]:
    """The score and category conditions of `q` (columns of `responses` and of comment_days)."""
    unknown = set(q.categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown category: {', '.join(sorted(unknown))}")
    clauses, params = ["score BETWEEN ? AND ?"], [q.score_min, q.score_max]
    if q.categories:
        clauses.append(f"{CATEGORY_SQL} IN ({', '.join('?' for _ in q.categories)})")
        params += list(q.categories)
    return clauses, params


def _words(q: Query) -> tuple[list[str], list]:
    """A condition on `comment` per searched word: all must occur, case and accents ignored."""
    clauses, params = [], []
    for word in q.search.split():
        # LIKE wildcards typed by the user are taken literally
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("strip_accents(lower(comment)) LIKE strip_accents(lower(?)) ESCAPE '\\'")
        params.append(f"%{escaped}%")
    return clauses, params


@dataclass(frozen=True)
class _Selection:
    where: str  # on `responses`
    params: list
    # the selection's comments per day from the Verbatims index (db/comment_index.py):
    # rows (responded_at = the day at midnight, n); None where the index cannot answer
    days: tuple[str, list] | None


def _select_on(con, filters: Filters, q: Query) -> _Selection:
    sc = scope(con, filters)
    where, params = sc.where(filters)
    narrowing, narrowing_params = _narrowing(q)
    words, word_params = _words(q)
    selected = _Selection(" AND ".join([where, "comment IS NOT NULL", *narrowing, *words]),
                          params + narrowing_params + word_params, None)
    # a dimension filter is not in the index, nor is a live source; a reader whose
    # scope has a dimension sees no index (db/scoped.py): those count the responses
    if any(values for _, values in filters.dims) or sc.live or not comment_index.indexed(con, sc.dataset):
        return selected
    # comment_days has the filters' columns (its day as `responded_at`): the same WHERE applies
    day_where, day_params = [where, *narrowing], params + narrowing_params
    if words:
        day_where.append(f"comment_key IN (SELECT comment_key FROM comment_texts WHERE dataset = ? "
                         f"AND {' AND '.join(words)})")
        day_params += [sc.dataset, *word_params]
    days = f"SELECT responded_at, sum(n) AS n FROM comment_days WHERE {' AND '.join(day_where)} GROUP BY responded_at"
    return replace(selected, days=(days, day_params))


def selection(con, filters: Filters, q: Query) -> tuple[str, list]:
    """WHERE clause on `responses` (and its parameters) of the comments `q` selects."""
    selected = _select_on(con, filters, q)
    return selected.where, selected.params


def count(store: Store, filters: Filters, q: Query = Query()) -> int:
    with store.read() as con:
        selected = _select_on(con, filters, q)
        if selected.days:
            sql, params = selected.days
            return int(con.execute(f"SELECT coalesce(sum(n), 0) FROM ({sql})", params).fetchone()[0])
        return con.execute(f"SELECT count(*) FROM responses WHERE {selected.where}", selected.params).fetchone()[0]


def _select() -> str:
    return ", ".join(f"{CATEGORY_SQL} AS category" if c == "category" else c for c in COLUMNS)


def page(store: Store, filters: Filters, q: Query = Query(), limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """One page of comments, newest first.

    With the Verbatims index the page's rows are sought only among the days
    that hold them: the index's counts per day say which days those are and
    how many newer rows to skip, so page 4,000 reads a day's rows, not the
    100,000 newer ones (and their sort)."""
    limit, offset = int(limit), int(offset)
    order = "ORDER BY responded_at DESC, response_id LIMIT ? OFFSET ?"
    with store.read() as con:
        selected = _select_on(con, filters, q)
        where, params = selected.where, selected.params
        if selected.days and limit > 0:
            sql, day_params = selected.days
            # the days whose rows meet positions offset … offset+limit-1 (newest first), and the rows before them
            first, last, before = con.execute(
                f"""WITH d AS (SELECT responded_at, n, sum(n) OVER (ORDER BY responded_at DESC) - n AS before
                               FROM ({sql}))
                    SELECT min(responded_at), max(responded_at), min(before) FROM d
                    WHERE before < ? AND before + n > ?""",
                [*day_params, offset + limit, offset]).fetchone()
            if first is None:  # past the last comment
                limit = 0
            else:
                where += " AND responded_at >= ? AND responded_at < ?"
                params = [*params, first, last + dt.timedelta(days=1)]
                offset -= int(before)
        return con.execute(f"SELECT {_select()} FROM responses WHERE {where} {order}",
                           [*params, limit, offset]).df()


EXPORT_LIMIT = 1_000_000  # Excel's sheet limit is 1,048,576 rows


def export(store: Store, filters: Filters, q: Query, fmt: str, lang: str = "en") -> bytes:
    """The whole selection as CSV (UTF-8 with BOM, separators as Excel in `lang` expects) or Excel, formula-safe."""
    store.access.require("export_comments", filters.dataset)
    rows = page(store, filters, q, limit=EXPORT_LIMIT)
    audit.log(store, "export_comments", filters.dataset,
              {"format": fmt, "rows": len(rows), "search": q.search, "from": filters.date_from,
               "to": filters.date_to, "dims": {d: list(v) for d, v in filters.dims}})
    return spreadsheet(rows, fmt, "verbatims", lang)
