"""Time granularities: how a timestamp is bucketed, how a bucket is named,
and which range counts as "the previous period"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Grain:
    """One granularity: its SQL bucket and its length (in months, or else in days)."""

    name: str
    bucket: str  # SQL identifying the period containing {c}
    months: int = 0  # months and quarters
    days: int = 0  # days and weeks


# The grain table: every per-grain rule below reads it.
# Months and quarters are numbered (year * 12 + month - 1): twice as fast to
# group by as date_trunc on a million rows. DuckDB's date_trunc('week')
# starts weeks on Monday, i.e. ISO weeks.
GRAIN = {
    "day": Grain("day", "CAST({c} AS DATE)", days=1),
    "week": Grain("week", "CAST(date_trunc('week', {c}) AS DATE)", days=7),
    "month": Grain("month", "(year({c}) * 12 + month({c}) - 1)", months=1),
    "quarter": Grain("quarter", "(year({c}) * 4 + quarter({c}) - 1)", months=3),
}
GRAINS = tuple(GRAIN)


def _grain(grain: str) -> Grain:
    try:
        return GRAIN[grain]
    except KeyError:
        raise ValueError(f"unknown granularity {grain!r}; choose one of {', '.join(GRAINS)}") from None


def bucket_sql(grain: str, column: str = "responded_at") -> str:
    """SQL expression identifying the period containing `column`; period_start()
    turns its value into the period's first day."""
    return _grain(grain).bucket.format(c=column)


def period_start(grain: str, value) -> dt.date:
    """First day of the period that bucket_sql() gave `value` for."""
    months = _grain(grain).months
    if months:
        index = int(value) * months
        return dt.date(index // 12, index % 12 + 1, 1)
    return pd.Timestamp(value).date()


def floor(grain: str, day: dt.date) -> dt.date:
    """First day of the period that contains `day`."""
    months = _grain(grain).months
    if months:
        return add_months(dt.date(day.year, 1, 1), (day.month - 1) // months * months)
    return day - dt.timedelta(days=day.weekday()) if grain == "week" else day


def label(df: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Turn the `period` column of bucket_sql() values into period start dates
    and add the period's `key` right after it."""
    df["period"] = pd.to_datetime([period_start(grain, v) for v in df["period"]])
    df.insert(df.columns.get_loc("period") + 1, "key", [period_key(grain, p) for p in df["period"]])
    return df


def period_key(grain: str, start) -> str:
    """Stable, sortable label of a period: 2025-01-31, 2025-W05, 2025-01, 2025-Q1."""
    d = pd.Timestamp(start).date()
    if grain == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": d.isoformat(), "month": f"{d.year}-{d.month:02d}",
            "quarter": f"{d.year}-Q{(d.month - 1) // 3 + 1}"}[_grain(grain).name]


def default_grain(date_from: dt.date, date_to: dt.date) -> str:
    """A granularity that gives a readable number of points for the range."""
    days = (date_to - date_from).days + 1
    if days <= 14:
        return "day"
    if days <= 120:  # a month is 4-5 weekly points, not 31 noisy days
        return "week"
    if days <= 3 * 366:
        return "month"
    return "quarter"


MAX_TREND_POINTS = 24  # a trend with more points than this is a smear, not a trend


def trend_window(date_from: dt.date, date_to: dt.date, months: int) -> tuple[dt.date, str]:
    """Start and grain of a trend that ends with the range: the range, but at
    least `months` whole months, in months or else quarters, with at most
    MAX_TREND_POINTS points (the most recent quarters of a longer range)."""
    start = min(add_months(date_to.replace(day=1), -(months - 1)), date_from)
    for grain in ("month", "quarter"):
        if len(period_starts(grain, start, date_to)) <= MAX_TREND_POINTS:
            return start, grain
    return period_before("quarter", floor("quarter", date_to), MAX_TREND_POINTS - 1), "quarter"


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


def period_range(grain: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the period starting on `start`."""
    return start, period_before(grain, start, -1) - dt.timedelta(days=1)


def period_before(grain: str, start: dt.date, count: int = 1) -> dt.date:
    """Start of the period `count` periods before `start` (after, when negative)."""
    g = _grain(grain)
    if g.months:
        return add_months(start, -count * g.months)
    return start - dt.timedelta(days=count * g.days)


def year_before(grain: str, start: dt.date) -> dt.date:
    """Start of the same period one year earlier: the same month or quarter,
    or the same ISO week number (the nearest, when that year has no week 53)."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        weeks_last_year = dt.date(year - 1, 12, 28).isocalendar()[1]
        return dt.date.fromisocalendar(year - 1, min(week, weeks_last_year), 1)
    if grain == "day":  # 29 February: the 28th
        return start.replace(year=start.year - 1, day=min(start.day, 28 if start.month == 2 else 31))
    return add_months(start, -12)


_PERIOD_FORMATS = "YYYY-MM, YYYY-Www, YYYY-Qn, last-month or last-week"


def parse_period(text: str, today: dt.date | None = None) -> tuple[str, dt.date, dt.date]:
    """A report period as (grain, first day, last day): "2025-11", "2025-W47",
    "2025-Q4", or "last-month" / "last-week" (the last complete one before
    `today`, so a scheduled run on the 1st reports the month just ended)."""
    today = today or dt.date.today()
    text = text.strip()
    if text == "last-month":
        return ("month", *month_range(add_months(today.replace(day=1), -1)))
    if text == "last-week":
        return ("week", *period_range("week", today - dt.timedelta(days=today.weekday() + 7)))
    try:
        if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
            return ("month", *month_range(dt.date(int(text[:4]), int(text[5:]), 1)))
        if len(text) in (7, 8) and text[4:6].upper() == "-W":
            return ("week", *period_range("week", dt.date.fromisocalendar(int(text[:4]), int(text[6:]), 1)))
        if len(text) == 7 and text[4:6].upper() == "-Q" and text[6] in "1234":
            return ("quarter", *period_range("quarter", dt.date(int(text[:4]), 3 * int(text[6]) - 2, 1)))
    except ValueError:
        pass
    raise ValueError(f"not a period ({_PERIOD_FORMATS}): {text!r}")


def period_starts(grain: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """Starts of the weeks, months or quarters that hold data from `first`
    to `last`, newest first (the report's period picker)."""
    start = floor(grain, first)
    out = []
    while start <= last:
        out.append(start)
        start = period_before(grain, start, -1)
    return out[::-1]
