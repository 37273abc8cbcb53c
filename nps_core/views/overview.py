"""The Overview page: the headline NPS, its change explained, its split and evolution."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import aggregates, complete
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.present.narrative import Why, why


@dataclass(frozen=True)
class OverviewView:
    overview: aggregates.Overview
    trend: pd.DataFrame  # the overview's monthly trend with `partial` (complete.with_partial)
    why: Why | None  # the change explained along `by` (None: the dimension that explains most); None: no comparison


def build(store: Store, filters: Filters, lang: str, by: str | None = None) -> OverviewView:
    ov = aggregates.overview(store, filters)
    days = aggregates.data_range(store, filters.dataset)
    trend = complete.with_partial(ov.trend, "month", days[1] if days else None, date_to=filters.date_to)
    return OverviewView(ov, trend, why(store, filters, lang, by))
