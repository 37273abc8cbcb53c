"""Customer value: revenue per customer by category and over time —
do our promoters really spend more?"""

import streamlit as st

from nps_core.base.i18n import (
    CURRENCIES,
    currency_label,
    dim_label,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_range,
    t,
)
from nps_core.db import datasets
from nps_core.db.errors import StoreBusy
from nps_core.present.charts import value_chart, value_trend_chart
from nps_core.views import customer_value
from ui import auth, cached, page
from ui.plain import md_values

L, f, store = page.header("customer_value")
with st.spinner(t("loading", L)):
    v = cached.view(customer_value.build, store, f, L, column=st.session_state.get("value_col"))
money = v.currency


def _save_currency(key: str, dataset: str | None) -> None:
    """On a change of the picker `key` only: a rerun never writes back what another admin changed meanwhile."""
    try:
        datasets.set_currency(store, st.session_state[key], dataset)
        st.toast(t("currency_saved", L, currency=st.session_state[key] or v.database_currency))
    except StoreBusy:
        st.session_state["currency_busy"] = True


if auth.may("currency"):  # admins: the currency of the whole database, and of this dataset
    with st.expander(t("currency_title", L) + f": {money}", icon=":material/currency_exchange:"):
        st.caption(t("currency_help", L))
        if st.session_state.pop("currency_busy", False):
            st.warning(t("busy", L))
        offered = list(dict.fromkeys([*CURRENCIES, v.database_currency, *([v.own_currency] if v.own_currency else [])]))
        # the pickers show what is stored, whoever stored it
        st.session_state["cur_db"], st.session_state["cur_own"] = v.database_currency, v.own_currency
        c1, c2 = st.columns(2)
        c1.selectbox(t("currency_global", L), offered, format_func=lambda c: currency_label(c, L), key="cur_db",
                     on_change=_save_currency, args=("cur_db", None))
        follow = t("currency_follow", L, currency=v.database_currency)
        c2.selectbox(t("currency_dataset", L, **md_values(dataset=f.dataset or "")), [None, *offered],
                     format_func=lambda c: follow if c is None else currency_label(c, L), key="cur_own",
                     on_change=_save_currency, args=("cur_own", f.dataset))
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
    c1.metric(t("promoters", L), fmt_money(gap.promoters_mean, L, currency=money))
    c2.metric(t("detractors", L), fmt_money(gap.detractors_mean, L, currency=money))
    c3.metric(t("difference", L), fmt_money(gap.difference, L, signed=True, currency=money))
    verdict = t("gap_significant" if gap.significant else "gap_not_significant", L)
    st.markdown(t("gap_line", L, low=fmt_money(gap.low, L, signed=True, currency=money),
                  high=fmt_money(gap.high, L, signed=True, currency=money),
                  ratio=fmt_decimal(gap.ratio, L, 2), verdict=verdict,
                  customers=fmt_int(int(table["customers"].sum()), L)))

st.subheader(t("value_by_category", L, **md_values(column=label)))
st.altair_chart(value_chart(table, L, label, money), width="stretch")

st.subheader(t("value_over_time", L, **md_values(column=label)))
st.caption(fmt_range(v.trend_from, f.date_to, L))
st.altair_chart(value_trend_chart(v.trend, L, v.grain, label, money), width="stretch")
