"""Complete periods: which day, week, month or quarter is still running.

A month whose data stop on the 20th is not "June's NPS"; shown as if it
were, a board reads ten days of responses as the month. So every default
period is a complete one, and a period that is not is marked partial.

The rule. Data are complete through `complete_through(last_day, today)`:
the earlier of the dataset's last day with a response and yesterday (today
is still running: its responses are still coming in). A period is partial
when it ends after that day. So, with data through 20 June, June is partial;
with data through 30 June, June is complete from 1 July on, and partial on
30 June itself; an export of 2018 read today is judged by its own last day.
A dataset's last day is the export's, not a segment's: a segment that had no
responses in the last days of June does not make June partial.

A group (a period's row in a summary) is also partial when the requested
range cuts the period (--from after its first day, --to before its last):
either way it holds fewer days than its label says.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nps_core.analysis import aggregates, periods
from nps_core.db.store import Store


def complete_through(last_day: dt.date, today: dt.date | None = None) -> dt.date:
    """The last day whose responses are all in: the data's last day, at most yesterday."""
    today = today or dt.date.today()
    return min(last_day, today - dt.timedelta(days=1))


def runs_past(end: dt.date, last_day: dt.date, today: dt.date | None = None) -> bool:
    """Whether a range ending on `end` is still running for these data."""
    return end > complete_through(last_day, today)


def is_partial(grain: str, start: dt.date, last_day: dt.date, today: dt.date | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None) -> bool:
    """Whether the group of the period starting on `start` misses days of it:
    the period is still running, or the requested range cuts it."""
    first, end = periods.period_range(grain, start)
    return (runs_past(end, last_day, today) or (date_from is not None and date_from > first)
            or (date_to is not None and date_to < end))


def last_complete(grain: str, first_day: dt.date, last_day: dt.date,
                  today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day of the latest complete period of `grain` holding
    data from `first_day` to `last_day`; None when no period is complete yet."""
    through = complete_through(last_day, today)
    start = periods.floor(grain, through)
    if periods.period_range(grain, start)[1] > through:
        start = periods.period_before(grain, start)
    first, end = periods.period_range(grain, start)
    return (first, end) if end >= first_day else None


def latest_complete(store: Store, dataset: str | None, grain: str,
                    today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """last_complete() over a dataset's data: the default period of every
    page, report and digest (None: no responses, or no complete period yet)."""
    days = aggregates.data_range(store, dataset)
    return last_complete(grain, *days, today) if days else None


def with_partial(trend: pd.DataFrame, grain: str, last_day: dt.date | None, today: dt.date | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None) -> pd.DataFrame:
    """`trend` (aggregates.trend()) with `partial` per period, so a chart
    labels a still-running last point as partial instead of plotting ten
    days as a month."""
    flags = [last_day is not None and is_partial(grain, p.date(), last_day, today, date_from, date_to)
             for p in trend["period"]] if "period" in trend else []
    return trend.assign(partial=pd.Series(flags, index=trend.index, dtype=bool))
