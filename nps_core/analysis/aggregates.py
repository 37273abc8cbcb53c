"""NPS aggregates, computed in DuckDB SQL under the shared Filters.

Each public function opens one short-lived read-only connection, runs its
GROUP BY queries and returns small frames or NpsStats; nothing pulls the
responses table into pandas.
"""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import periods
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import Scope, group_column, scope
from nps_core.base.metrics import (
    COUNT_COLUMNS,
    COUNTS_SQL,
    Change,
    NpsStats,
    add_stats,
    significance,
)
from nps_core.db import rollup
from nps_core.db.catalog import segment_columns
from nps_core.db.errors import StoreError
from nps_core.db.schema import DIMENSIONS
from nps_core.db.store import Store


@dataclass(frozen=True)
class _Counts:
    """What an aggregate counts from: the rollup, or every response."""

    relation: str
    counts_sql: str  # the n / promoters / passives / detractors columns
    time: str  # the column date ranges and periods apply to


_RESPONSES = _Counts("responses", COUNTS_SQL, "responded_at")
_ROLLUP = _Counts(rollup.TABLE, rollup.SUMS_SQL, "day")


def _counted(sc: Scope, filters: Filters, *columns: str) -> _Counts:
    """The rollup when it holds every column the filters and the grouping
    use (db/rollup.py), else the responses: both count the same rows."""
    used = {d for d, _ in filters.dims} | set(columns)
    return _ROLLUP if sc.rollup and used <= set(rollup.KEYS) else _RESPONSES


def _stats(con, sc: Scope, filters: Filters) -> NpsStats:
    src = _counted(sc, filters)
    where, params = sc.where(filters, src.time)
    row = con.execute(f"SELECT {src.counts_sql} FROM {src.relation} WHERE {where}", params).fetchone()
    return NpsStats(int(row[1]), int(row[2]), int(row[3]))


def _grouped(con, sc: Scope, filters: Filters, column: str) -> pd.DataFrame:
    """Counts per value of a column (NULL left out), with stats."""
    src = _counted(sc, filters, column)
    col = group_column(sc, column)
    where, params = sc.where(filters, src.time)
    df = con.execute(
        f"SELECT {col} AS key, {src.counts_sql} FROM {src.relation} "
        f"WHERE {where} AND {col} IS NOT NULL GROUP BY ALL",
        params,
    ).df()
    return add_stats(df)


def _days(con, sc: Scope, filters: Filters) -> tuple[dt.date, dt.date] | None:
    """First and last day with a response matching the filters (None: none)."""
    src = _counted(sc, filters)
    where, params = sc.where(filters, src.time)
    lo, hi = con.execute(f"SELECT min({src.time}), max({src.time}) FROM {src.relation} WHERE {where}",
                         params).fetchone()
    if lo is None:
        return None
    return pd.Timestamp(lo).date(), pd.Timestamp(hi).date()


def summary(store: Store, filters: Filters) -> NpsStats:
    with store.read() as con:
        return _stats(con, scope(con, filters), filters)


def _trend(con, sc: Scope, filters: Filters, grain: str, split: str | None) -> pd.DataFrame:
    src = _counted(sc, filters, *([split] if split else []))
    bucket = periods.bucket_sql(grain, src.time)
    where, params = sc.where(filters, src.time)
    if split:
        col = group_column(sc, split)
        sql = (
            f"SELECT {bucket} AS period, {col} AS grp, {src.counts_sql} FROM {src.relation} "
            f"WHERE {where} AND {col} IS NOT NULL GROUP BY ALL ORDER BY ALL"
        )
    else:
        sql = (f"SELECT {bucket} AS period, {src.counts_sql} FROM {src.relation} "
               f"WHERE {where} GROUP BY ALL ORDER BY ALL")
    return add_stats(periods.label(con.execute(sql, params).df(), grain))


def trend(store: Store, filters: Filters, grain: str = "month", split: str | None = None) -> pd.DataFrame:
    """NPS per period (and per value of `split`, e.g. nps_type).

    Columns: period (start date), key (label), [grp], n, promoters, passives,
    detractors, shares, nps, se, moe, small.
    """
    with store.read() as con:
        return _trend(con, scope(con, filters), filters, grain, split)


def breakdown(store: Store, filters: Filters, dimension: str, compare: bool = True) -> pd.DataFrame:
    """NPS per value of `dimension`, best first, with the change against the
    previous period of the same length when the filter has a date range.

    Columns: key, n, counts, nps, moe, small, and with a comparison
    prev_n, prev_nps, delta, significant (True / False, None: too few to judge).
    """
    with store.read() as con:
        sc = scope(con, filters)
        df = _grouped(con, sc, filters, dimension)
        if compare and filters.date_from and filters.date_to:
            prev_range = periods.previous_range(filters.date_from, filters.date_to)
            prev = _grouped(con, sc, filters.with_dates(*prev_range), dimension)
            prev = prev[["key", "n", "nps", "se"]].rename(
                columns={"n": "prev_n", "nps": "prev_nps", "se": "prev_se"}
            )
            df = df.merge(prev, on="key", how="left")
            df["delta"] = df["nps"] - df["prev_nps"]
            df["significant"] = significance(df)
        return df.sort_values(["nps", "n"], ascending=[False, False]).reset_index(drop=True)


NONE_KEY = "(none)"  # the segment of responses without a value: part of every total, so counted too


def segment_counts(store: Store, filters: Filters, dims: list[str], grain: str | None = None) -> pd.DataFrame:
    """Counts per segment of each of `dims` (and per period of `grain`), in
    one scan (GROUPING SETS), NULL counted as the segment NONE_KEY so that
    every dimension's segments add up to the whole scope.

    Columns: dimension, [period (start date), key (period key)], segment, n,
    promoters, passives, detractors.
    """
    columns = ["dimension", *(["period"] if grain else []), "segment", *COUNT_COLUMNS]
    if not dims:
        return pd.DataFrame(columns=columns)
    with store.read() as con:
        sc = scope(con, filters)
        src = _counted(sc, filters, *dims)
        keys = [f"{group_column(sc, d)} AS k{i}, grouping(k{i}) AS g{i}" for i, d in enumerate(dims)]  # checked, quoted
        period = [f"{periods.bucket_sql(grain, src.time)} AS period"] if grain else []
        sets = ", ".join("(" + ", ".join(["period"] * bool(grain) + [f"k{i}"]) + ")" for i in range(len(dims)))
        where, params = sc.where(filters, src.time)
        df = con.execute(f"SELECT {', '.join([*period, *keys])}, {src.counts_sql} FROM {src.relation} "
                         f"WHERE {where} GROUP BY GROUPING SETS ({sets})", params).df()
    parts = []
    for i, dim in enumerate(dims):
        part = df[df[f"g{i}"] == 0]  # the rows of this dimension's grouping set
        parts.append(part.assign(dimension=dim, segment=part[f"k{i}"].fillna(NONE_KEY).astype(str)))
    out = pd.concat(parts, ignore_index=True)[columns].astype({c: "int64" for c in COUNT_COLUMNS})
    if grain:
        out = periods.label(out, grain)
    return out.sort_values([c for c in ("dimension", "period", "segment") if c in out]).reset_index(drop=True)


def data_range(store: Store, dataset: str | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last response date of a dataset (None when empty)."""
    with store.read() as con:
        f = Filters(dataset=dataset)
        return _days(con, scope(con, f), f)


def dimensions(store: Store, dataset: str | None) -> list[str]:
    """Dimensions worth offering as segments in this dataset: the canonical ones
    it fills, then its text extra columns, each only with few distinct values
    (catalog.segment_columns). Free text and ids stay searchable and exportable.
    One data scan: cache it."""
    with store.read() as con:
        sc = scope(con, Filters(dataset=dataset))
        return segment_columns(con, sc.dataset, list(dict.fromkeys([*DIMENSIONS, *sc.dimensions])))


def dimension_values(store: Store, filters: Filters, dimension: str, limit: int = 500) -> list[str]:
    """Distinct values of a dimension in the dataset, most frequent first."""
    with store.read() as con:
        f = Filters(dataset=filters.dataset)
        sc = scope(con, f)
        df = _grouped(con, sc, f, dimension)
    return df.sort_values(["n", "key"], ascending=[False, True])["key"].head(limit).tolist()


@dataclass(frozen=True)
class Overview:
    dataset: str
    date_from: dt.date
    date_to: dt.date
    prev_from: dt.date
    prev_to: dt.date
    current: NpsStats
    previous: NpsStats
    trend: pd.DataFrame  # monthly, up to 13 months ending with the selected period

    @property
    def change(self) -> Change:
        return Change(self.current, self.previous)


TREND_MONTHS = 13


def overview(store: Store, filters: Filters) -> Overview:
    """Everything the overview page shows for one filter state, on one
    connection: headline for the selected range, the previous range of the
    same length, and the 13-month evolution ending with the selected range."""
    with store.read() as con:
        sc = scope(con, filters)
        date_from, date_to = filters.date_from, filters.date_to
        if date_from is None or date_to is None:
            days = _days(con, sc, filters)
            if days is None:
                raise StoreError("no responses match these filters")
            date_from = date_from or days[0]
            date_to = date_to or days[1]
        prev_from, prev_to = periods.previous_range(date_from, date_to)
        current = _stats(con, sc, filters.with_dates(date_from, date_to))
        previous = _stats(con, sc, filters.with_dates(prev_from, prev_to))
        trend_start = periods.add_months(date_to.replace(day=1), -(TREND_MONTHS - 1))
        trend_df = _trend(con, sc, filters.with_dates(trend_start, date_to), "month", None)
    return Overview(sc.dataset, date_from, date_to, prev_from, prev_to, current, previous, trend_df)


