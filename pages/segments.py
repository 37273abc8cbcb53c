"""Segments and drill-down: NPS by any dimension with its margin and change;
clicking a bar narrows everything to that segment."""

import streamlit as st

from nps_core.analysis.verbatims import Query
from nps_core.base.i18n import dim_label, t
from nps_core.present.charts import SEGMENT_SELECTION, segment_chart
from ui import cached, page, state, tables
from ui.plain import md_values

L, f, store = page.header("segments")
path = state.drill_path()

drilled = {d for d, _ in path}
options = ["nps_type", *(d for d in cached.dimensions(store, f.dataset) if d not in drilled)]
# start on the first dimension that splits the current selection at all
useful = [i for i, d in enumerate(options) if i and not cached.breakdown(store, f, d, False).empty]
dimension = st.selectbox(
    t("break_down_by", L), options, index=useful[0] if useful else 0, key=f"segment_dim_{len(path)}",
    format_func=lambda d: t("programme_type", L) if d == "nps_type" else dim_label(d, L),
)

with st.spinner(t("loading", L)):
    table = cached.breakdown(store, f, dimension)
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
recent = cached.verbatims_page(store, f, Query(), 8, 0)
tables.verbatim_cards(recent, L)
st.page_link(tables.PAGE_PATHS["verbatims"], label=t("all_verbatims", L), icon=":material/chat:")
