"""The report's sections drawn with Streamlit elements, for the Report page's
preview and its presentation view. Same content object as the files
(nps_core.report), same chart functions (nps_core.present.charts); customer
comments through st.text only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_nps, t
from nps_core.present import charts
from nps_core.report import content as rp
from ui.plain import md_escape

# Projector: the slide (container key "report-slide") larger, the sidebar
# hidden; the page's own controls keep their size, so "Quarter" stays whole.
PRESENTATION_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
.st-key-report-slide h1 { font-size: 3.4rem !important; }
.st-key-report-slide h2 { font-size: 2.6rem !important; }
.st-key-report-slide p, .st-key-report-slide li, .st-key-report-slide [data-testid="stText"],
.st-key-report-slide [data-testid="stMarkdownContainer"] p { font-size: 1.7rem !important; line-height: 1.4; }
.st-key-report-slide [data-testid="stMetric"] [data-testid="stMetricValue"],
.st-key-report-slide [data-testid="stMetric"] [data-testid="stMetricValue"] * {
  font-size: 5rem !important; font-weight: 700; line-height: 1.1; }
.report-counter { text-align: center; font-size: 1.7rem; }
.st-key-report-slide [data-testid="stTable"] td, .st-key-report-slide [data-testid="stTable"] th {
  font-size: 1.5rem !important; }
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


class _Page(rp.SectionRenderer):
    """Each section with Streamlit elements; `big` for the presentation view."""

    def __init__(self, content: rp.Report, big: bool):
        self.r, self.L, self.big = content, content.lang, big
        self.font = BIG_FONT if big else charts.FONT_SIZE

    def title_section(self, s) -> None:
        c = rp.cover(self.r)
        st.header(md_escape(self.r.title))
        st.text(c["context"])
        st.metric("NPS", fmt_nps(self.r.current.nps, self.L))
        _change(self.r.previous, self.L)
        for sentence in c["sentences"]:
            st.markdown(md_escape(sentence))  # segment values come from the data: never Markdown

    def why_section(self, s) -> None:
        st.markdown("\n".join(f"- {md_escape(x)}" for x in rp.why_lines(self.r)))
        left, right = st.columns([3, 2])
        left.altair_chart(charts.bridge_chart(self.r.why.bridge, self.L, font_size=self.font), width="stretch")
        with right:
            st.markdown(f"**{t('themes_moved_title', self.L)}**")
            header, rows = rp.themes_moved_table(self.r)
            if rows:
                _table(header, rows)
            else:
                st.caption(rp.themes_moved_note(self.r))

    def headline_section(self, s) -> None:
        c1, c2 = st.columns([1, 1])
        c1.metric("NPS", fmt_nps(self.r.current.nps, self.L))
        with c1:
            for cmp in (self.r.previous, self.r.last_year):
                _change(cmp, self.L)
        with c2:
            _table(["", ""], rp.headline_facts(self.r))
        st.altair_chart(charts.category_split_chart(self.r.current, self.L, font_size=self.font), width="stretch")

    def evolution_section(self, s) -> None:
        r, L, font = self.r, self.L, self.font
        st.altair_chart(charts.nps_trend_chart(r.evolution, L, r.grain, font_size=font), width="stretch")
        st.altair_chart(charts.volume_chart(r.evolution, L, r.grain, font_size=font), width="stretch")

    def types_section(self, s) -> None:
        types = self.r.by_type.assign(key=self.r.by_type["label"])
        st.altair_chart(charts.segment_chart(types, self.L, t("programme_type", self.L), font_size=self.font),
                        width="stretch")
        _table(*rp.type_table(self.r))

    def movers_section(self, s) -> None:
        for key, frame in (("report_up", self.r.movers_up), ("report_down", self.r.movers_down)):
            st.markdown(f"**{t(key, self.L)}**")
            if frame.empty:
                st.info(t("report_no_movers", self.L))
            else:
                _table(*rp.movers_table(frame, self.L))

    def themes_section(self, s) -> None:
        # the table under the chart, not beside it: its seven columns need the page's width
        # (beside the chart, at projector size, the impact column was cut off)
        st.altair_chart(charts.priority_matrix_chart(self.r.theme_table, self.L, font_size=self.font),
                        width="stretch")
        _table(*rp.themes_table(self.r))

    def drivers_section(self, s) -> None:
        c1, c2 = st.columns([3, 2])
        c1.altair_chart(charts.key_driver_chart(self.r.drivers["drivers"], self.L, font_size=self.font),
                        width="stretch")
        for line in rp.driver_notes(self.r):
            c2.caption(md_escape(line))

    def theme_section(self, s) -> None:
        th, L = self.r.themes[s.index], self.L
        st.caption(rp.theme_facts(th, L)) if not self.big else st.text(rp.theme_facts(th, L))
        c1, c2 = st.columns([1, 1])
        c1.altair_chart(charts.nps_trend_chart(th.trend, L, th.grain, t("report_theme_trend", L), font_size=self.font),
                        width="stretch")
        with c2:
            st.markdown(f"**{t('report_voices', L)}**")
            for v in th.verbatims:
                with st.container(border=True):
                    st.text(f"“{v['comment']}”")
                    st.caption(md_escape(rp.verbatim_context(v, L)))

    def extra_section(self, s) -> None:
        _table(["", " "], self.r.extra[s.index]["rows"])

    def note_section(self, s) -> None:
        for line in rp.note_lines(self.r):
            st.text(line)


def section(content: rp.Report, s: rp.Section, big: bool = False) -> None:
    """Draw one section under its heading; `big` for the presentation view."""
    if s.kind != "title":
        st.subheader(md_escape(s.title)) if not big else st.header(md_escape(s.title))
    _Page(content, big).draw(s)
