"""NPS dashboard (served by app.py: `streamlit run app.py`).

The entry point owns the navigation, the global filters in the sidebar and
the data source; pages only render what nps_core computes.
"""

import streamlit as st

from nps_core.base.i18n import t
from ui import auth, cached, state, warmup
from ui.errors import shown_as_message

st.set_page_config(page_title="NPS dashboard", page_icon=":material/show_chart:", layout="wide")

state.init_from_url()
access = auth.gate(state.lang())
store = cached.store()
with shown_as_message(state.lang):
    if not store.exists():
        with st.spinner(t("first_start", state.lang())):
            cached.prepare(store)
    else:
        cached.prepare(store)
    if not cached.dataset_choice(store)[0]:  # signed in, but the access file gives this person no data
        auth.sidebar(state.lang())
        st.info(t("no_access", state.lang()))
        st.stop()
    state.sidebar(store)
    L = state.lang()
    auth.sidebar(L)
    # url paths differ from the file names on purpose: see tests/apptest_support.py
    pages = [
        st.Page("pages/overview.py", title=t("overview", L), icon=":material/dashboard:", default=True, url_path="start"),
        st.Page("pages/evolution.py", title=t("evolution", L), icon=":material/show_chart:", url_path="trend"),
        st.Page("pages/segments.py", title=t("segments", L), icon=":material/account_tree:", url_path="drilldown"),
        st.Page("pages/themes.py", title=t("themes", L), icon=":material/category:", url_path="drivers"),
        st.Page("pages/theme_editor.py", title=t("edit_themes", L), icon=":material/edit_note:", url_path="taxonomy"),
        st.Page("pages/verbatims.py", title=t("verbatims", L), icon=":material/chat:", url_path="comments"),
        st.Page("pages/followup.py", title=t("followup", L), icon=":material/call:", url_path="cases"),
        st.Page("pages/digests.py", title=t("digests", L), icon=":material/forward_to_inbox:", url_path="subscriptions"),
        st.Page("pages/customer_value.py", title=t("customer_value", L), icon=":material/euro:", url_path="value"),
        st.Page("pages/report.py", title=t("report", L), icon=":material/slideshow:", url_path="board"),
        st.Page("pages/upload.py", title=t("upload", L), icon=":material/upload_file:", url_path="import"),
        st.Page("pages/connect.py", title=t("connect", L), icon=":material/database:", url_path="sources"),
        st.Page("pages/audit.py", title=t("audit", L), icon=":material/history:", url_path="trail"),
    ]
    # a page whose purpose the role does not allow is not offered (and refuses itself when reached)
    needs = {"taxonomy": "edit_themes", "import": "upload", "sources": "connect_source", "trail": "view_audit",
             "subscriptions": "notification_settings"}
    # expanded: every page in the sidebar (Streamlit folds more than ten behind "View more")
    page = st.navigation([p for p in pages if p.url_path not in needs or access.may(needs[p.url_path])],
                         expanded=True)
    try:
        page.run()
    finally:  # also when the page stops or reruns: after an import, the other pages' reads are made meanwhile
        warmup.start(store, state.filters().dataset, L)
