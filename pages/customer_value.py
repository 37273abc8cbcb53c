"""Customer value: revenue per customer by category and over time —
do our promoters really spend more?"""

import streamlit as st

from nps_core.base.i18n import (
    dim_label,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_range,
    t,
)
from nps_core.present.charts import value_chart, value_trend_chart
from nps_core.views import customer_value
from ui import cached, page
from ui.plain import md_values

L, f, store = page.header("customer_value")
with st.spinner(t("loading", L)):
    v = cached.view(customer_value.build, store, f, L, column=st.session_state.get("value_col"))
if not v.columns:
    st.info(t("no_value_column", L))
    st.stop()
column = st.selectbox(t("value_column", L), v.columns, index=v.columns.index(v.column), key="value_col",
                      format_func=lambda c: dim_label(c, L))
label = dim_label(column, L)
table, gap = v.table, v.gap
if table.empty:
    st.info(t("no_data", L))
    st.stop()
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

st.subheader(t("value_over_time", L, **md_values(column=label)))
st.caption(fmt_range(v.trend_from, f.date_to, L))
st.altair_chart(value_trend_chart(v.trend, L, v.grain, label), width="stretch")
