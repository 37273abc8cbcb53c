"""Customer value: revenue per customer by category and over time —
do our promoters really spend more?"""

import streamlit as st

from nps_core.analysis.periods import trend_window
from nps_core.analysis.value import promoter_gap
from nps_core.base.i18n import (
    dim_label,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_range,
    t,
)
from nps_core.present.charts import value_chart, value_trend_chart
from ui import cached, page
from ui.plain import md_values

L, f, store = page.header("customer_value")
columns = cached.value_columns(store, f.dataset)
if not columns:
    st.info(t("no_value_column", L))
    st.stop()
column = st.selectbox(t("value_column", L), columns, key="value_col",
                      format_func=lambda c: dim_label(c, L))
label = dim_label(column, L)

with st.spinner(t("loading", L)):
    table = cached.value_by_category(store, f, column)
if table.empty:
    st.info(t("no_data", L))
    st.stop()
gap = promoter_gap(table)
if gap is not None:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("promoters", L), fmt_money(gap.promoters_mean, L))
    c2.metric(t("detractors", L), fmt_money(gap.detractors_mean, L))
    c3.metric(t("difference", L), fmt_money(gap.difference, L, signed=True))
    verdict = t("gap_significant" if gap.significant else "gap_not_significant", L)
    st.markdown(t("gap_line", L, low=fmt_money(gap.low, L, signed=True), high=fmt_money(gap.high, L, signed=True),
                  ratio=fmt_decimal(gap.ratio, L, 2), verdict=verdict,
                  customers=fmt_int(int(table["customers"].sum()), L)))

st.subheader(t("value_by_category", L, **md_values(column=label)))
st.altair_chart(value_chart(table, L, label), width="stretch")

# a month alone is one point: show the year up to it
start, grain = trend_window(f.date_from, f.date_to, 13)
st.subheader(t("value_over_time", L, **md_values(column=label)))
st.caption(fmt_range(start, f.date_to, L))
trend = cached.value_over_time(store, f.with_dates(start, f.date_to), column, grain)
st.altair_chart(value_trend_chart(trend, L, grain, label), width="stretch")
