"""Statistics that do not overclaim (issue 15): no significance verdict when
either period has fewer than 30 responses, intervals within -100 ... +100,
the same rule in the engine, the report texts, the CLI and the charts.

Expected values are worked out by hand in the comments."""

import math

import pandas as pd
import pytest
from apptest_support import rerun, start
from conftest import write_csv
from test_cli import run

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.analysis.periods import default_grain
from nps_core.base.metrics import Change, NpsStats, add_stats
from nps_core.ingest.importer import import_file
from nps_core.present import charts
from nps_core.report.content import Comparison, change_text


def test_no_verdict_when_a_period_has_fewer_than_30():
    # 12 responses: 1 promoter, 11 detractors -> NPS -83.3; before: 100 responses, 60 P, 10 D -> +50.
    # The jump of 133 points would pass the normal-approximation test, but 12 < 30: no verdict.
    change = Change(NpsStats(1, 0, 11), NpsStats(60, 30, 10))
    assert change.delta == pytest.approx(100 / 12 - 100 * 11 / 12 - 50)
    assert not change.significant
    assert change.verdict == "too_few_to_judge"
    # the same shares on 40 and 100 responses: a verdict, significant
    big = Change(NpsStats(4, 0, 36), NpsStats(60, 30, 10))
    assert big.significant and big.verdict == "significant"
    # 30 and 30 with equal NPS: not significant
    assert Change(NpsStats(10, 10, 10), NpsStats(10, 10, 10)).verdict == "not_significant"
    # nothing to compare
    assert Change(NpsStats(10, 10, 10), NpsStats(0, 0, 0)).verdict is None


def test_interval_clipped_to_the_possible_range():
    # n = 4: 3 promoters, 1 detractor -> NPS 50, p + d - (p - d)^2 = 1 - 0.25 = 0.75,
    # moe = 1.96 * 100 * sqrt(0.75 / 4) = 84.87: 50 + 84.87 would be 134.87
    s = NpsStats(3, 0, 1)
    assert s.moe == pytest.approx(1.96 * 100 * math.sqrt(0.75 / 4))
    assert s.high == 100.0
    assert s.low == pytest.approx(50 - 1.96 * 100 * math.sqrt(0.75 / 4))
    # 1 promoter, 3 detractors: -50 - 84.87 would be -134.87
    assert NpsStats(1, 0, 3).low == -100.0
    frame = add_stats(pd.DataFrame({"n": [4, 4], "promoters": [3, 1], "passives": [0, 0], "detractors": [1, 3]}))
    assert list(frame["high"].round(6)) == [100.0, round(-50 + 1.96 * 100 * math.sqrt(0.75 / 4), 6)]
    assert frame["low"].min() == -100.0


@pytest.fixture
def segments(store, tmp_path):
    """Segment A: 40 responses in January (all promoters), 40 in February (all
    detractors). Segment B: 40 in January (all promoters), 10 in February
    (all detractors). Both drop 200 points; only A may be called significant."""
    rows = []
    for seg, n_feb in (("A", 40), ("B", 10)):
        rows += [{"response_id": f"{seg}j{i}", "responded_at": f"2025-01-{1 + i % 28:02d} 10:00", "score": 10,
                  "touchpoint": seg} for i in range(40)]
        rows += [{"response_id": f"{seg}f{i}", "responded_at": f"2025-02-{1 + i % 28:02d} 10:00", "score": 0,
                  "touchpoint": seg} for i in range(n_feb)]
    path = write_csv(tmp_path / "seg.csv", rows)
    import_file(store, path, dataset="seg", nps_type="transaction")
    return store, path


def test_breakdown_gives_no_verdict_for_small_segments(segments):
    store, _ = segments
    feb = Filters(dataset="seg", date_from=pd.Timestamp("2025-02-01").date(),
                  date_to=pd.Timestamp("2025-02-28").date())
    table = agg.breakdown(store, feb, "touchpoint").set_index("key")
    assert list(table.loc[["A", "B"], "delta"]) == [-200.0, -200.0]
    assert table.loc["A", "significant"] is True
    assert table.loc["B", "significant"] is None


def test_report_sentence_says_no_verdict():
    cmp = Comparison("January 2025", NpsStats(60, 30, 10), Change(NpsStats(1, 0, 11), NpsStats(60, 30, 10)))
    assert "no verdict" in change_text(cmp, "en") and "significant" not in change_text(cmp, "en").replace(
        "no verdict", "")
    assert "geen oordeel" in change_text(cmp, "nl")


def test_cli_report_gives_no_verdict_on_a_small_month(store, tmp_path):
    # January 2025: 40 promoters (+100); February: 12 responses, 1 promoter, 11 detractors
    # (-83.3): a drop of 183 points that must not be called significant on 12 responses
    rows = [{"responded_at": f"2025-01-{1 + i % 28:02d} 10:00", "score": 10} for i in range(40)]
    rows += [{"responded_at": f"2025-02-{1 + i:02d} 10:00", "score": 10 if i == 0 else 2} for i in range(12)]
    import_file(store, write_csv(tmp_path / "tiny.csv", rows), dataset="tiny", nps_type="relationship")
    for lang, phrase in (("en", "no verdict"), ("nl", "geen oordeel")):
        out = tmp_path / f"report-{lang}.html"
        res = run("report", "--db", str(store.path), "--period", "2025-02", "--format", "html", "--out", str(out),
                  "--lang", lang, "--json")
        assert res.returncode == 0, res.stderr
        html = out.read_text(encoding="utf-8")
        assert phrase in html
        assert "-183.3" in html or "−183.3" in html or "-183,3" in html


def test_charts_stay_within_the_possible_range():
    # a drilled segment with n = 4 (3 P, 1 D): the whisker ends at +100, not +134.9
    table = add_stats(pd.DataFrame({"key": ["x", "y"], "n": [4, 40], "promoters": [3, 10], "passives": [0, 10],
                                    "detractors": [1, 20]}))
    spec = charts.segment_chart(table, "en", "Segment").to_dict()
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert data["high"].max() == 100.0 and data["low"].min() >= -100.0
    # the trend's y axis: never below -100 or above +100, and the band is clipped
    trend = add_stats(pd.DataFrame({
        "period": pd.to_datetime(["2025-01-01", "2025-04-01", "2025-10-01"]),
        "key": ["2025-Q1", "2025-Q2", "2025-Q4"],
        "n": [4, 5, 4], "promoters": [0, 1, 3], "passives": [0, 0, 0], "detractors": [4, 4, 1]}))
    spec = charts.nps_trend_chart(trend, "en", "quarter").to_dict()
    domains = [layer["encoding"]["y"]["scale"]["domain"] for layer in spec["layer"] if "y" in layer["encoding"]]
    assert domains and all(-100 <= lo < hi <= 100 for lo, hi in domains)
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert data["low"].min() >= -100 and data["high"].max() <= 100
    # the empty third quarter is on the axis (a gap), not skipped
    assert list(data["label"]) == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"]
    assert data.loc[2, "n"] == 0 and pd.isna(data.loc[2, "nps"])
    x = spec["layer"][0]["encoding"]["x"]
    assert x["scale"]["domain"] == ["Q1 2025", "Q2 2025", "Q3 2025", "Q4 2025"]


def test_one_month_defaults_to_weeks():
    d = pd.Timestamp
    assert default_grain(d("2025-12-01").date(), d("2025-12-31").date()) == "week"
    assert default_grain(d("2025-12-01").date(), d("2025-12-07").date()) == "day"
    assert default_grain(d("2025-01-01").date(), d("2025-12-31").date()) == "month"


def test_overview_gives_no_verdict_on_a_small_segment(app_db):
    # December 2025, one agent: 8 responses (python -m nps_core summary --by agent shows n = 8)
    f = Filters(dataset="demo", date_from=pd.Timestamp("2025-12-01").date(), date_to=pd.Timestamp("2025-12-31").date(),
                dims=(("agent", ("Emma S.",)),))
    assert agg.summary(app_db, f).n < 30
    at = start("", lang="en", period="month", **{"f.agent": "Emma S."})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "no verdict" in text and "**significant**" not in text
    assert any("too few to trust" in w.value for w in at.warning)


def test_segments_table_fills_the_verdict_and_small_columns(app_db):
    at = start("drilldown", lang="en", period="month")
    at.selectbox(key="segment_dim_0").set_value("agent")
    rerun(at)
    table = next(d.value for d in at.dataframe if "Agent" in d.value.columns)
    f = Filters(dataset="demo", date_from=pd.Timestamp("2025-12-01").date(), date_to=pd.Timestamp("2025-12-31").date())
    expected = agg.breakdown(app_db, f, "agent")
    small = expected["n"] < 30
    assert list(table["Significant"][small.values]) == ["too few"] * int(small.sum())
    assert list(table["n < 30"]) == ["⚠ yes" if s else "no" for s in small]
    assert all(v for v in table["Significant"])


def test_segments_without_a_previous_period_say_nothing_to_compare(app_db):
    # "All time" has no period before it: no change, so no verdict to give, not "too few"
    at = start("drilldown", lang="en", period="all")
    at.selectbox(key="segment_dim_0").set_value("channel")
    rerun(at)
    table = next(d.value for d in at.dataframe if "Channel" in d.value.columns)
    assert (table["n"].str.replace(",", "").astype(int) >= 30).all()  # every segment is big enough …
    assert list(table["Change"]) == ["–"] * len(table)
    assert list(table["Significant"]) == ["–"] * len(table)  # … and still there is nothing to judge


def test_long_time_axes_label_a_regular_rhythm_ending_with_the_latest_period():
    # 13 months: every second month labelled, counted back from December 2025
    months = pd.date_range("2024-12-01", "2025-12-01", freq="MS")
    trend = add_stats(pd.DataFrame({"period": months, "key": [f"{d:%Y-%m}" for d in months], "n": 50,
                                    "promoters": 25, "passives": 15, "detractors": 10}))
    x = charts.nps_trend_chart(trend, "en", "month").to_dict()["layer"][0]["encoding"]["x"]
    assert x["axis"]["values"] == ["Dec 2024", "Feb 2025", "Apr 2025", "Jun 2025", "Aug 2025", "Oct 2025", "Dec 2025"]
    assert len(x["scale"]["domain"]) == 13  # every month keeps its place on the axis
    # eight periods or fewer: every one labelled
    short = charts.nps_trend_chart(trend.tail(8), "en", "month").to_dict()["layer"][0]["encoding"]["x"]
    assert short["axis"]["values"] == short["scale"]["domain"]
