"""Verbatims: the comments behind the current filters, newest first, searchable,
paged, and exportable to CSV and Excel."""

import streamlit as st

from nps_core.analysis import search as meaning
from nps_core.analysis import verbatims
from nps_core.analysis.verbatims import Query
from nps_core.base.filenames import download_stem
from nps_core.base.i18n import t, t_count
from nps_core.base.metrics import CATEGORIES
from nps_core.views import verbatims as verbatims_view
from ui import auth, cached, page, tables
from ui.downloads import spreadsheet_buttons

MEANING_HITS = 25  # a search by meaning lists the closest comments, not every match

L, f, store = page.header("verbatims")

by_meaning = st.segmented_control(t("search_mode", L), ["words", "meaning"], default="words", key="vb_mode",
                                  format_func=lambda m: t("mode_" + m, L)) == "meaning"
c1, c2, c3 = st.columns([2, 1.2, 1.2])
search = c1.text_input(t("search", L), key="vb_search",
                       placeholder=t("meaning_hint" if by_meaning else "search_hint", L))
categories = c2.multiselect(t("category", L), CATEGORIES, key="vb_cats",
                            format_func=lambda c: t(c, L), placeholder=t("all", L))
score_min, score_max = c3.slider(t("score", L), 0, 10, (0, 10), key="vb_scores")
q = Query(search=search.strip(), categories=tuple(categories), score_min=score_min, score_max=score_max)

if by_meaning:
    if not q.search:
        st.info(t("meaning_empty", L))
    else:
        st.caption(t("meaning_help", L, n=MEANING_HITS) + " " + t("meaning_help_stance", L))
        with st.spinner(t("loading", L)):
            hits = cached.read(meaning.search, store, f, q.search, MEANING_HITS, q)
        tables.verbatim_cards(hits, L)
    st.stop()

if st.session_state.get("vb_query") != q:  # a new question starts at page 1
    st.session_state["vb_query"] = q
    st.session_state["vb_page"] = 1
with st.spinner(t("loading", L)):
    v = cached.view(verbatims_view.build, store, f, L, q, st.session_state.get("vb_page", 1))
p1, p2 = st.columns([1, 4])
p1.number_input(t("page", L), min_value=1, max_value=v.pages, key="vb_page")
p2.markdown(t("verbatim_count", L, comments=t_count("n_comments", v.total, L), pages=t_count("n_pages", v.pages, L)))

tables.verbatim_cards(v.rows, L)

if v.total and auth.may("export_comments"):
    d1, d2, _ = st.columns([1, 1, 3])
    name = download_stem("verbatims", f.dataset, f.date_from, f.date_to)
    spreadsheet_buttons(d1, d2, lambda fmt, lang: verbatims.export(store, f, q, fmt, lang), name, L)
