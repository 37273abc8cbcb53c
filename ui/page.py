"""What every page starts with: its title, the period, programme types and
dataset it shows, and the active segment filters with a way back."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from nps_core.analysis import complete
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_partial, fmt_range, segments_text, t
from nps_core.db.connections import SourceError
from nps_core.db.store import Store
from nps_core.views import sidebar
from ui import analysis, cached, state
from ui.plain import md_escape


def header(title_key: str) -> tuple[str, Filters, Store]:
    """Draw the title, the caption and the filter line; return (language, filters, store)."""
    L, f, store = state.lang(), state.filters(), cached.store()
    st.title(t(title_key, L))
    filter_caption(f, L, last_day(store, f))
    analysis.notice(store, L)
    return L, f, store


def last_day(store: Store, f: Filters) -> dt.date | None:
    """The dataset's last day with a response (the sidebar's cached view), or None when its source is down."""
    try:
        return cached.view(sidebar.build, store, f.dataset).last
    except SourceError:
        return None


def period_text(f: Filters, last: dt.date | None, L: str) -> str:
    """The period as people read it: "December 2025", or "1–20 June 2018,
    partial" when it runs past the data's last complete day (analysis/complete.py)."""
    if last is not None and f.date_to is not None and complete.runs_past(f.date_to, last):
        return fmt_partial(f.date_from, min(f.date_to, last), L)
    return fmt_range(f.date_from, f.date_to, L)


def filter_caption(f: Filters, L: str, last: dt.date | None = None) -> None:
    """Period · programme types · dataset, then — when any is active — the
    segment filters, so a drilled page never looks like the whole picture."""
    types = ", ".join(t(x, L) for x in f.nps_types) or t("all_types", L)
    st.caption(t("period_caption", L, period=period_text(f, last, L), types=md_escape(types),
                 dataset=md_escape(f.dataset or "")))
    segments = state.segment_filters()
    if not segments:
        return
    label = t("drill_path" if state.drill_path() else "filtered_on", L)
    text, undo = st.columns([5, 1]) if state.drill_path() else (st.container(), None)
    text.markdown(f":material/filter_alt: **{label}:** " + md_escape(segments_text(segments, L)))
    if undo is not None and undo.button(t("undo_drill", L), icon=":material/undo:", key="undo"):
        state.undo_drill()
