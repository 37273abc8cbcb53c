"""The Themes page's drawing (pages/themes.py): its first screen (what to fix
first beside the key drivers, which must fit 1280×720 without scrolling) and
one function per tab, each drawing from the page's view (nps_core/views/themes.py)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.analysis import drivers, effort
from nps_core.analysis.discovery import title
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
from nps_core.text.taxonomy import draft_for
from nps_core.views.themes import ThemesView
from ui import auth, navigation, tables
from ui.packs import fit_check
from ui.plain import md_escape


def tabs(v: ThemesView, store, f, L: str) -> None:
    """Everything past the first screen, one tab each, in reading order."""
    drawers = {
        "tab_fix_detail": lambda: fix_detail(v, L),
        "tab_matrix": lambda: matrix(v, store, f, L),
        "tab_trends": lambda: trends(v, L),
        "tab_segments": lambda: segments(v, L),
        "tab_sides": lambda: sides(v, L),
        "tab_discovery": lambda: discovery(v, L),
        "emerging": lambda: emerging(v, L),
        "mismatches": lambda: worth_a_read(v, L),
        "all_themes": lambda: (all_themes(v, L), fit_check(store, f, L, v.pack, v.fit)),
    }
    for key, tab in zip(drawers, st.tabs([t(key, L) for key in drawers])):
        with tab:
            drawers[key]()


def status_line(v: ThemesView, L: str) -> None:
    """The pack in use, what no theme catches, and the editor's link, on one line."""
    left, right = st.columns([3, 2], vertical_alignment="center")
    line = t("pack_line", L, pack=t(f"pack_{v.pack}", L) if v.pack else t("pack_edited", L))
    if v.current["themes"]:
        line += " · " + t("uncaught_line", L, share=fmt_pct(v.uncaught, L))
    left.markdown(line)
    if auth.may("edit_themes"):
        right.page_link(navigation.path("edit_themes"), label=t("edit_themes_link", L), icon=":material/edit:")


def first_screen(v: ThemesView, L: str) -> None:
    """What to fix first (impact and effort per theme) beside the key drivers."""
    left, right = st.columns([6, 5], gap="medium")
    with left:
        st.subheader(t("action_points", L))
        st.caption(t("fix_first_help", L))
        st.dataframe(pd.DataFrame({
            t("theme", L): [p["label"] for p in v.points],
            t("impact", L): [fmt_nps(p["impact"], L) for p in v.points],
            t("effort", L): [effort.short(p["effort_level"], p["effort_days"], p["estimated"], L) for p in v.points],
            t("per_day", L): [fmt_decimal(-p["impact"] / p["effort_days"], L, 2) for p in v.points],
        }), hide_index=True, width="stretch")
        if not all(p["estimated"] for p in v.points):
            st.caption(t("effort_unset_note", L))
    with right:
        st.subheader(t("key_drivers", L))
        if not v.drivers or v.drivers["drivers"].empty:
            st.info(t("drivers_none", L))
            return
        st.altair_chart(charts.key_driver_chart(v.drivers["drivers"], L, charts.FONT_SIZE - 2, compact=True),
                        width="stretch")
        st.caption(t("drivers_r2", L, r2=fmt_pct(v.drivers["r2"], L), n=fmt_int(v.drivers["n"], L)))


def fix_detail(v: ThemesView, L: str) -> None:
    """Each action point with its trend and the detractors' words."""
    for point in v.points:
        with st.container(border=True):
            c1, c2 = st.columns([1, 2])
            c1.metric(md_escape(point["label"]), fmt_nps(point["impact"], L), help=t("impact_help", L))
            c1.caption(t_count("theme_facts", point["mentions"], L, nps=fmt_nps(point["nps"], L)))
            c1.caption(effort.fact(point, L))
            with c1:
                st.altair_chart(charts.theme_sparkline_chart(point["trend"], L, point["grain"]), width="stretch")
            with c2:
                tables.verbatim_cards(point["verbatims"], L)
    if v.drivers and len(v.drivers["drivers"]) > charts.COMPACT_DRIVERS:  # the first screen shows the heaviest
        st.markdown(f"**{t('key_drivers', L)}**")
        st.altair_chart(charts.key_driver_chart(v.drivers["drivers"], L), width="stretch")
    st.caption(t("key_drivers_help", L, resamples=drivers.RESAMPLES))
    if v.drivers and not v.drivers["too_few"].empty:
        st.caption(md_escape(t("drivers_too_few", L, min=drivers.MIN_MENTIONS,
                               themes=", ".join(v.drivers["too_few"]["label"]))))


def matrix(v: ThemesView, store, f, L: str) -> None:
    """The priority matrix, impact against effort, and the effort estimates' editor."""
    st.markdown(f"**{t('priority_matrix', L)}**")
    st.caption(t("matrix_help", L))
    st.altair_chart(charts.priority_matrix_chart(v.table, L), width="content")
    st.markdown(f"**{t('effort_matrix', L)}**")
    st.caption(t("effort_matrix_help", L))
    if not v.placed.empty:
        st.altair_chart(charts.effort_matrix_chart(v.placed, L), width="content")
    if auth.may("edit_themes"):
        effort_editor(v, store, f, L)


def effort_editor(v: ThemesView, store, f, L: str) -> None:
    with st.expander(t("effort_edit", L), icon=":material/edit:"):
        st.caption(t("effort_edit_help", L))
        known = v.estimates.set_index("theme") if not v.estimates.empty else None
        table = v.table
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


def trends(v: ThemesView, L: str) -> None:
    st.caption(t("theme_trends_help", L))
    labels = list(v.table["label"])
    shown = st.multiselect(t("themes", L), labels, default=labels[:4], key="theme_trend_pick")
    if shown:
        st.altair_chart(charts.theme_share_chart(v.shares, L, v.grain, shown), width="stretch")


def segments(v: ThemesView, L: str) -> None:
    st.caption(t("themes_by_segment_help", L))
    if not v.dims:
        st.info(t("no_values", L, dimension="–"))
        return
    # the view was read with this box's value (pages/themes.py)
    st.selectbox(t("segment_by", L), v.dims, index=v.dims.index(v.dimension), key="theme_segment_dim",
                 format_func=lambda d: dim_label(d, L))
    st.altair_chart(charts.theme_segment_chart(v.by_segment, L, dim_label(v.dimension, L)), width="stretch")


def sides(v: ThemesView, L: str) -> None:
    """Promoters against detractors per theme, and what detractors say about one."""
    st.markdown(f"**{t('sentiment_by_theme', L)}**")
    st.caption(t("sentiment_by_theme_help", L))
    st.altair_chart(charts.theme_sentiment_chart(v.sentiment, L), width="stretch")
    keys = list(v.table["theme"])
    labels = dict(zip(v.table["theme"], v.table["label"]))
    st.selectbox(t("detractors_on", L), keys, index=keys.index(v.read_theme), key="theme_verbatims_pick",
                 format_func=labels.get)
    tables.verbatim_cards(v.reads, L)


def discovery(v: ThemesView, L: str) -> None:
    """Topics found with no taxonomy, named by a phrase from the comments, each adoptable as a theme."""
    st.caption(t("discovered_help", L))
    found = v.topics
    if not found:
        st.info(t("no_topics", L))
        return
    st.dataframe(pd.DataFrame({
        t("topic", L): [title(tp, L) for tp in found],
        t("topic_words", L): [" · ".join(tp["terms"][:4]) for tp in found],
        "n": [fmt_int(tp["n"], L) for tp in found],
        t("share", L): [fmt_pct(tp["share"], L) for tp in found],
        "NPS": [fmt_nps(tp["nps"], L) for tp in found],
        t("impact", L): [fmt_nps(tp["impact"], L) for tp in found],
        t("sentiment", L): [fmt_decimal(tp["sentiment"], L, 2, signed=True) for tp in found],
    }), hide_index=True, width="stretch")
    topic = st.selectbox(t("topic_pick", L), found, format_func=lambda tp: title(tp, L), key="discovered_pick")
    st.caption(md_escape(t("topic_terms", L, terms=", ".join(topic["terms"]))))
    for sentence in topic["examples"]:
        st.text(f"“{sentence}”")
    if auth.may("edit_themes") and st.button(t("make_theme", L), icon=":material/add:", key="adopt_topic"):
        # the editor opens on a new theme named by the topic's phrase, its representative sentences as examples
        st.session_state["theme_draft"] = draft_for(topic["terms"][:3], title(topic, L), topic["examples"])
        st.switch_page(navigation.path("edit_themes"))


def emerging(v: ThemesView, L: str) -> None:
    st.caption(t("emerging_help", L))
    rising = v.rising
    if rising.empty:
        st.info(t("no_emerging", L))
        return
    st.dataframe(pd.DataFrame({
        t("term", L): rising["term"],
        "n": [fmt_int(int(x), L) for x in rising["count"]],
        t("share", L): [fmt_pct(x, L) for x in rising["share"]],
        t("before", L): [fmt_pct(x, L) for x in rising["baseline_share"]],
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


def worth_a_read(v: ThemesView, L: str) -> None:
    for column, kind in zip(st.columns(2), ("promoter", "detractor")):
        with column:
            st.markdown(f"**{t('mismatch_' + kind, L)}**")
            tables.verbatim_cards(v.mismatches[kind], L)


def all_themes(v: ThemesView, L: str) -> None:
    table = v.table
    st.dataframe(pd.DataFrame({
        t("theme", L): table["label"],
        "n": [fmt_int(int(x), L) for x in table["mentions"]],
        t("share", L): [fmt_pct(x, L) for x in table["share"]],
        "NPS": [fmt_nps(x, L) for x in table["nps"]],
        t("nps_without", L): [fmt_nps(x, L) for x in table["nps_without"]],
        t("impact", L): [fmt_nps(x, L) for x in table["impact"]],
        t("sentiment", L): [fmt_decimal(x, L, 2, signed=True) for x in table["sentiment"]],
    }), hide_index=True, width="stretch")
