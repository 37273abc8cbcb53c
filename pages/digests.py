"""E-mail digests: who receives the NPS of the day, week or month by e-mail,
in which language, about which part of the data; what the next scheduled
run sends and what was sent. Data from its view (nps_core/views/digests.py),
drawing in ui/digests_view.py."""

import streamlit as st

from nps_core.base.i18n import t
from nps_core.followup import channels
from nps_core.views import digests
from ui import auth, cached, page, warmup
from ui import digests_view as draw

L, f, store = page.header("digests")
auth.require("notification_settings", L)
store.ensure_schema()
st.markdown(t("dg_intro", L))
if not channels.load_config().configured("digest@example.com"):
    st.warning(t("dg_not_configured", L))
flash = st.session_state.pop("dg_flash", None)
if flash:
    st.success(flash)


with st.spinner(t("loading", L)):
    v = cached.view(digests.build, store, f, L, hour=warmup.clock()[1])  # what is due changes once an hour
draw.subscriptions(v, L)
draw.editor(v, f, store, L)
draw.due_table(v, L)
draw.sent_table(v, L)
