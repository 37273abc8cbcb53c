"""The report's sections drawn with Streamlit elements, for the Report page's
preview and its presentation view. Same content object as the files
(nps_core.report), same chart functions (nps_core.present.charts); customer
comments through st.text only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.present import charts
from nps_core.present.i18n import fmt_nps, t
from nps_core.report import content as rp
from ui.plain import md_escape

# Projector: everything larger, and the counter / buttons stay on one line.
PRESENTATION_CSS = """<style>
.block-container h1 { font-size: 3.4rem !important; }
.block-container h2 { font-size: 2.6rem !important; }
.block-container p, .block-container li, .block-container [data-testid="stText"],
.block-container [data-testid="stMarkdownContainer"] p { font-size: 1.7rem !important; line-height: 1.4; }
.block-container [data-testid="stMetric"] [data-testid="stMetricValue"],
.block-container [data-testid="stMetric"] [data-testid="stMetricValue"] * {
  font-size: 5rem !important; font-weight: 700; line-height: 1.1; }
.report-counter { text-align: center; font-size: 1.7rem; }
.block-container [data-testid="stTable"] td, .block-container [data-testid="stTable"] th { font-size: 1.5rem !important; }
</style>"""
BIG_FONT = 22


def _table(header, rows) -> None:
    """A table of plain-text cells (st.table never interprets Markdown).
    Label / value pairs (a header of blanks) become rows of two columns
    instead: a table would show an empty header row."""
    if any(header):
        frame = pd.DataFrame(rows, columns=header).set_index(header[0])
        st.table(frame)
        return
    with st.container(border=True):
        for label, value in rows:
            left, right = st.columns([3, 2])
            left.text(label)
            right.text(value)


def _change(cmp: rp.Comparison, L: str) -> None:
    text = rp.change_text(cmp, L)
    if cmp.change.significant:
        st.markdown(f":{'green' if cmp.change.delta > 0 else 'red'}[**{text}**]")
    else:
        st.markdown(f"**{text}**")


def section(content: rp.Report, s: rp.Section, big: bool = False) -> None:
    """Draw one section; `big` for the presentation view."""
    L, font = content.lang, BIG_FONT if big else charts.FONT_SIZE
    if s.kind == "title":
        st.header(md_escape(content.title))
        st.text(f"{t('dataset', L)} {content.dataset} · {content.filters_text}")
        return
    st.subheader(md_escape(s.title)) if not big else st.header(md_escape(s.title))
    if s.kind == "headline":
        c1, c2 = st.columns([1, 1])
        c1.metric("NPS", fmt_nps(content.current.nps, L))
        with c1:
            for cmp in (content.previous, content.last_year):
                _change(cmp, L)
        with c2:
            _table(["", ""], rp.headline_facts(content))
        st.altair_chart(charts.category_split_chart(content.current, L, font_size=font), width="stretch")
    elif s.kind == "evolution":
        st.altair_chart(charts.nps_trend_chart(content.evolution, L, content.grain, font_size=font), width="stretch")
        st.altair_chart(charts.volume_chart(content.evolution, L, content.grain, font_size=font), width="stretch")
    elif s.kind == "types":
        types = content.by_type.assign(key=content.by_type["label"])
        st.altair_chart(charts.segment_chart(types, L, t("programme_type", L), font_size=font), width="stretch")
        _table(*rp.type_table(content))
    elif s.kind == "movers":
        for key, frame in (("report_up", content.movers_up), ("report_down", content.movers_down)):
            st.markdown(f"**{t(key, L)}**")
            if frame.empty:
                st.info(t("report_no_movers", L))
            else:
                _table(*rp.movers_table(frame, L))
    elif s.kind == "themes":
        c1, c2 = st.columns([3, 2])
        c1.altair_chart(charts.priority_matrix_chart(content.theme_table, L, font_size=font), width="stretch")
        with c2:
            _table(*rp.themes_table(content))
    elif s.kind == "theme":
        th = content.themes[s.index]
        st.caption(rp.theme_facts(th, L)) if not big else st.text(rp.theme_facts(th, L))
        c1, c2 = st.columns([1, 1])
        c1.altair_chart(charts.nps_trend_chart(th.trend, L, "month", t("report_theme_trend", L), font_size=font),
                        width="stretch")
        with c2:
            st.markdown(f"**{t('report_voices', L)}**")
            for v in th.verbatims:
                with st.container(border=True):
                    st.text(f"“{v['comment']}”")
                    st.caption(md_escape(rp.verbatim_context(v, L)))
    elif s.kind == "extra":
        _table(["", " "], content.extra[s.index]["rows"])
    else:
        for line in rp.note_lines(content):
            st.text(line)
