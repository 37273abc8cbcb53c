"""The Customer value page: revenue per customer by category and over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import value
from nps_core.analysis.filters import Filters
from nps_core.analysis.periods import trend_window
from nps_core.base.i18n import DEFAULT_CURRENCY
from nps_core.db.datasets import currency_settings
from nps_core.db.store import Store

TREND_POINTS = 13  # a month alone is one point: show the year up to it


@dataclass(frozen=True)
class ValueView:
    columns: tuple[str, ...]
    column: str | None
    table: pd.DataFrame | None
    gap: value.Gap | None
    trend_from: dt.date | None
    grain: str | None
    trend: pd.DataFrame | None
    currency: str = DEFAULT_CURRENCY  # what money is shown in: the dataset's own, else the database's (db/catalog.currency)
    own_currency: str | None = None  # the dataset's own setting (None: it follows the database's)
    database_currency: str = DEFAULT_CURRENCY


def build(store: Store, filters: Filters, lang: str, column: str | None = None) -> ValueView:
    columns = tuple(value.value_columns(store, filters.dataset))
    own, database = currency_settings(store, filters.dataset)
    money = {"currency": own or database, "own_currency": own, "database_currency": database}
    if not columns:
        return ValueView(columns, None, None, None, None, None, None, **money)
    column = column if column in columns else columns[0]
    table = value.by_category(store, filters, column)
    start, grain = trend_window(filters.date_from, filters.date_to, TREND_POINTS)
    trend = value.over_time(store, filters.with_dates(start, filters.date_to), column, grain)
    return ValueView(columns, column, table, value.promoter_gap(table), start, grain, trend, **money)
