"""The Connect page's drawing (pages/connect.py): the sources with Refresh,
the last copy's result, and choosing a connection's table or query."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_int, t
from nps_core.db import connections
from nps_core.db.errors import StoreBusy, StoreError
from nps_core.views.connect import ConnectView
from ui import cached, uploads
from ui.plain import md_values

OTHER, QUERY = "\0other", "\0query"


def refused(exc: Exception, L: str) -> None:
    if isinstance(exc, StoreBusy):
        st.warning(t("busy", L))
    else:
        st.error(t("source_refused", L, **md_values(error=str(exc).splitlines()[0])))
    st.stop()


def show_result(L: str) -> None:
    done = st.session_state.get("source_result")
    if not done:
        return
    message, source_name, mode, result = done
    st.success(t(message, L, **md_values(name=source_name)))
    for col, k in zip(st.columns(4), ("read", "imported", "duplicates", "rejected")):
        label = "count_available" if mode == "live" and k == "imported" else f"count_{k}"
        col.metric(t(label, L), fmt_int(getattr(result, k), L))
    if result.reasons:
        st.dataframe(pd.DataFrame({t("reason", L): list(result.reasons), "n": list(result.reasons.values())}),
                     hide_index=True)


def sources(v: ConnectView, store, L: str) -> None:
    """The sources there are, with Refresh; first on the page, so a refresh needs no table chosen below."""
    st.subheader(t("sources_title", L))
    uploads.show_progress(L)
    uploads.show_outcome(L)
    show_result(L)
    rows = v.sources
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


def pick_source(L: str) -> tuple[str, str | None, str | None]:
    """The connection, and its table or (PostgreSQL) query; stops the page until they are chosen."""
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
        refused(exc, L)
    if kind == "parquet":
        return ref, None, None
    options = [*tables, *([QUERY] if kind == "postgres" else [])]
    choice = st.selectbox(t("source_table", L), options, index=None, placeholder=t("choose", L), key="connect_table",
                          format_func=lambda x: t("sql_query", L) if x == QUERY else x)
    query = None
    if choice == QUERY:
        query = st.text_area(t("query", L), key="connect_query", placeholder="SELECT * FROM responses").strip()
    table = choice if choice not in (None, QUERY) else None
    if not table and not query:
        st.stop()
    return ref, table, query
