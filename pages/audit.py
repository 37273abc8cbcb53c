"""Audit trail (admins): who changed cases, thanked promoters, uploaded,
deleted, edited themes or rules, and exported comments; downloadable."""

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_datetime, t
from nps_core.db import audit
from ui import auth, cached, state
from ui.downloads import spreadsheet_buttons

L = state.lang()
auth.require("view_audit", L)
store = cached.store()

st.title(t("audit", L))
st.caption(t("audit_help", L))
log = cached.audit_entries(store)
if log.empty:
    st.info(t("audit_empty", L))
    st.stop()
st.dataframe(pd.DataFrame({  # st.dataframe shows every cell as plain text
    t("audit_when", L): [fmt_datetime(v, L) for v in log["logged_at"]],
    t("audit_who", L): log["identity"],
    t("audit_role", L): [t("role_" + r, L) for r in log["role"]],
    t("audit_action", L): [t("action_" + a, L) for a in log["action"]],
    t("dataset", L): log["dataset"].fillna(""),
    t("audit_detail", L): log["detail"].fillna(""),
}), hide_index=True, width="stretch")
d1, d2, _ = st.columns([1, 1, 3])
spreadsheet_buttons(d1, d2, lambda fmt, lang: audit.export(store, fmt, lang), "audit", L)
