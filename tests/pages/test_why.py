"""The explained change as the Overview, the report and the digest show it
(present/narrative.why, bridge_frame, charts.bridge_chart), on the bridge
dataset of test_explain.py, whose answer is worked out on paper there."""

import datetime as dt

import pytest
from apptest_support import rerun, start
from conftest import write_csv
from test_explain import BRIDGE_EXPECTED, bridge_rows

from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.present import charts, narrative
from ui.plain import md_escape

D = dt.date
MAY = Filters(dataset="bridge", date_from=D(2018, 5, 1), date_to=D(2018, 5, 31))


@pytest.fixture
def bridge_store(tmp_path) -> Store:
    store = Store(tmp_path / "bridge.duckdb")
    import_file(store, write_csv(tmp_path / "bridge.csv", bridge_rows()), dataset="bridge", nps_type="transaction")
    return store


def test_the_bridge_steps_from_april_to_may_as_worked_out_by_hand(bridge_store):
    w = narrative.why(bridge_store, MAY, "en")
    steps = w.bridge
    assert list(steps["kind"]) == ["total", "down", "down", "total"]
    assert steps["x1"].iloc[0] == 0.0  # April: 20 + 10 promoters, 10 + 20 detractors of 100
    by_hand = {k: mix + perf for k, (mix, perf) in BRIDGE_EXPECTED.items()}
    # largest first: installation (-65/18 - 35/2 = -21.17), then shop (-50/9)
    assert list(steps["label"][1:3]) == ["installation", "shop"]
    assert steps["value"][1] == pytest.approx(by_hand["installation"], abs=1e-9)
    assert steps["value"][2] == pytest.approx(by_hand["shop"], abs=1e-9)
    assert steps["x0"][2] == pytest.approx(steps["x1"][1], abs=1e-12)  # each step starts where the last ended
    assert steps["x1"][2] == pytest.approx(-80 / 3, abs=1e-9)  # and the last ends on May's NPS
    assert steps["x1"].iloc[-1] == -26.7  # May as quoted
    assert steps["label"].iloc[0] == "NPS April 2018" and steps["label"].iloc[-1] == "NPS May 2018"
    assert w.dimension == w.best == "touchpoint"
    assert w.sentences[0].startswith("NPS fell 26.7 points to -26.7 in May 2018")
    chart = charts.bridge_chart(steps, "en").to_dict()  # draws (vega-lite spec) without error
    assert chart["layer"]


def test_more_segments_than_drawn_become_one_other_step():
    doc = {"periods": {"a": {"from": "2020-01-01", "to": "2020-01-31", "nps": 10.0, "partial": False},
                       "b": {"from": "2020-02-01", "to": "2020-02-29", "nps": 13.0, "partial": True}},
           "data": {"to": "2020-02-20"}, "dimension": "region",
           "segments": [{"key": f"r{i}", "contribution": c, "mix": c / 2, "performance": c / 2, "low": c - 1,
                         "high": c + 1} for i, c in enumerate([2.0, -1.0, 0.75, 0.5, 0.5, 0.25, 0.5, -0.5])]}
    steps = narrative.bridge_frame(doc, "en", top=6)
    assert list(steps["label"][1:8]) == ["r0", "r1", "r2", "r3", "r4", "r5", "Other (2)"]
    assert steps["value"][7] == 0.0 and steps["x1"][7] == pytest.approx(13.0)
    assert steps["label"].iloc[-1] == "NPS 1–20 February 2020, partial"  # a partial period says so
    assert steps["low"][1] == pytest.approx(10 + 1.0) and steps["high"][2] == pytest.approx(12 + 0.0)


def test_no_comparison_when_the_period_before_is_empty(bridge_store):
    april = Filters(dataset="bridge", date_from=D(2018, 3, 1), date_to=D(2018, 4, 30))
    assert narrative.why(bridge_store, april, "en") is None  # Jan-Feb 2018 hold no responses


def test_overview_shows_the_sentences_the_bridge_and_another_dimension_on_request(app_db):
    at = start(lang="en")
    assert not at.exception
    f = Filters(dataset="demo", date_from=D(2025, 12, 1), date_to=D(2025, 12, 31))
    w = narrative.why(app_db, f, "en")
    shown = " ".join(m.value for m in at.markdown)
    assert all(md_escape(x) in shown for x in w.sentences)  # every sentence, as plain text
    assert len(at.get("vega_lite_chart")) == 4  # the bridge joins split, evolution, volume
    picker = at.selectbox(key="why_by")
    assert picker.value == w.best
    other = next(d for d in w.options if d != w.best)
    picker.set_value(other)
    at = rerun(at)
    assert not at.exception
    assert at.selectbox(key="why_by").value == other
    by_other = narrative.why(app_db, f, "en", other)
    assert by_other.dimension == other
    assert md_escape(by_other.sentences[1]) in " ".join(m.value for m in at.markdown)
