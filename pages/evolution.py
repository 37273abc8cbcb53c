"""Evolution: NPS over time at a chosen granularity, optionally one line per group,
and the promoter / passive / detractor shares over time."""

import streamlit as st

from nps_core.analysis.periods import GRAINS, default_grain
from nps_core.base.i18n import dim_label, t
from nps_core.present.charts import (
    category_share_chart,
    nps_lines_chart,
    nps_trend_chart,
    volume_chart,
)
from ui import cached, page

L, f, store = page.header("evolution")
left, right = st.columns([1, 1])
grain = left.segmented_control(
    t("granularity", L), GRAINS, key="grain", format_func=lambda g: t(f"grain_{g}", L),
    default=default_grain(f.date_from, f.date_to), required=True,
)
splits = ["", "nps_type", *cached.dimensions(store, f.dataset)]
split = right.selectbox(
    t("lines_per", L), splits, key="split",
    format_func=lambda s: t("one_line", L) if not s else (
        t("programme_type", L) if s == "nps_type" else dim_label(s, L)),
)

with st.spinner(t("loading", L)):
    trend = cached.trend(store, f, grain, None)
if trend.empty:
    st.info(t("no_data", L))
    st.stop()

st.subheader("NPS")
if split:
    lines = cached.trend(store, f, grain, split)
    legend = t("programme_type", L) if split == "nps_type" else dim_label(split, L)
    if split == "nps_type":
        lines = lines.assign(grp=[t(g, L) for g in lines["grp"]])
    st.altair_chart(nps_lines_chart(lines, L, grain, legend), width="stretch")
else:
    st.altair_chart(nps_trend_chart(trend, L, grain), width="stretch")
st.altair_chart(volume_chart(trend, L, grain), width="stretch")
if trend["small"].any():
    st.caption(t("hollow_small", L))

st.subheader(t("shares_title", L))
st.altair_chart(category_share_chart(trend, L, grain), width="stretch")
