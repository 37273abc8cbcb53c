"""NPS dashboard: `streamlit run app.py`.

The entry point owns the navigation, the global filters in the sidebar and
the data source; pages only render what nps_core computes.
"""

import streamlit as st

from nps_core.i18n import t
from ui import data, state
from ui.errors import shown_as_message

st.set_page_config(page_title="NPS dashboard", page_icon="📈", layout="wide")

store = data.store()
with shown_as_message(state.lang()):
    if not store.exists():
        with st.spinner(t("first_start", state.lang())):
            data.prepare(store)
    else:
        data.prepare(store)
    state.sidebar(store)
    L = state.lang()
    page = st.navigation(
        [st.Page("pages/overview.py", title=t("overview", L), icon="📊", default=True, url_path="overview")]
    )
    page.run()
