"""Upload: any survey export in (CSV, TSV, Excel), the column mapping shown and
corrected before anything is stored, the import run in a worker process with
progress and Cancel, a clear report of what was rejected and why; and the
datasets in the store, each deletable."""

from pathlib import Path

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_int, t
from nps_core.db import datasets
from nps_core.db.errors import StoreBusy, StoreError
from nps_core.ingest import remember
from nps_core.ingest.importer import dataset_name_for
from ui import analysis, auth, cached, mapping, state, tables, uploads
from ui.packs import pack_select
from ui.plain import md_escape, md_values

L = state.lang()
auth.require("upload", L)
store = cached.store()
uploads.settle_import()  # an import that finished since the last run: its result below
NONE = mapping.NONE

st.title(t("upload", L))
st.caption(t("upload_help", L))
analysis.notice(store, L)

uploaded = st.file_uploader(t("choose_file", L), type=["csv", "tsv", "txt", "xlsx", "gz"], key="upload_file")

uploads.discard_others(uploaded)

if uploaded is not None:
    path = uploads.saved_copy(uploaded)
    order_choice = st.session_state.get("upload_date_order", "auto")
    overrides = st.session_state.get(f"mapping_overrides:{uploaded.file_id}", {})
    default_name = dataset_name_for(Path(uploaded.name))
    try:
        with st.spinner(t("reading_file", L)):
            info, preview = cached.inspect(path, overrides, order_choice, store,
                                           st.session_state.get("upload_name") or default_name)
    except StoreError as exc:
        st.error(t("file_refused", L, **md_values(error=exc)))
        st.stop()

    rows = fmt_int(info.rows, L) if info.rows is not None else f"> {fmt_int(info.sampled, L)}"
    st.success(t("file_detected", L, rows=rows, columns=len(info.headers),
                 encoding=info.encoding, delimiter={"\t": "tab", ",": ",", ";": ";", "|": "|"}.get(
                     info.delimiter, info.delimiter) if info.kind == "csv" else "Excel"))
    if info.sampled:
        st.caption(t("file_sampled", L, rows=fmt_int(info.sampled, L)))
    for code in info.warnings:
        st.warning(t(f"warn_{code}", L, **md_values(file=uploaded.name)))
    st.subheader(t("preview", L))
    st.dataframe(preview, hide_index=True, width="stretch", height=260)

    st.subheader(t("mapping", L))
    st.caption(t("mapping_help", L))
    if info.remembered:
        st.info(md_escape(t("ev_remembered", L, dataset=info.remembered["dataset"],
                            saved_at=info.remembered["saved_at"])), icon=":material/history:")
    chosen = mapping.editor(info.headers, info.mapping, uploaded.file_id, L, info.guess, info.remembered,
                            info.category_disagrees)
    if mapping.changed(chosen, info.mapping):
        st.session_state[f"mapping_overrides:{uploaded.file_id}"] = chosen
        st.rerun()  # re-read with the corrected mapping (the date order may change)

    c1, c2, c3 = st.columns(3)
    nps_type = mapping.type_and_order(chosen, (c1, c2), "upload", L)
    if info.date_order_ambiguous:
        c2.warning(t("date_ambiguous", L, order=t(f"order_{info.date_order}", L)))
    name = c3.text_input(t("dataset_name", L), value=default_name, key="upload_name")
    theme_pack = pack_select(c3, L, "upload_pack", help=t("theme_pack_help", L))

    missing = [f for f in ("score", "responded_at") if not chosen[f]]
    if missing:
        st.error(t("missing_fields", L, fields=", ".join(t(f"field_{f}", L) for f in missing)))
    elif not chosen["nps_type"] and not nps_type:
        st.info(t("choose_type", L))
    elif not uploads.import_running() and st.button(t("import", L), type="primary", icon=":material/upload:"):
        # in a worker process of its own: a crash or out-of-memory there cannot take the server down
        uploads.start_import(store, path, uploaded.name, dataset=name.strip() or None, mapping=chosen,
                             nps_type=nps_type or None, date_order=order_choice, theme_pack=theme_pack)

uploads.show_progress(L)
uploads.show_outcome(L)

result = st.session_state.get("last_import")
if result is not None:
    st.subheader(t("import_result", L, **md_values(dataset=result.dataset)))
    m = st.columns(4)
    for col, key in zip(m, ("read", "imported", "duplicates", "rejected")):
        col.metric(t(f"count_{key}", L), fmt_int(getattr(result, key), L))
    for code in result.warnings:
        st.warning(t(f"warn_{code}", L, **md_values(file=st.session_state.get("last_import_file", ""))))
    if result.reasons:
        st.dataframe(pd.DataFrame({t("reason", L): list(result.reasons), "n": list(result.reasons.values())}),
                     hide_index=True)
        with open(result.rejects_file, "rb") as fh:
            st.download_button(t("download_rejects", L), fh.read(), file_name=Path(result.rejects_file).name,
                               mime="text/csv", icon=":material/download:", on_click="ignore")
    st.page_link("pages/overview.py", label=t("open_dashboard", L), icon=":material/dashboard:")

st.divider()
st.subheader(t("datasets_title", L))
rows = cached.dataset_list(store)
names, default = cached.dataset_choice(store)
st.dataframe(tables.dataset_table(rows, default, L), hide_index=True, width="stretch")
if auth.may("default_dataset"):
    s1, s2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen_default = s1.selectbox(t("default_which", L), names,
                                  index=names.index(default) if default in names else 0, key="default_name")
    if s2.button(t("set_default", L), disabled=chosen_default == default, key="default_button"):
        try:
            datasets.set_default(store, chosen_default)
        except StoreBusy:
            st.warning(t("busy", L))
            st.stop()
        st.toast(t("default_set", L, **md_values(dataset=chosen_default)))
        st.rerun()
if auth.may("delete_dataset"):
    d1, d2, d3 = st.columns([2, 2, 1])
    victim = d1.selectbox(t("delete_which", L), [r["name"] for r in rows], key="delete_name")
    sure = d2.checkbox(t("delete_confirm", L, **md_values(dataset=victim)), key="delete_sure", disabled=len(rows) < 2,
                       help=t("keep_one", L) if len(rows) < 2 else None)
    if d3.button(t("delete", L), disabled=not sure or len(rows) < 2, icon=":material/delete:", key="delete_button"):
        try:
            datasets.delete_dataset(store, victim)
        except StoreBusy:
            st.warning(t("busy", L))
            st.stop()
        st.session_state.pop("last_import", None)
        st.toast(t("deleted", L, **md_values(dataset=victim)))
        st.rerun()

st.divider()
st.subheader(t("remembered_title", L))
st.caption(t("remembered_help", L))
kept = cached.remembered_mappings(store)
if kept:
    st.dataframe(pd.DataFrame([{
        "id": m["id"], t("dataset", L): m["dataset"], t("saved_at", L): m["saved_at"],
        t("remembered_fields", L): ", ".join(f"{mapping.field_label(f, L).rstrip(' *')} = {c}"
                                             for f, c in m["mapping"].items()),
    } for m in kept]), hide_index=True, width="stretch")
    f1, f2 = st.columns([3, 1])
    forget_id = f1.selectbox(t("forget_which", L), [m["id"] for m in kept], key="forget_id",
                             format_func=lambda i: next(f"#{m['id']} {m['dataset']} ({m['saved_at']})"
                                                        for m in kept if m["id"] == i))
    if f2.button(t("forget", L), icon=":material/delete:", key="forget_button"):
        try:
            remember.forget(store, forget_id)
        except StoreBusy:
            st.warning(t("busy", L))
            st.stop()
        st.rerun()
else:
    st.caption(t("remembered_none", L))
