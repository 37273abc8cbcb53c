"""Connect: read responses from a database or Parquet files, live or as a
refreshed snapshot, with the same column mapping as uploads. Connections are
chosen by name; their URLs and passwords are never shown."""

import streamlit as st

from nps_core.base.i18n import fmt_int, t
from nps_core.db.errors import StoreError
from nps_core.sources.attach import MODES
from nps_core.views import connect
from ui import auth, cached, connect_form, mapping, state, uploads

L = state.lang()
auth.require("connect_source", L)
store = cached.store()
uploads.settle_import()  # a copy that finished since the last run: its result below
NONE = mapping.NONE

st.title(t("connect", L))
st.caption(t("connect_help", L))
connect_form.sources(cached.view(connect.build, store), store, L)
st.divider()
st.subheader(t("add_source", L))
ref, table, query = connect_form.pick_source(L)

key = f"{ref}|{table}|{query}"
order_choice = st.session_state.get("connect_date_order", "auto")
overrides = st.session_state.get(f"connect_overrides:{key}", {})
try:
    headers, settled, preview = cached.inspect_source(ref, table, query, overrides, order_choice)
except StoreError as exc:
    connect_form.refused(exc, L)

st.caption(t("source_rows_sample", L, columns=len(headers), rows=fmt_int(settled.rows, L)))
st.dataframe(preview, hide_index=True, width="stretch", height=240)

st.subheader(t("mapping", L))
st.caption(t("mapping_help", L))
chosen = mapping.editor(headers, settled.mapping, key, L, settled.guess, None, settled.category_disagrees)
if mapping.changed(chosen, settled.mapping):
    st.session_state[f"connect_overrides:{key}"] = chosen
    st.rerun()  # re-read with the corrected mapping (the date order may change)

c1, c2, c3 = st.columns(3)
nps_type = mapping.type_and_order(chosen, (c1, c2), "connect", L)
name = c3.text_input(t("source_name", L), key="connect_name",
                     value=(table or "query").split(".")[-1].replace(" ", "_"))
m1, m2 = st.columns(2)
mode = m1.radio(t("mode", L), MODES, key="connect_mode", format_func=lambda m: t(f"mode_{m}", L))
cursor = None
if mode == "snapshot":
    cursor = m2.selectbox(t("cursor", L), [NONE, *headers], key="connect_cursor",
                          index=[NONE, *headers].index(chosen["response_id"]) if chosen["response_id"] else 0,
                          format_func=lambda h: t("no_cursor", L) if h == NONE else h) or None

missing = [f for f in ("score", "responded_at") if not chosen[f]]
if missing:
    st.error(t("missing_fields", L, fields=", ".join(t(f"field_{f}", L) for f in missing)))
elif not chosen["nps_type"] and not nps_type:
    st.info(t("choose_type", L))
elif not uploads.import_running() and st.button(t("add", L), type="primary", icon=":material/add_link:",
                                                key="connect_add"):
    # a snapshot copies the whole table: in a worker process, like an upload (ui/uploads.py)
    uploads.start_source_task(store, "add_source", ("source_added", name.strip(), mode), name=name.strip(),
                              url=ref, table=table, query=query, mapping=chosen, nps_type=nps_type or None,
                              mode=mode, cursor=cursor, date_order=order_choice)
