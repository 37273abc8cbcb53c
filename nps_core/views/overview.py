"""The Overview page: the headline NPS, its change explained, its split and evolution."""

from __future__ import annotations

from dataclasses import dataclass

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.present.narrative import Why, why


@dataclass(frozen=True)
class OverviewView:
    overview: aggregates.Overview
    why: Why | None  # the change explained along `by` (None: the dimension that explains most); None: no comparison


def build(store: Store, filters: Filters, lang: str, by: str | None = None) -> OverviewView:
    return OverviewView(aggregates.overview(store, filters), why(store, filters, lang, by))
