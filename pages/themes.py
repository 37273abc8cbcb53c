"""Themes: what customers talk about, what each theme costs in NPS, and what to fix first.

The first screen answers (what to fix first, the key drivers); the rest sits
behind tabs (issue 30). Data in nps_core/views/themes.py, drawing in ui/themes.py."""

import streamlit as st

from nps_core.base.i18n import t
from nps_core.views import themes
from ui import cached, page
from ui import themes as draw
from ui.packs import fit_check, fit_notice

L, f, store = page.header("themes")
with st.spinner(t("loading", L)):
    v = cached.view(themes.build, store, f, L, dimension=st.session_state.get("theme_segment_dim"),
                    read_theme=st.session_state.get("theme_verbatims_pick"))
if v.table.empty and v.current["themes"]:
    st.info(t("no_data", L))
    st.stop()

draw.status_line(v, L)
fit_notice(v.fit, L)
if v.table.empty:  # an empty taxonomy: its themes are still to come from discovery
    st.info(t("no_themes_yet", L))
    st.subheader(t("discovered", L))
    draw.discovery(v, L)
    fit_check(store, f, L, v.pack, v.fit)
    st.stop()

draw.first_screen(v, L)
draw.tabs(v, store, f, L)
