"""The Themes page: what to fix first and the key drivers (its first screen),
and what its tabs show (trends, per segment, promoters against detractors,
discovery, emerging topics, worth a read, all themes)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import (
    aggregates,
    discovery,
    drivers,
    effort,
    fit,
    themes,
    topics,
)
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.text import taxonomy
from nps_core.text.packs import in_use

TOPICS = 15  # discovered and emerging topics listed
TREND_MONTHS = 12
READS = 5  # detractors' comments on the picked theme
MISMATCHES = 3  # per kind, under "worth a read"


@dataclass(frozen=True)
class ThemesView:
    current: dict  # the dataset's taxonomy (taxonomy.current)
    pack: str | None  # the starter pack in use, None when edited
    table: pd.DataFrame  # themes.theme_table: one row per theme
    uncaught: float | None
    fit: dict  # fit.fit: how well the themes fit what discovery finds
    points: list[dict]  # themes.action_points: what to fix first
    drivers: dict  # drivers.key_drivers
    estimates: pd.DataFrame  # the team's effort estimates
    placed: pd.DataFrame  # harmful themes with their effort (effort.with_effort)
    grain: str
    shares: pd.DataFrame  # theme shares over the trend window
    dims: tuple[str, ...]
    dimension: str | None
    by_segment: pd.DataFrame | None
    sentiment: pd.DataFrame
    read_theme: str | None  # the theme whose detractors' comments `reads` holds
    reads: pd.DataFrame | None
    topics: list[dict]  # discovery.discover
    rising: pd.DataFrame  # topics.emerging
    mismatches: dict  # "promoter" / "detractor" -> comments that contradict their score


def build(store: Store, filters: Filters, lang: str, dimension: str | None = None,
          read_theme: str | None = None) -> ThemesView:
    current = taxonomy.current(store, filters.dataset)
    table = themes.theme_table(store, filters, lang)
    found = discovery.discover(store, filters, TOPICS)
    common = dict(current=current, pack=in_use(current), table=table, uncaught=themes.uncaught_share(store, filters),
                  fit=fit.fit(store, filters), topics=found)
    if table.empty:  # no data, or no themes yet: the page shows discovery only
        return ThemesView(**common, points=[], drivers={}, estimates=pd.DataFrame(), placed=pd.DataFrame(),
                          grain="month", shares=pd.DataFrame(), dims=(), dimension=None, by_segment=None,
                          sentiment=pd.DataFrame(), read_theme=None, reads=None, rising=pd.DataFrame(),
                          mismatches={})
    estimates = effort.efforts(store, filters.dataset)
    window, grain = themes.trend_window(filters, TREND_MONTHS)
    dims = tuple(aggregates.dimensions(store, filters.dataset))
    dimension = dimension if dimension in dims else (dims[0] if dims else None)
    read_theme = read_theme if read_theme in set(table["theme"]) else table["theme"].iloc[0]
    return ThemesView(
        **common, points=themes.action_points(store, filters, table), drivers=drivers.key_drivers(store, filters, lang),
        estimates=estimates, placed=effort.with_effort(table, estimates), grain=grain,
        shares=themes.theme_shares(store, window, grain, lang), dims=dims, dimension=dimension,
        by_segment=themes.by_segment(store, filters, dimension, lang) if dimension else None,
        sentiment=themes.sentiment_by_category(store, filters, lang), read_theme=read_theme,
        reads=themes.representative_verbatims(store, filters, read_theme, READS),
        rising=topics.emerging(store, filters, TOPICS),
        mismatches={kind: themes.mismatches(store, filters, kind, MISMATCHES) for kind in ("promoter", "detractor")})
