"""The change explained (present/narrative.Why), drawn on the Overview: the
sentences, the dimension picker, the bridge and the themes that moved.

The sentences quote segment values and theme names, which come from the
data: they are escaped, never read as Markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.base.i18n import dim_label, fmt_decimal, fmt_nps, fmt_pct, t
from nps_core.present.charts import bridge_chart
from nps_core.present.narrative import Why
from ui.plain import md_escape

KEY = "why_by"  # the picked dimension's widget: the page reads it before building its view


def picked() -> str | None:
    """The dimension picked on an earlier run (None: the one that explains most)."""
    return st.session_state.get(KEY)


def dimension_label(dimension: str, best: str, lang: str) -> str:
    label = dim_label(dimension, lang)
    return t("why_best", lang, dimension=label) if dimension == best else label


def draw(w: Why | None, previous: str, L: str) -> None:
    st.subheader(t("why_title", L))
    if w is None:
        st.info(t("why_none", L, previous=md_escape(previous)))
        return
    st.markdown("\n".join(f"- {md_escape(s)}" for s in w.sentences))
    st.session_state[KEY] = w.dimension  # the one explained by: a stale pick (another dataset) falls back to the best
    st.selectbox(t("why_by", L), w.options, key=KEY, format_func=lambda d: dimension_label(d, w.best, L))
    st.altair_chart(bridge_chart(w.bridge, L), width="stretch")
    st.caption(t("why_help", L))
    themes(w, L)


def themes(w: Why, L: str) -> None:
    """The themes that moved, largest effect first, as plain-text cells."""
    st.markdown(f"**{t('themes_moved_title', L)}**")
    if w.themes.empty:
        st.caption(t("themes_moved_none", L, n=w.doc["themes_tested"]))
        return
    fmt = {"share": lambda v: fmt_pct(v, L), "gap": lambda v: fmt_nps(v, L)}
    st.dataframe(pd.DataFrame({
        t("theme", L): w.themes["label"],
        t("themes_moved_what", L): [t(f"theme_moved_{k}", L) for k in w.themes["test"]],
        t("report_before", L): [fmt[k](v) for k, v in zip(w.themes["test"], w.themes["before"])],
        t("themes_moved_after", L): [fmt[k](v) for k, v in zip(w.themes["test"], w.themes["after"])],
        "q": [fmt_decimal(q, L, 3) for q in w.themes["q"]],
    }), hide_index=True, width="stretch")
