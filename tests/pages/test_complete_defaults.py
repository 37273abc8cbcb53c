"""A partial month is never the default (issue 29 item 1): the sidebar's
presets, the warm-up's filters, the report page and the digest start on the
last complete period, and a still-running period says so where it shows."""

import datetime as dt

import pytest
from apptest_support import rerun, start
from conftest import write_csv
from test_explain import bridge_rows
from test_pages import chart_data

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from ui import state, warmup

D = dt.date


@pytest.mark.parametrize("preset, expected", [
    ("preset_month", (D(2018, 5, 1), D(2018, 5, 31))),  # June runs to the 20th only
    ("preset_quarter", (D(2018, 1, 1), D(2018, 3, 31))),  # Q2 ends on 30 June, after the data
    ("preset_year", (D(2017, 6, 1), D(2018, 5, 31))),
    ("preset_all", (D(2018, 1, 3), D(2018, 6, 20))),
])
def test_presets_end_on_the_last_complete_period(preset, expected):
    assert state.preset_range(preset, D(2018, 1, 3), D(2018, 6, 20), today=D(2026, 1, 1)) == expected


def test_a_month_is_complete_once_its_last_day_is_over():
    first, last = D(2018, 1, 3), D(2018, 6, 30)
    assert state.preset_range("preset_month", first, last, today=D(2018, 6, 30)) == (D(2018, 5, 1), D(2018, 5, 31))
    assert state.preset_range("preset_month", first, last, today=D(2018, 7, 1)) == (D(2018, 6, 1), D(2018, 6, 30))
    # a first week of data: no month is complete yet, the month they are in is shown (and labelled partial)
    assert state.preset_range("preset_month", D(2018, 6, 3), D(2018, 6, 9), today=D(2018, 6, 10)) == (
        D(2018, 6, 1), D(2018, 6, 30))


@pytest.fixture
def bridge_app(tmp_path, monkeypatch) -> Store:
    path = tmp_path / "app.duckdb"
    store = Store(path)
    import_file(store, write_csv(tmp_path / "bridge.csv", bridge_rows()), dataset="bridge", nps_type="transaction")
    monkeypatch.setenv("NPS_DB", str(path))
    return store


def test_the_overview_opens_on_may_and_a_chosen_june_says_partial(bridge_app):
    at = start(lang="en")
    assert not at.exception
    f = at.session_state["filters"]
    assert (f.date_from, f.date_to) == (D(2018, 5, 1), D(2018, 5, 31))
    assert f == warmup.default_filters(bridge_app, "bridge")  # the warm-up reads what a first visit shows
    assert any("May 2018" in c.value and "partial" not in c.value for c in at.caption)
    at = start(lang="en", period="custom", **{"from": "2018-06-01", "to": "2018-06-30"})
    assert not at.exception
    assert any("1–20 June 2018, partial" in c.value for c in at.caption)
    trend = chart_data(at, -2)  # the NPS trend: its last point is the partial June
    assert list(trend["partial_note"])[-2:] == ["", "partial"]


def test_the_report_page_defaults_to_may_and_labels_june_partial(bridge_app):
    at = start("board", lang="en")
    assert not at.exception and not at.error
    picker = at.selectbox(key="report_period_month")
    assert picker.value == D(2018, 5, 1)
    assert "1–20 June 2018, partial" in picker.options and "May 2018" in picker.options
    assert at.header[0].value == "NPS report May 2018"
    picker.set_value(D(2018, 6, 1))
    at = rerun(at)
    assert not at.exception and at.header[0].value == "NPS report 1–20 June 2018\\, partial"  # escaped Markdown
