"""The Follow-up page: the closed loop's figures, last week's spikes, one
page of cases with their history, the promoters to thank, the thank-you
e-mail's preview and settings, and the alert rules.

`now` (to the minute: a case is overdue from its deadline on) and `hour`
(the thank-you preview, which changes once an hour) are arguments, so a
page and the warm-up that read the same minute share one cached view
(ui/warmup.clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import dim_label, fmt_int, fmt_nps, fmt_pct, fmt_range, t
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.followup import alerts, loop, spikes, thank
from nps_core.followup.loop import OPEN
from nps_core.present.narrative import segment_label
from nps_core.text import taxonomy

PAGE_SIZE = 10
THANK_DAYS, THANK_PREVIEW = 7, 3  # the preview: the next run's first messages, of the last week's promoters


@dataclass(frozen=True)
class SpikesShown:
    week: str  # its key, 2025-W52
    period: str  # its days as shown
    tested: int
    rows: pd.DataFrame  # one row per spike, every cell a text (kind, subject, now, baseline, n, q)


@dataclass(frozen=True)
class FollowupView:
    figures: dict  # loop.loop_figures()
    spikes: SpikesShown | None  # None: no complete week in the data yet
    taxonomy: dict
    counts: dict  # cases per status, and overdue
    pages: int
    cases: pd.DataFrame  # the page of cases asked for
    histories: dict  # response_id -> loop.history() of the cases on the page
    promoter_count: int
    promoters: pd.DataFrame
    preview: list  # thank.preview()
    templates: dict  # thank.templates(): per language (subject, body)
    daily_cap: int
    optouts: list
    rules: list  # alerts.Rule
    dimensions: tuple[str, ...]


def spikes_shown(store: Store, dataset: str | None, today: dt.date, lang: str) -> SpikesShown | None:
    """Last complete week's spikes (followup/spikes.find) as the page lists them."""
    try:
        found = spikes.find(store, dataset, today, lang)
    except StoreError:
        return None
    rows = []
    for s in found["spikes"].itertuples():
        if s.kind == "theme":
            rows.append((t("spike_kind_theme", lang), s.label, fmt_pct(s.value, lang), fmt_pct(s.baseline, lang),
                         f"{fmt_int(s.mentions, lang)} / {fmt_int(s.commented, lang)}"))
        else:
            rows.append((t("spike_kind_segment", lang),
                         f"{dim_label(s.dimension, lang)}: {segment_label(s.dimension, s.segment, lang)}",
                         fmt_nps(s.value, lang), fmt_nps(s.baseline, lang), fmt_int(s.n, lang)))
    frame = pd.DataFrame(rows, columns=["kind", "subject", "now", "baseline", "n"])
    frame["q"] = [f"{q:.2g}" for q in found["spikes"]["q"]] if rows else []  # as the alert message writes it
    return SpikesShown(found["week"], fmt_range(found["from"], found["to"], lang), found["tested"], frame)


def build(store: Store, filters: Filters, lang: str, now: dt.datetime, hour: dt.datetime,
          statuses: tuple[str, ...] = OPEN, page: int = 1, show_thanked: bool = False) -> FollowupView:
    store.ensure_schema()
    counts = loop.case_counts(store, filters, now)
    pages = max(1, -(-sum(counts[s] for s in statuses) // PAGE_SIZE))
    page = min(max(1, page), pages)
    cases = loop.cases(store, filters, tuple(statuses), PAGE_SIZE, (page - 1) * PAGE_SIZE, now)
    return FollowupView(
        figures=loop.loop_figures(store, filters), spikes=spikes_shown(store, filters.dataset, now.date(), lang),
        taxonomy=taxonomy.current(store, filters.dataset), counts=counts, pages=pages, cases=cases,
        histories={r: loop.history(store, filters.dataset, r) for r in cases["response_id"]},
        promoter_count=loop.promoter_count(store, filters), promoters=loop.promoters(store, filters, show_thanked),
        preview=thank.preview(store, filters.dataset, THANK_DAYS, hour, THANK_PREVIEW), templates=thank.templates(store),
        daily_cap=thank.daily_cap(store), optouts=thank.optouts(store), rules=alerts.list_rules(store),
        dimensions=tuple(aggregates.dimensions(store, filters.dataset)))
