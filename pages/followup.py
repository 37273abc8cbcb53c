"""Follow-up: the critical cases to call back, last week's spikes, promoters to
thank, the alert rules, and how well the team closes the loop. Data from its
view (nps_core/views/followup.py), drawing in ui/followup_view.py."""

import streamlit as st

from nps_core.base.i18n import t
from nps_core.followup.loop import OPEN
from nps_core.views import followup
from ui import auth, cached, page, warmup
from ui import followup_view as draw

L, f, store = page.header("followup")
ss = st.session_state
now, hour = warmup.clock()  # overdue to the minute, the thank-you preview by the hour: the view's cache keys
with st.spinner(t("loading", L)):
    v = cached.view(followup.build, store, f, L, now=now, hour=hour, statuses=tuple(ss.get("fu_statuses", OPEN)),
                    page=ss.get("fu_page", 1), show_thanked=ss.get("fu_show_thanked", False))

draw.figures(v, L)
draw.spike_list(v, L)
if not auth.signed_in() and (auth.may("case_change") or auth.may("thank")):
    st.columns([2, 3])[0].text_input(t("fu_who", L), key="fu_who")
flash = ss.pop("fu_flash", None)
if flash:
    getattr(st, flash[0])(flash[1])
tab_cases, tab_thank, tab_rules = st.tabs([t("fu_cases", L), t("fu_thank", L), t("fu_rules", L)])
with tab_cases:
    draw.cases_tab(v, f, L)
with tab_thank:
    draw.thank_tab(v, f, store, L)
with tab_rules:
    draw.rules_tab(v, f, store, L)
