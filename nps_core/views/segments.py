"""The Segments page: NPS by one dimension, and the latest comments of the selection."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import aggregates, verbatims
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store

LATEST = 8  # comments under the chart


@dataclass(frozen=True)
class SegmentsView:
    options: tuple[str, ...]  # the programme type, then the segment columns not drilled into yet
    dimension: str
    table: pd.DataFrame
    latest: pd.DataFrame


def build(store: Store, filters: Filters, lang: str, drilled: tuple[str, ...] = (),
          dimension: str | None = None) -> SegmentsView:
    options = ("nps_type", *(d for d in aggregates.dimensions(store, filters.dataset) if d not in drilled))
    if dimension not in options:  # start on the first segment column that splits the selection at all
        useful = [d for d in options[1:] if not aggregates.breakdown(store, filters, d, False).empty]
        dimension = useful[0] if useful else options[0]
    return SegmentsView(options, dimension, aggregates.breakdown(store, filters, dimension),
                        verbatims.page(store, filters, verbatims.Query(), LATEST, 0))
