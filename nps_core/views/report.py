"""The Report page: the periods one may report on, the default one (the last
complete period: a month still running is never the board's month), and the
report's content for the chosen one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nps_core.analysis import aggregates, complete, periods
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_partial, fmt_period, fmt_range
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.report import content as report_content

GRAINS = ("month", "week", "quarter")


@dataclass(frozen=True)
class ReportView:
    grain: str
    starts: tuple[dt.date, ...]  # every period with data, newest first
    labels: dict  # start -> the period as shown ("1–20 June 2018, partial" while it runs)
    start: dt.date | None
    content: report_content.Report | None  # None: no responses in the period under these filters
    error: str = ""


def period_label(grain: str, start: dt.date, last_day: dt.date, lang: str, today: dt.date | None = None) -> str:
    first, end = periods.period_range(grain, start)
    if complete.runs_past(end, last_day, today):
        return fmt_partial(first, min(end, last_day), lang)
    return fmt_range(first, end, lang) if grain == "month" else fmt_period(grain, start, lang)


def build(store: Store, filters: Filters, lang: str, grain: str = GRAINS[0], start: dt.date | None = None,
          masked: bool = True) -> ReportView:
    grain = grain if grain in GRAINS else GRAINS[0]
    days = aggregates.data_range(store, filters.dataset)
    if days is None:
        return ReportView(grain, (), {}, None, None, "no_data")
    starts = tuple(periods.period_starts(grain, *days))
    if start not in starts:  # the default: the last complete period, else the newest
        done = complete.last_complete(grain, *days)
        start = done[0] if done and done[0] in starts else starts[0]
    labels = {s: period_label(grain, s, days[1], lang) for s in starts}
    try:
        content = report_content.build(store, filters, grain, start, lang, masked)
    except StoreError as exc:
        return ReportView(grain, starts, labels, start, None, str(exc))
    return ReportView(grain, starts, labels, start, content)
