"""The Upload page's drawing (pages/upload.py): the file's preview with the
role of every column, the starter-pack choice with its reasons, the import's
result, the datasets and the remembered mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_int, fmt_pct, t
from nps_core.db import datasets
from nps_core.db.errors import StoreBusy
from nps_core.ingest import remember
from nps_core.ingest.importer import Inspection, pack_why
from nps_core.text import packs
from nps_core.views.upload import UploadView
from ui import mapping, navigation, tables
from ui.packs import pack_select
from ui.plain import md_escape, md_values


def detected(info: Inspection, file_name: str, L: str) -> None:
    """What the file is: rows, columns, encoding, delimiter, and its warnings."""
    rows = fmt_int(info.rows, L) if info.rows is not None else f"> {fmt_int(info.sampled, L)}"
    st.success(t("file_detected", L, rows=rows, columns=len(info.headers),
                 encoding=info.encoding, delimiter={"\t": "tab", ",": ",", ";": ";", "|": "|"}.get(
                     info.delimiter, info.delimiter) if info.kind == "csv" else "Excel"))
    if info.sampled:
        st.caption(t("file_sampled", L, rows=fmt_int(info.sampled, L)))
    for code in info.warnings:
        st.warning(t(f"warn_{code}", L, **md_values(file=file_name)))


def roles(headers: list[str], chosen: dict[str, str], L: str) -> dict[str, str]:
    """column -> the role it gets: the field it is mapped to, else an extra drill-down dimension."""
    field_of = {column: field for field, column in chosen.items() if column}
    return {h: mapping.field_label(field_of[h], L).rstrip(" *") if h in field_of else t("role_extra", L)
            for h in headers}


def preview(frame: pd.DataFrame, headers: list[str], chosen: dict[str, str], L: str) -> None:
    """The first rows with every column (the table scrolls sideways), each headed by its role."""
    st.subheader(t("preview", L))
    st.caption(t("preview_roles", L, n=len(headers)))
    role = roles(headers, chosen, L)
    st.dataframe(frame, hide_index=True, width="stretch", height=260, column_config={
        h: st.column_config.Column(f"{h} → {role[h]}", width="medium") for h in frame.columns if h in role})


def pack_choice(container, info: Inspection, exists: bool, L: str) -> str | None:
    """The starter themes of a new dataset, pre-selected from the file's own
    comments (or remembered from the survey's last import), with the coverage
    figures and why; None for a dataset that exists (it keeps its themes)."""
    if exists:
        container.caption(t("pack_why_existing_dataset", L))
        return None
    kept = (info.remembered or {}).get("theme_pack")
    suggested = kept if kept in packs.PACKS else (info.pack.pack if info.pack and info.pack.pack else packs.DEFAULT)
    chosen = pack_select(container, L, "upload_pack", suggested, help=t("theme_pack_help", L))
    if kept in packs.PACKS:
        container.caption(t("pack_remembered", L, pack=t(f"pack_{kept}", L)))
    elif info.pack:
        container.caption(pack_why(info.pack, L))
        if info.pack.coverage:
            container.caption(t("pack_coverage", L, figures=" · ".join(
                f"{t(f'pack_{p}', L)} {fmt_pct(share, L)}" for p, share in info.pack.coverage)))
    return chosen


def result(L: str) -> None:
    """The last import's counts, its warnings and its rejects to download."""
    done = st.session_state.get("last_import")
    if done is None:
        return
    st.subheader(t("import_result", L, **md_values(dataset=done.dataset)))
    for col, key in zip(st.columns(4), ("read", "imported", "duplicates", "rejected")):
        col.metric(t(f"count_{key}", L), fmt_int(getattr(done, key), L))
    for code in done.warnings:
        st.warning(t(f"warn_{code}", L, **md_values(file=st.session_state.get("last_import_file", ""))))
    if done.theme_pack is not None:
        st.caption(pack_why(done.theme_pack, L))
    if done.reasons:
        st.dataframe(pd.DataFrame({t("reason", L): list(done.reasons), "n": list(done.reasons.values())}),
                     hide_index=True)
        with open(done.rejects_file, "rb") as fh:
            st.download_button(t("download_rejects", L), fh.read(), file_name=Path(done.rejects_file).name,
                               mime="text/csv", icon=":material/download:", on_click="ignore")
    st.page_link(navigation.path("overview"), label=t("open_dashboard", L), icon=":material/dashboard:")


def _busy(L: str, act) -> None:
    try:
        act()
    except StoreBusy:
        st.warning(t("busy", L))
        st.stop()


def datasets_section(v: UploadView, names: list[str], default: str | None, store, may, L: str) -> None:
    """The datasets, the default one and (for those allowed) deleting one."""
    st.subheader(t("datasets_title", L))
    rows = v.datasets
    st.dataframe(tables.dataset_table(rows, default, L), hide_index=True, width="stretch")
    if may("default_dataset"):
        s1, s2 = st.columns([4, 1], vertical_alignment="bottom")
        chosen = s1.selectbox(t("default_which", L), names, index=names.index(default) if default in names else 0,
                              key="default_name")
        if s2.button(t("set_default", L), disabled=chosen == default, key="default_button"):
            _busy(L, lambda: datasets.set_default(store, chosen))
            st.toast(t("default_set", L, **md_values(dataset=chosen)))
            st.rerun()
    if may("delete_dataset"):
        d1, d2, d3 = st.columns([2, 2, 1])
        victim = d1.selectbox(t("delete_which", L), [r["name"] for r in rows], key="delete_name")
        sure = d2.checkbox(t("delete_confirm", L, **md_values(dataset=victim)), key="delete_sure",
                           disabled=len(rows) < 2, help=t("keep_one", L) if len(rows) < 2 else None)
        if d3.button(t("delete", L), disabled=not sure or len(rows) < 2, icon=":material/delete:", key="delete_button"):
            _busy(L, lambda: datasets.delete_dataset(store, victim))
            st.session_state.pop("last_import", None)
            st.toast(t("deleted", L, **md_values(dataset=victim)))
            st.rerun()


def remembered_section(v: UploadView, store, L: str) -> None:
    """The remembered mappings (with programme type and pack), each forgettable."""
    st.subheader(t("remembered_title", L))
    st.caption(t("remembered_help", L))
    kept = v.remembered
    if not kept:
        st.caption(t("remembered_none", L))
        return
    st.dataframe(pd.DataFrame([{
        "id": m["id"], t("dataset", L): m["dataset"], t("saved_at", L): m["saved_at"],
        t("programme_type", L): t(m["nps_type"], L) if m["nps_type"] else "–",
        t("theme_pack", L): t(f"pack_{m['theme_pack']}", L) if m["theme_pack"] in packs.PACKS else "–",
        t("remembered_fields", L): ", ".join(f"{mapping.field_label(f, L).rstrip(' *')} = {c}"
                                             for f, c in m["mapping"].items()),
    } for m in kept]), hide_index=True, width="stretch")
    f1, f2 = st.columns([3, 1])
    forget_id = f1.selectbox(t("forget_which", L), [m["id"] for m in kept], key="forget_id",
                             format_func=lambda i: next(f"#{m['id']} {m['dataset']} ({m['saved_at']})"
                                                        for m in kept if m["id"] == i))
    if f2.button(t("forget", L), icon=":material/delete:", key="forget_button"):
        _busy(L, lambda: remember.forget(store, forget_id))
        st.rerun()


def remembered_note(info: Inspection, L: str) -> None:
    if info.remembered:
        st.info(md_escape(t("ev_remembered", L, dataset=info.remembered["dataset"],
                            saved_at=info.remembered["saved_at"])), icon=":material/history:")
