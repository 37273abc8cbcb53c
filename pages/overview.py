"""Overview: headline NPS for the selected period, its change and why it moved, the split and the monthly evolution."""

import streamlit as st

from nps_core.base.i18n import fmt_int, fmt_nps, fmt_pct, fmt_range, t
from nps_core.present.charts import category_split_chart, nps_trend_chart, volume_chart
from nps_core.views import overview
from ui import cached, navigation, page, why

L, f, store = page.header("overview")
with st.spinner(t("loading", L)):
    v = cached.view(overview.build, store, f, L)  # the dimension that explains most, as the warm-up reads it
    if why.picked() not in (None, v.why and v.why.dimension):
        v = cached.view(overview.build, store, f, L, by=why.picked())
ov = v.overview

cur, change = ov.current, ov.change

if cur.n == 0:
    st.info(t("no_data", L))
    st.stop()

prev_label = fmt_range(ov.prev_from, ov.prev_to, L)
c1, c2, c3, c4, c5 = st.columns([1.2, 1, 1, 1, 1])
c1.metric(t("nps", L), fmt_nps(cur.nps, L),
          fmt_nps(change.delta, L) if change.delta is not None else None,
          delta_color="normal" if change.significant else "off")
c2.metric(t("margin", L), "± " + fmt_nps(cur.moe, L, signed=False))
c3.metric(t("responses", L), fmt_int(cur.n, L))
c4.metric(t("promoters", L), fmt_pct(cur.promoter_share, L))
c5.metric(t("detractors", L), fmt_pct(cur.detractor_share, L))
if change.verdict == "too_few_to_judge":
    st.markdown(t("change_line_small", L, period=prev_label, delta=fmt_nps(change.delta, L),
                  verdict=t(change.verdict, L)))
elif change.verdict:
    st.markdown(t("change_line", L, period=prev_label, delta=fmt_nps(change.delta, L), verdict=t(change.verdict, L),
                  threshold=fmt_nps(change.threshold, L, signed=False)))
if cur.small:
    st.warning(t("small_sample", L))

why.draw(v.why, prev_label, L)

st.subheader(t("split_title", L))
st.altair_chart(category_split_chart(cur, L), width="stretch")

st.subheader(t("evolution_title", L))
st.altair_chart(nps_trend_chart(v.trend, L), width="stretch")
st.altair_chart(volume_chart(v.trend, L), width="stretch")

st.divider()
for col, name in zip(st.columns(4), ["evolution", "segments", "verbatims", "customer_value"]):
    col.page_link(navigation.path(name), label=t(name, L), icon=navigation.BY_KEY[name].icon)
