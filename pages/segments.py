"""Segments and drill-down: NPS by any dimension with its margin and change;
clicking a bar narrows everything to that segment."""

import streamlit as st

from nps_core.base.i18n import dim_label, t
from nps_core.present.charts import SEGMENT_SELECTION, segment_chart
from nps_core.views import segments
from ui import cached, navigation, page, state, tables
from ui.plain import md_values

L, f, store = page.header("segments")
path = state.drill_path()
key = f"segment_dim_{len(path)}"
with st.spinner(t("loading", L)):
    v = cached.view(segments.build, store, f, L, drilled=tuple(d for d, _ in path),
                    dimension=st.session_state.get(key))
dimension = st.selectbox(
    t("break_down_by", L), v.options, index=v.options.index(v.dimension), key=key,
    format_func=lambda d: t("programme_type", L) if d == "nps_type" else dim_label(d, L),
)
table = v.table
if table.empty:
    st.info(t("no_values", L, **md_values(dimension=dim_label(dimension, L))))
    st.stop()

title = t("programme_type", L) if dimension == "nps_type" else dim_label(dimension, L)
shown = table.assign(key=[t(k, L) for k in table["key"]]) if dimension == "nps_type" else table
event = st.altair_chart(segment_chart(shown, L, title), width="stretch", on_select="rerun",
                        selection_mode=SEGMENT_SELECTION, key=f"seg_chart_{dimension}")
st.caption(t("click_to_drill", L))
picked = (event.selection.get(SEGMENT_SELECTION) or []) if event else []
if picked:
    label = picked[0]["key"]
    value = table["key"][list(shown["key"]).index(label)]
    if dimension == "nps_type":
        st.session_state["types"] = [value]
        st.rerun()
    state.drill(dimension, value)

st.dataframe(tables.segment_table(table, L, title), hide_index=True, width="stretch")

st.subheader(t("latest_verbatims", L))
tables.verbatim_cards(v.latest, L)
st.page_link(navigation.path("verbatims"), label=t("all_verbatims", L), icon=":material/chat:")
