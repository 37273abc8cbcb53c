"""The Evolution page: NPS over time at a grain, one line per group when asked."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import aggregates, complete
from nps_core.analysis.filters import Filters
from nps_core.analysis.periods import default_grain
from nps_core.db.store import Store


@dataclass(frozen=True)
class EvolutionView:
    grain: str
    split: str  # "": one line
    splits: tuple[str, ...]  # "", the programme type, then the segment columns
    trend: pd.DataFrame
    lines: pd.DataFrame | None  # one line per group of `split`


def build(store: Store, filters: Filters, lang: str, grain: str | None = None, split: str = "") -> EvolutionView:
    grain = grain or default_grain(filters.date_from, filters.date_to)
    days = aggregates.data_range(store, filters.dataset)
    # a period still running (or cut by the range) is labelled partial on the charts
    trend = complete.with_partial(aggregates.trend(store, filters, grain, None), grain, days[1] if days else None,
                                  date_from=filters.date_from, date_to=filters.date_to)
    lines = aggregates.trend(store, filters, grain, split) if split and not trend.empty else None
    return EvolutionView(grain, split, ("", "nps_type", *aggregates.dimensions(store, filters.dataset)), trend, lines)
