"""Themes: what customers talk about, what each theme costs in NPS, and what to fix first."""

import pandas as pd
import streamlit as st

from nps_core.analysis import drivers, effort
from nps_core.analysis.themes import trend_window
from nps_core.base.i18n import (
    dim_label,
    fmt_decimal,
    fmt_int,
    fmt_nps,
    fmt_pct,
    t,
    t_count,
)
from nps_core.present import charts
from nps_core.text.packs import in_use
from nps_core.text.taxonomy import draft_for
from ui import auth, cached, navigation, page, tables
from ui.packs import fit_check
from ui.plain import md_escape

L, f, store = page.header("themes")


def discovered_section() -> None:
    """Topics found with no taxonomy, each adoptable as a theme."""
    st.subheader(t("discovered", L))
    st.caption(t("discovered_help", L))
    with st.spinner(t("loading", L)):
        found = cached.discovered_topics(store, f, 15)
    if not found:
        st.info(t("no_topics", L))
    else:
        st.dataframe(pd.DataFrame({
            t("topic", L): [tp["label"] for tp in found],
            "n": [fmt_int(tp["n"], L) for tp in found],
            t("share", L): [fmt_pct(tp["share"], L) for tp in found],
            "NPS": [fmt_nps(tp["nps"], L) for tp in found],
            t("impact", L): [fmt_nps(tp["impact"], L) for tp in found],
            t("sentiment", L): [fmt_decimal(tp["sentiment"], L, 2, signed=True) for tp in found],
        }), hide_index=True, width="stretch")
        topic = st.selectbox(t("topic_pick", L), found, format_func=lambda tp: tp["label"], key="discovered_pick")
        st.caption(md_escape(t("topic_terms", L, terms=", ".join(topic["terms"]))))
        for sentence in topic["examples"]:
            st.text(f"“{sentence}”")
        if auth.may("edit_themes") and st.button(t("make_theme", L), icon=":material/add:", key="adopt_topic"):
            # the editor opens on a new theme with the topic's representative sentences as examples
            st.session_state["theme_draft"] = draft_for(topic["terms"][:3], topic["label"], topic["examples"])
            st.switch_page(navigation.path("edit_themes"))


with st.spinner(t("loading", L)):
    table = cached.theme_table(store, f, L)
    uncaught = cached.uncaught_share(store, f)
    current = cached.taxonomy_current(store, f.dataset)
if table.empty and current["themes"]:
    st.info(t("no_data", L))
    st.stop()

left, right = st.columns([3, 2], vertical_alignment="center")
pack = in_use(current)
left.markdown(t("pack_line", L, pack=t(f"pack_{pack}", L) if pack else t("pack_edited", L)))
if current["themes"]:
    left.markdown(t("uncaught_line", L, share=fmt_pct(uncaught, L)))
if auth.may("edit_themes"):
    right.page_link(navigation.path("edit_themes"), label=t("edit_themes_link", L), icon=":material/edit:")
fit_check(store, f, L, pack)
if table.empty:  # an empty taxonomy: its themes are still to come from discovery
    st.info(t("no_themes_yet", L))
    discovered_section()
    st.stop()

st.subheader(t("action_points", L))
for point in cached.action_points(store, f, table):
    with st.container(border=True):
        c1, c2 = st.columns([1, 2])
        c1.metric(md_escape(point["label"]), fmt_nps(point["impact"], L), help=t("impact_help", L))
        c1.caption(t_count("theme_facts", point["mentions"], L, nps=fmt_nps(point["nps"], L)))
        c1.caption(effort.fact(point, L))
        with c1:
            st.altair_chart(charts.theme_sparkline_chart(point["trend"], L, point["grain"]), width="stretch")
        with c2:
            tables.verbatim_cards(point["verbatims"], L)

st.subheader(t("priority_matrix", L))
st.caption(t("matrix_help", L))
st.altair_chart(charts.priority_matrix_chart(table, L), width="stretch")

st.subheader(t("key_drivers", L))
st.caption(t("key_drivers_help", L, resamples=drivers.RESAMPLES))
with st.spinner(t("loading", L)):
    driven = cached.key_drivers(store, f, L)
if driven["drivers"].empty:
    st.info(t("drivers_none", L))
else:
    st.altair_chart(charts.key_driver_chart(driven["drivers"], L), width="stretch")
    st.caption(t("drivers_r2", L, r2=fmt_pct(driven["r2"], L), n=fmt_int(driven["n"], L)))
if not driven["too_few"].empty:
    st.caption(md_escape(t("drivers_too_few", L, min=drivers.MIN_MENTIONS,
                           themes=", ".join(driven["too_few"]["label"]))))

st.subheader(t("effort_matrix", L))
st.caption(t("effort_matrix_help", L))
estimates = cached.effort_estimates(store, f.dataset)
placed = effort.with_effort(table, estimates)
if not placed.empty:
    st.altair_chart(charts.effort_matrix_chart(placed, L), width="stretch")
if auth.may("edit_themes"):
    with st.expander(t("effort_edit", L), icon=":material/edit:"):
        st.caption(t("effort_edit_help", L))
        known = estimates.set_index("theme") if not estimates.empty else None
        rows = pd.DataFrame({
            "theme": table["theme"], "label": table["label"],
            "level": [known.loc[k, "level"] if known is not None and k in known.index else None for k in table["theme"]],
            # days shown only when estimated in days (a level's days follow from the level)
            "days": [known.loc[k, "days"] if known is not None and k in known.index and known.loc[k, "level"] is None
                     else None for k in table["theme"]],
        })
        edited = st.data_editor(
            rows, key="effort_editor", hide_index=True, width="stretch", disabled=["theme", "label"],
            column_order=["label", "level", "days"],
            column_config={
                "label": st.column_config.TextColumn(t("theme", L)),
                "level": st.column_config.SelectboxColumn(t("effort", L), options=list(effort.LEVEL_DAYS)),
                "days": st.column_config.NumberColumn(t("effort_days", L, d="").strip(), min_value=0.5, max_value=3650),
            })
        if st.button(t("fu_save", L), key="effort_save", type="primary"):
            for row in edited.itertuples():
                level = row.level if isinstance(row.level, str) and row.level else None
                # a level wins; days count when no level is chosen; neither clears the estimate
                days = None if level or pd.isna(row.days) else float(row.days)
                effort.set_effort(store, f.dataset, row.theme, level, days)
            st.rerun()

st.subheader(t("theme_trends", L))
st.caption(t("theme_trends_help", L))
window, grain = trend_window(f, 12)
shares = cached.theme_shares(store, window, grain, L)
labels = list(table["label"])
shown = st.multiselect(t("themes", L), labels, default=labels[:4], key="theme_trend_pick")
if shown:
    st.altair_chart(charts.theme_share_chart(shares, L, grain, shown), width="stretch")

st.subheader(t("themes_by_segment", L))
st.caption(t("themes_by_segment_help", L))
dims = cached.dimensions(store, f.dataset)
if dims:
    dim = st.selectbox(t("segment_by", L), dims, format_func=lambda d: dim_label(d, L), key="theme_segment_dim")
    st.altair_chart(charts.theme_segment_chart(cached.themes_by_segment(store, f, dim, L), L,
                                               dim_label(dim, L)), width="stretch")

st.subheader(t("sentiment_by_theme", L))
st.caption(t("sentiment_by_theme_help", L))
st.altair_chart(charts.theme_sentiment_chart(cached.sentiment_by_category(store, f, L), L),
                width="stretch")
by_label = dict(zip(table["label"], table["theme"]))
picked = st.selectbox(t("detractors_on", L), labels, key="theme_verbatims_pick")
tables.verbatim_cards(cached.representative_verbatims(store, f, by_label[picked], 5), L)

discovered_section()

st.subheader(t("emerging", L))
st.caption(t("emerging_help", L))
rising = cached.emerging_topics(store, f, 15)
if rising.empty:
    st.info(t("no_emerging", L))
else:
    st.dataframe(pd.DataFrame({
        t("term", L): rising["term"],
        "n": [fmt_int(int(v), L) for v in rising["count"]],
        t("share", L): [fmt_pct(v, L) for v in rising["share"]],
        t("before", L): [fmt_pct(v, L) for v in rising["baseline_share"]],
        t("no_theme", L): ["✔" if u else "" for u in rising["uncaught"]],
    }), hide_index=True, width="stretch")
    new_terms = list(rising.loc[rising["uncaught"], "term"])
    if new_terms and auth.may("edit_themes"):
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        term = c1.selectbox(t("make_theme_pick", L), new_terms, key="topic_to_theme")
        if c2.button(t("make_theme", L), icon=":material/add:", key="term_to_theme"):
            # the editor opens on a new theme catching exactly this term
            st.session_state["theme_draft"] = draft_for([term])
            st.switch_page(navigation.path("edit_themes"))

st.subheader(t("mismatches", L))
left, right = st.columns(2)
for column, kind in ((left, "promoter"), (right, "detractor")):
    with column:
        st.markdown(f"**{t('mismatch_' + kind, L)}**")
        tables.verbatim_cards(cached.mismatches(store, f, kind, 3), L)

st.subheader(t("all_themes", L))
st.dataframe(pd.DataFrame({
    t("theme", L): table["label"],
    "n": [fmt_int(int(v), L) for v in table["mentions"]],
    t("share", L): [fmt_pct(v, L) for v in table["share"]],
    "NPS": [fmt_nps(v, L) for v in table["nps"]],
    t("nps_without", L): [fmt_nps(v, L) for v in table["nps_without"]],
    t("impact", L): [fmt_nps(v, L) for v in table["impact"]],
    t("sentiment", L): [fmt_decimal(v, L, 2, signed=True) for v in table["sentiment"]],
}), hide_index=True, width="stretch")
