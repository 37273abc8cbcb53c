"""NPS dashboard (served by app.py: `streamlit run app.py`).

The entry point owns the navigation, the global filters in the sidebar and
the data source; pages only render what nps_core computes.
"""

import streamlit as st

from nps_core.base.i18n import t
from ui import auth, cached, navigation, state, warmup
from ui.errors import shown_as_message

st.set_page_config(page_title="NPS dashboard", page_icon=":material/show_chart:", layout="wide")
# Streamlit's default 6rem above the first element left ~130 px empty over every page's title
# at 1280x720 and pushed the Overview's chart below the fold (issue 30); once here, for every page
st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 2.5rem}</style>")

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
    # expanded: every page in the sidebar (Streamlit folds more than ten behind "View more")
    page = st.navigation(navigation.offered(access, L), expanded=True)
    try:
        page.run()
    finally:  # also when the page stops or reruns: after an import, the other pages' reads are made meanwhile
        warmup.start(store, state.filters().dataset, L)
