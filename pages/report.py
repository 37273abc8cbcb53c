"""Board report: pick a period, preview the report, download it as PDF,
PowerPoint or HTML, or present it one section at a time."""

import streamlit as st

from nps_core.base.i18n import t
from nps_core.report import export
from nps_core.views import report
from ui import analysis, cached, report_view, state

L, f, store = state.lang(), state.filters(), cached.store()
st.title(t("report", L))
analysis.notice(store, L)

ss = st.session_state
grain = ss.get("report_grain") or "month"
picked, masked = ss.get(f"report_period_{grain}"), ss.get("report_mask", True)
with st.spinner(t("loading", L)):
    # the default period's view under the key the warm-up reads; another period only when one was picked
    v = cached.view(report.build, store, f, L, grain=grain, masked=masked)
    if picked is not None and picked != v.start and picked in v.starts:
        v = cached.view(report.build, store, f, L, grain=grain, start=picked, masked=masked)
c1, c2, c3 = st.columns([2, 2, 2])
c1.segmented_control(t("report_by_grain", L), list(report.GRAINS), default="month", key="report_grain",
                     format_func=lambda g: t(f"grain_{g}", L))
if not v.starts:
    st.info(t("no_data", L))
    st.stop()
ss[f"report_period_{grain}"] = v.start  # the view's choice: a stale pick (another dataset) becomes the default
c2.selectbox(t("report_period_pick", L), v.starts, key=f"report_period_{grain}", format_func=lambda d: v.labels[d])
masked = c3.toggle(t("report_mask", L), value=True, key="report_mask")
present = c3.toggle(t("report_present", L), key="report_present", help=t("report_present_help", L))
if v.content is None:
    st.info(t("no_data", L))
    st.stop()

content, args = v.content, (f, L, grain, v.start, masked)
sections = content.sections()

def _move(step: int) -> None:
    st.session_state["report_slide"] = max(0, min(len(sections) - 1, st.session_state.get("report_slide", 0) + step))


if present:
    st.html(report_view.PRESENTATION_CSS)
    i = min(st.session_state.get("report_slide", 0), len(sections) - 1)
    prev_col, count_col, next_col = st.columns([1, 2, 1])
    prev_col.button(t("report_previous", L), icon=":material/arrow_back:", key="report_prev", disabled=i == 0,
                    on_click=_move, args=(-1,), width="stretch")
    next_col.button(t("report_next", L), icon=":material/arrow_forward:", key="report_next",
                    disabled=i == len(sections) - 1, on_click=_move, args=(1,), width="stretch")
    count_col.markdown(f"<p class='report-counter'>{t('report_counter', L, i=i + 1, n=len(sections))}</p>",
                       unsafe_allow_html=True)  # our own text only
    with st.container(key="report-slide"):
        report_view.section(content, sections[i], big=True)
    st.stop()

cols = st.columns(len(export.FORMATS))
for col, fmt in zip(cols, export.FORMATS):
    col.download_button(
        t("report_download", L, fmt=fmt.upper()), data=lambda fmt=fmt: cached.report_file(store, fmt, *args),
        file_name=export.file_name(content, fmt), mime=export.MIME[fmt], key=f"report_dl_{fmt}",
        icon=":material/download:", on_click="ignore", width="stretch",
    )

st.divider()
st.caption(t("report_preview", L))
for s in sections:
    with st.container(border=True):
        report_view.section(content, s)
