"""Connect: read responses from a database or Parquet files, live or as a
refreshed snapshot, with the same column mapping as uploads. Connections are
chosen by name; their URLs and passwords are never shown."""

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_int, t
from nps_core.db import connections
from nps_core.db.errors import StoreBusy, StoreError
from nps_core.sources.attach import MODES
from ui import auth, cached, mapping, state, uploads
from ui.plain import md_values

L = state.lang()
auth.require("connect_source", L)
store = cached.store()
uploads.settle_import()  # a copy that finished since the last run: its result below
NONE = mapping.NONE
OTHER, QUERY = "\0other", "\0query"

st.title(t("connect", L))
st.caption(t("connect_help", L))


def refused(exc: Exception) -> None:
    if isinstance(exc, StoreBusy):
        st.warning(t("busy", L))
    else:
        st.error(t("source_refused", L, **md_values(error=str(exc).splitlines()[0])))
    st.stop()


def show_result() -> None:
    done = st.session_state.get("source_result")
    if not done:
        return
    message, source_name, mode, result = done
    st.success(t(message, L, **md_values(name=source_name)))
    m = st.columns(4)
    for col, k in zip(m, ("read", "imported", "duplicates", "rejected")):
        label = "count_available" if mode == "live" and k == "imported" else f"count_{k}"
        col.metric(t(label, L), fmt_int(getattr(result, k), L))
    if result.reasons:
        st.dataframe(pd.DataFrame({t("reason", L): list(result.reasons), "n": list(result.reasons.values())}),
                     hide_index=True)


def sources() -> None:
    """The sources there are, with Refresh; first on the page, so a refresh needs no table chosen below."""
    st.subheader(t("sources_title", L))
    uploads.show_progress(L)
    uploads.show_outcome(L)
    show_result()
    rows = cached.source_list(store)
    if not rows:
        st.caption(t("no_sources", L))
        return
    table_rows = pd.DataFrame(rows)[["name", "kind", "mode", "connection", "reads", "refreshed_at"]]
    table_rows["mode"] = table_rows["mode"].map(lambda m: t(f"mode_{m}", L).split(":")[0])
    st.dataframe(table_rows.rename(columns={
        "name": t("dataset", L), "kind": t("kind", L), "mode": t("mode", L), "connection": t("connection", L),
        "reads": t("reads", L), "refreshed_at": t("last_refresh", L)}), hide_index=True, width="stretch")
    r1, r2 = st.columns([3, 1])
    which = r1.selectbox(t("refresh_which", L), [r["name"] for r in rows], key="refresh_name")
    if not uploads.import_running() and r2.button(t("refresh", L), icon=":material/refresh:", key="refresh_button"):
        mode = next(r["mode"] for r in rows if r["name"] == which)
        uploads.start_source_task(store, "refresh_source", ("refresh_result", which, mode), name=which)


sources()
st.divider()
st.subheader(t("add_source", L))
configured = connections.configured()
if not configured:
    st.info(t("no_connections", L))
ref = st.selectbox(t("connection", L), [*configured, OTHER], key="connect_ref",
                   format_func=lambda r: t("other_connection", L) if r == OTHER else r)
if ref == OTHER:
    ref = st.text_input(t("connection_path", L), key="connect_path").strip()
if not ref:
    st.stop()

try:
    kind = connections.target(connections.check_reference(ref)).kind
    tables = cached.source_tables(ref)
except StoreError as exc:
    refused(exc)

table = query = None
if kind != "parquet":
    options = [*tables, *([QUERY] if kind == "postgres" else [])]
    choice = st.selectbox(t("source_table", L), options, index=None, placeholder=t("choose", L), key="connect_table",
                          format_func=lambda x: t("sql_query", L) if x == QUERY else x)
    if choice == QUERY:
        query = st.text_area(t("query", L), key="connect_query", placeholder="SELECT * FROM responses").strip()
    table = choice if choice not in (None, QUERY) else None
    if not table and not query:
        st.stop()

key = f"{ref}|{table}|{query}"
order_choice = st.session_state.get("connect_date_order", "auto")
overrides = st.session_state.get(f"connect_overrides:{key}", {})
try:
    headers, settled, preview = cached.inspect_source(ref, table, query, overrides, order_choice)
except StoreError as exc:
    refused(exc)

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
