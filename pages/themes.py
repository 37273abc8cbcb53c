"""Themes: what customers talk about, what each theme costs in NPS, and what to fix first."""

import pandas as pd
import streamlit as st

from nps_core.charts import priority_matrix_chart
from nps_core.i18n import fmt_int, fmt_nps, fmt_pct, t
from ui import data, page, tables

L, f, store = page.header("themes")

with st.spinner(t("loading", L)):
    table = data.call("themes.theme_table", store, f, L)
    uncaught = data.call("themes.uncaught_share", store, f)
if table.empty:
    st.info(t("no_data", L))
    st.stop()

st.markdown(t("uncaught_line", L, share=fmt_pct(uncaught, L)))

st.subheader(t("action_points", L))
for point in data.call("themes.action_points", store, f, table):
    with st.container(border=True):
        c1, c2 = st.columns([1, 2])
        c1.metric(point["label"], fmt_nps(point["impact"], L), help=t("impact_help", L))
        c1.caption(t("theme_facts", L, n=fmt_int(point["mentions"], L), nps=fmt_nps(point["nps"], L)))
        trend = point["trend"]
        c1.caption(" · ".join(f"{k}: {fmt_nps(v, L)}" for k, v in zip(trend["key"], trend["nps"])))
        with c2:
            tables.verbatim_cards(point["verbatims"], L)

st.subheader(t("priority_matrix", L))
st.caption(t("matrix_help", L))
st.altair_chart(priority_matrix_chart(table, L), width="stretch")

st.subheader(t("emerging", L))
st.caption(t("emerging_help", L))
rising = data.call("topics.emerging", store, f, 15)
if rising.empty:
    st.info(t("no_emerging", L))
else:
    st.dataframe(pd.DataFrame({
        t("term", L): rising["term"],
        "n": [fmt_int(int(v), L) for v in rising["count"]],
        t("share", L): [fmt_pct(v, L) for v in rising["share"]],
        t("before", L): [fmt_pct(v, L) for v in rising["baseline_share"]],
        t("no_theme", L): ["✔" if u else "" for u in rising["uncaught"]],
    }), hide_index=True, width="stretch")

st.subheader(t("mismatches", L))
left, right = st.columns(2)
for column, kind in ((left, "promoter"), (right, "detractor")):
    with column:
        st.markdown(f"**{t('mismatch_' + kind, L)}**")
        tables.verbatim_cards(data.call("themes.mismatches", store, f, kind, 3), L)

st.subheader(t("all_themes", L))
st.dataframe(pd.DataFrame({
    t("theme", L): table["label"],
    "n": [fmt_int(int(v), L) for v in table["mentions"]],
    t("share", L): [fmt_pct(v, L) for v in table["share"]],
    "NPS": [fmt_nps(v, L) for v in table["nps"]],
    t("nps_without", L): [fmt_nps(v, L) for v in table["nps_without"]],
    t("impact", L): [fmt_nps(v, L) for v in table["impact"]],
    t("sentiment", L): [f"{v:+.2f}".replace(".", "," if L == "nl" else ".") for v in table["sentiment"]],
}), hide_index=True, width="stretch")
