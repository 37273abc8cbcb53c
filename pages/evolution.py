"""Evolution: NPS over time at a chosen granularity, optionally one line per group,
and the promoter / passive / detractor shares over time."""

import streamlit as st

from nps_core.analysis.periods import GRAINS
from nps_core.base.i18n import dim_label, t
from nps_core.present.charts import (
    category_share_chart,
    nps_lines_chart,
    nps_trend_chart,
    volume_chart,
)
from nps_core.views import evolution
from ui import cached, page

L, f, store = page.header("evolution")
with st.spinner(t("loading", L)):
    v = cached.view(evolution.build, store, f, L, grain=st.session_state.get("grain"),
                    split=st.session_state.get("split") or "")
left, right = st.columns([1, 1])
left.segmented_control(t("granularity", L), GRAINS, key="grain", format_func=lambda g: t(f"grain_{g}", L),
                       default=v.grain, required=True)
right.selectbox(
    t("lines_per", L), v.splits, key="split",
    format_func=lambda s: t("one_line", L) if not s else (
        t("programme_type", L) if s == "nps_type" else dim_label(s, L)),
)
if v.trend.empty:
    st.info(t("no_data", L))
    st.stop()

st.subheader("NPS")
if v.lines is not None:
    legend = t("programme_type", L) if v.split == "nps_type" else dim_label(v.split, L)
    lines = v.lines.assign(grp=[t(g, L) for g in v.lines["grp"]]) if v.split == "nps_type" else v.lines
    st.altair_chart(nps_lines_chart(lines, L, v.grain, legend), width="stretch")
else:
    st.altair_chart(nps_trend_chart(v.trend, L, v.grain), width="stretch")
st.altair_chart(volume_chart(v.trend, L, v.grain), width="stretch")
if v.trend["small"].any():
    st.caption(t("hollow_small", L))

st.subheader(t("shares_title", L))
st.altair_chart(category_share_chart(v.trend, L, v.grain), width="stretch")
