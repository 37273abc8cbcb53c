"""AppTest of the Report page: preview in both languages, downloads, and the
presentation view's next / previous."""

import datetime as dt

import pytest
from apptest_support import rerun, start

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_nps


@pytest.mark.parametrize("lang,title,headline", [("nl", "Rapportage", "NPS deze periode"),
                                                  ("en", "Board report", "NPS this period")])
def test_report_page_previews_the_latest_month(app_db, lang, title, headline):
    at = start("board", lang=lang)
    assert not at.exception and not at.error
    assert at.title[0].value == title
    assert headline in [h.value for h in at.subheader]
    expected = agg.summary(app_db, Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31)))
    assert at.metric[0].value == fmt_nps(expected.nps, lang)
    assert len(at.get("download_button")) == 3


def test_report_page_picks_a_quarter(app_db):
    at = start("board", lang="en")
    at.segmented_control(key="report_grain").set_value("quarter")
    rerun(at)
    assert not at.exception and not at.error
    assert at.selectbox(key="report_period_quarter").value == dt.date(2025, 10, 1)
    expected = agg.summary(app_db, Filters(dataset="demo", date_from=dt.date(2025, 10, 1), date_to=dt.date(2025, 12, 31)))
    assert at.metric[0].value == fmt_nps(expected.nps, "en")


def test_presentation_view_steps_through_sections(app_db):
    at = start("board", lang="en")
    at.toggle(key="report_present").set_value(True)
    rerun(at)
    assert at.header[0].value == "NPS report December 2025"
    # title, headline, why, evolution, types, movers, themes, key drivers, three theme pages, customer value
    # (the demo's yearly_revenue), follow-up, note
    assert "1 of 14" in at.markdown[0].value and at.button(key="report_prev").disabled
    at.button(key="report_next").click()
    rerun(at)
    assert at.header[0].value == "NPS this period" and "2 of 14" in at.markdown[0].value
    at.button(key="report_next").click()
    rerun(at)
    assert at.header[0].value == "Why did the NPS move\\?"  # section titles are escaped Markdown
    at.button(key="report_prev").click()
    rerun(at)
    assert at.header[0].value == "NPS this period" and not at.exception
