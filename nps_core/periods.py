"""Time granularities: how a timestamp is bucketed, how a bucket is named,
and which range counts as "the previous period"."""

from __future__ import annotations

import datetime as dt

import pandas as pd

GRAINS = ("day", "week", "month", "quarter")


def bucket_sql(grain: str, column: str = "responded_at") -> str:
    """SQL expression identifying the period containing `column`; period_start()
    turns its value into the period's first day.

    Months and quarters are numbered (year * 12 + month - 1): twice as fast to
    group by as date_trunc on a million rows. DuckDB's date_trunc('week')
    starts weeks on Monday, i.e. ISO weeks.
    """
    if grain == "day":
        return f"CAST({column} AS DATE)"
    if grain == "week":
        return f"CAST(date_trunc('week', {column}) AS DATE)"
    if grain == "month":
        return f"(year({column}) * 12 + month({column}) - 1)"
    if grain == "quarter":
        return f"(year({column}) * 4 + quarter({column}) - 1)"
    raise ValueError(f"unknown granularity {grain!r}; choose one of {', '.join(GRAINS)}")


def period_start(grain: str, value) -> dt.date:
    """First day of the period that bucket_sql() gave `value` for."""
    if grain == "month":
        return dt.date(int(value) // 12, int(value) % 12 + 1, 1)
    if grain == "quarter":
        return dt.date(int(value) // 4, 3 * (int(value) % 4) + 1, 1)
    return pd.Timestamp(value).date()


def label(df: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Turn the `period` column of bucket_sql() values into period start dates
    and add the period's `key` right after it."""
    df["period"] = pd.to_datetime([period_start(grain, v) for v in df["period"]])
    df.insert(df.columns.get_loc("period") + 1, "key", [period_key(grain, p) for p in df["period"]])
    return df


def period_key(grain: str, start) -> str:
    """Stable, sortable label of a period: 2025-01-31, 2025-W05, 2025-01, 2025-Q1."""
    d = pd.Timestamp(start).date()
    if grain == "day":
        return d.isoformat()
    if grain == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{d.year}-{d.month:02d}"
    if grain == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    raise ValueError(f"unknown granularity {grain!r}")


def default_grain(date_from: dt.date, date_to: dt.date) -> str:
    """A granularity that gives a readable number of points for the range."""
    days = (date_to - date_from).days + 1
    if days <= 31:
        return "day"
    if days <= 120:
        return "week"
    if days <= 3 * 366:
        return "month"
    return "quarter"


def previous_range(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The range of equal length that ends the day before `date_from`.

    Whole calendar months (or quarters) map to the previous whole month
    (quarter), so "March" compares with "February", not with 31 days back.
    """
    first_of_month = date_from.day == 1
    next_day = date_to + dt.timedelta(days=1)
    if first_of_month and next_day.day == 1:
        months = (next_day.year - date_from.year) * 12 + next_day.month - date_from.month
        start = add_months(date_from, -months)
        return start, date_from - dt.timedelta(days=1)
    length = (date_to - date_from).days + 1
    return date_from - dt.timedelta(days=length), date_from - dt.timedelta(days=1)


def month_range(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, add_months(start, 1) - dt.timedelta(days=1)


def add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
