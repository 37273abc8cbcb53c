"""The Overview page: the headline NPS, its change, its split and evolution."""

from __future__ import annotations

from dataclasses import dataclass

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store


@dataclass(frozen=True)
class OverviewView:
    overview: aggregates.Overview


def build(store: Store, filters: Filters, lang: str) -> OverviewView:
    return OverviewView(aggregates.overview(store, filters))
