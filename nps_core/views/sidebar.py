"""The sidebar's filters of one dataset: its period and segment values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.text import enrich


@dataclass(frozen=True)
class SidebarView:
    first: dt.date | None
    last: dt.date | None
    dimensions: tuple[str, ...]
    values: dict[str, list[str]]  # each segment column's values, for its filter
    pending: int  # comments still waiting for their analysis (ui/analysis.py says so)


def build(store: Store, dataset: str) -> SidebarView:
    """Raises sources.live.SourceError when the dataset's live source is down."""
    first, last = aggregates.data_range(store, dataset) or (None, None)
    dims = tuple(aggregates.dimensions(store, dataset))
    return SidebarView(first, last, dims,
                       {d: aggregates.dimension_values(store, Filters(dataset=dataset), d) for d in dims},
                       enrich.pending(store))
