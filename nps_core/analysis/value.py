"""Customer value: do promoters really spend more?

Each customer counts once, in the category of their latest answer within the
filters, with the value (revenue, spend …) recorded for them. Means, their
standard errors and Welch's interval for the promoter - detractor gap are
computed from per-category SQL aggregates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import periods
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.base.metrics import CATEGORY_SQL, Z95
from nps_core.base.sql import quote_ident
from nps_core.db.catalog import extra_columns
from nps_core.db.errors import StoreError
from nps_core.db.store import Store


MONEY_HINTS = ("revenue", "omzet", "spend", "value", "waarde", "bedrag", "amount", "clv")


def is_money(column: str) -> bool:
    """Whether a column's name says it holds money (the report shows only those)."""
    return any(h in column.lower() for h in MONEY_HINTS)


def value_columns(store: Store, dataset: str | None) -> list[str]:
    """Numeric columns of a dataset, names suggesting money first."""
    with store.read() as con:
        sc = scope(con, Filters(dataset=dataset))
        cols = [c for c, t in extra_columns(con, sc.dataset).items() if t == "DOUBLE"]
    return sorted(cols, key=lambda c: (not is_money(c), c))


def _per_customer_sql(where: str, column: str, bucket: str | None = None) -> str:
    """One row per customer (per period when `bucket` is a period expression):
    the score and value of their latest answer."""
    value = quote_ident(column)
    period = f"{bucket} AS period, " if bucket else ""
    return f"""
        SELECT {period}customer_id,
               arg_max(score, responded_at) AS score,
               arg_max({value}, responded_at) AS value
        FROM responses
        WHERE {where} AND customer_id IS NOT NULL AND {value} IS NOT NULL
        GROUP BY ALL
    """


def _check(con, sc, column):
    if extra_columns(con, sc.dataset).get(column) != "DOUBLE":
        raise StoreError(f"{column!r} is not a numeric column of dataset {sc.dataset!r}")


def by_category(store: Store, filters: Filters, column: str) -> pd.DataFrame:
    """customers, mean, sd, se and 95 % interval of the value per category."""
    with store.read() as con:
        sc = scope(con, filters)
        _check(con, sc, column)
        where, params = sc.where(filters)
        df = con.execute(
            f"""SELECT {CATEGORY_SQL} AS category, count(*) AS customers, avg(value) AS mean,
                       stddev_samp(value) AS sd
                FROM ({_per_customer_sql(where, column)}) GROUP BY ALL""",
            params,
        ).df()
    df["se"] = df["sd"] / df["customers"].pow(0.5)
    df["low"] = df["mean"] - Z95 * df["se"]
    df["high"] = df["mean"] + Z95 * df["se"]
    order = {"promoter": 0, "passive": 1, "detractor": 2}
    return df.sort_values("category", key=lambda s: s.map(order)).reset_index(drop=True)


@dataclass(frozen=True)
class Gap:
    """Promoters' mean value minus detractors', with Welch's 95 % interval."""

    promoters_mean: float
    detractors_mean: float
    difference: float
    low: float
    high: float
    ratio: float

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0


def promoter_gap(table: pd.DataFrame) -> Gap | None:
    """The gap from a by_category() table (None without both groups)."""
    rows = table.set_index("category")
    if not {"promoter", "detractor"} <= set(rows.index):
        return None
    p, d = rows.loc["promoter"], rows.loc["detractor"]
    diff = p["mean"] - d["mean"]
    se = math.sqrt(p["se"] ** 2 + d["se"] ** 2)
    return Gap(p["mean"], d["mean"], diff, diff - Z95 * se, diff + Z95 * se,
               p["mean"] / d["mean"] if d["mean"] else math.nan)


def over_time(store: Store, filters: Filters, column: str, grain: str = "month") -> pd.DataFrame:
    """Mean value per category per period; a customer counts once per period,
    in the category of their latest answer in it."""
    with store.read() as con:
        sc = scope(con, filters)
        _check(con, sc, column)
        where, params = sc.where(filters)
        df = con.execute(
            f"""SELECT period, {CATEGORY_SQL} AS category, count(*) AS customers, avg(value) AS mean
                FROM ({_per_customer_sql(where, column, periods.bucket_sql(grain))})
                GROUP BY ALL ORDER BY ALL""",
            params,
        ).df()
    return periods.label(df, grain)
