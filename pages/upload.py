"""Upload: any survey export in (CSV, TSV, Excel), the column mapping shown and
corrected before anything is stored, the starter themes chosen from the file's
own comments, the import run in a worker process with progress and Cancel, a
clear report of what was rejected and why; and the datasets in the store, each
deletable. A survey's next file imports with one click: its mapping, programme
type, dataset and pack are remembered (nps_core/ingest/remember.py)."""

from pathlib import Path

import streamlit as st

from nps_core.base.i18n import t
from nps_core.db.errors import StoreError
from nps_core.ingest.importer import dataset_name_for
from nps_core.views import upload
from ui import analysis, auth, cached, mapping, state, upload_form, uploads
from ui.plain import md_values

L = state.lang()
auth.require("upload", L)
store = cached.store()
uploads.settle_import()  # an import that finished since the last run: its result below
st.title(t("upload", L))
st.caption(t("upload_help", L))
analysis.notice(store, L)
names, default = cached.dataset_choice(store)

uploaded = st.file_uploader(t("choose_file", L), type=["csv", "tsv", "txt", "xlsx", "gz"], key="upload_file")
uploads.discard_others(uploaded)
if uploaded is not None:
    path = uploads.saved_copy(uploaded)
    order_choice = st.session_state.get("upload_date_order", "auto")
    overrides = st.session_state.get(f"mapping_overrides:{uploaded.file_id}", {})
    file_name = dataset_name_for(Path(uploaded.name))
    try:
        with st.spinner(t("reading_file", L)):
            info, frame = cached.inspect(path, overrides, order_choice, store,
                                         st.session_state.get("upload_name") or file_name)
    except StoreError as exc:
        st.error(t("file_refused", L, **md_values(error=exc)))
        st.stop()
    upload_form.detected(info, uploaded.name, L)
    kept = info.remembered or {}
    placeholder = st.empty()  # the preview goes above the mapping, drawn once the mapping is chosen

    st.subheader(t("mapping", L))
    st.caption(t("mapping_help", L))
    upload_form.remembered_note(info, L)
    chosen = mapping.editor(info.headers, info.mapping, uploaded.file_id, L, info.guess, info.remembered,
                            info.category_disagrees)
    if mapping.changed(chosen, info.mapping):
        st.session_state[f"mapping_overrides:{uploaded.file_id}"] = chosen
        st.rerun()  # re-read with the corrected mapping (the date order may change)
    with placeholder.container():
        upload_form.preview(frame, info.headers, chosen, L)

    c1, c2, c3 = st.columns(3)
    nps_type = mapping.type_and_order(chosen, (c1, c2), "upload", L, kept.get("nps_type"))
    if info.date_order_ambiguous:
        c2.warning(t("date_ambiguous", L, order=t(f"order_{info.date_order}", L)))
    # the survey's next file goes into the dataset its last one went into
    name = c3.text_input(t("dataset_name", L), value=kept.get("dataset") or file_name, key="upload_name")
    theme_pack = upload_form.pack_choice(c3, info, name.strip() in names, L)

    missing = [f for f in ("score", "responded_at") if not chosen[f]]
    if missing:
        st.error(t("missing_fields", L, fields=", ".join(t(f"field_{f}", L) for f in missing)))
    elif not chosen["nps_type"] and not nps_type:
        st.info(t("choose_type", L))
    elif not uploads.import_running():
        if kept and nps_type == kept.get("nps_type") and name.strip() == kept.get("dataset"):
            st.info(t("one_click", L, type=t(nps_type, L) if nps_type else "–"), icon=":material/bolt:")
        if st.button(t("import", L), type="primary", icon=":material/upload:"):
            # in a worker process of its own: a crash or out-of-memory there cannot take the server down
            uploads.start_import(store, path, uploaded.name, dataset=name.strip() or None, mapping=chosen,
                                 nps_type=nps_type or None, date_order=order_choice, theme_pack=theme_pack)

uploads.show_progress(L)
uploads.show_outcome(L)
upload_form.result(L)
st.divider()
v = cached.view(upload.build, store)
upload_form.datasets_section(v, names, default, store, auth.may, L)
st.divider()
upload_form.remembered_section(v, store, L)
