"""Effort per theme: the team's estimates, the impact/effort quadrants, "Fix
first" ordered by NPS per day of effort, and the report carrying it."""

import datetime as dt

import pandas as pd
import pytest

from nps_core.analysis import effort, themes
from nps_core.analysis.filters import Filters
from nps_core.present import charts
from nps_core.report import content as report
from nps_core.report.html import render_html

DEC_2025 = Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
TABLE = pd.DataFrame({  # a theme_table() by hand
    "theme": ["a", "b", "c", "d", "e"], "label": ["A", "B", "C", "D", "E"],
    "mentions": [100, 40, 30, 10, 50], "share": [0.5, 0.2, 0.15, 0.05, 0.25],
    "nps": [-10.0, 0.0, 5.0, 10.0, 60.0], "impact": [-4.0, -2.0, -0.5, -0.2, 3.0],
})


def test_effort_quadrants_and_order_by_impact_per_day():
    est = pd.DataFrame({"theme": ["a", "b", "c"], "level": ["high", "low", None], "days": [30.0, 2.0, 1.0]})
    out = effort.with_effort(TABLE, est).set_index("theme")
    # by hand: a 4/30 = 0.133, b 2/2 = 1.0, c 0.5/1 = 0.5, d 0.2/10 (not estimated: medium) = 0.02; e helps: absent
    assert list(out.index) == ["b", "c", "a", "d"]
    assert out.loc["b", "cost_per_day"] == pytest.approx(1.0) and out.loc["a", "cost_per_day"] == pytest.approx(4 / 30)
    assert dict(out["quadrant"]) == {"b": "quick_win", "c": "fill_in", "a": "big_bet", "d": "fill_in"}
    assert effort.quadrant(0.9, 11) == "leave_it" and effort.quadrant(1.0, 10) == "quick_win"
    assert not out.loc["d", "estimated"] and out.loc["d", "days"] == 10
    assert effort.describe("low", 2.0, True, "en") == "low (2 days)"
    assert effort.describe(None, 1.5, True, "nl") == "1,5 dagen"
    assert effort.describe("medium", 10.0, False, "en") == "medium (not estimated)"
    spec = charts.effort_matrix_chart(out.reset_index(), "nl").to_dict()
    names = {d["name"] for ds in spec["datasets"].values() for d in ds if "name" in d}
    assert names == {"Snelle winst", "Grote projecten", "Kleine klussen", "Laten liggen"}


def test_effort_estimates_are_kept_per_dataset_and_checked(demo_store):
    effort.set_effort(demo_store, "demo", "delivery", "low", set_by="Sanne")
    effort.set_effort(demo_store, None, "price_value", days=45)  # None: the default dataset (the demo)
    got = effort.efforts(demo_store, "demo").set_index("theme")
    assert got.loc["delivery", "days"] == 2.0 and got.loc["delivery", "level"] == "low"
    assert got.loc["price_value", "days"] == 45.0 and got.loc["price_value", "level"] is None
    effort.set_effort(demo_store, "demo", "delivery")  # neither: cleared
    assert list(effort.efforts(demo_store, "demo")["theme"]) == ["price_value"]
    for bad in ({"level": "huge"}, {"days": 0}, {"level": "low", "days": 3}):
        with pytest.raises(ValueError):
            effort.set_effort(demo_store, "demo", "delivery", **bad)


def test_effort_orders_fix_first_and_the_report_carries_it(demo_store):
    table = themes.theme_table(demo_store, DEC_2025, "en")
    impact = dict(zip(table["theme"], table["impact"]))
    assert list(p["theme"] for p in themes.action_points(demo_store, DEC_2025, table)) == list(
        table[table["impact"] < 0]["theme"][:3])  # nothing estimated: the most harmful first
    effort.set_effort(demo_store, "demo", "price_value", "high")
    effort.set_effort(demo_store, "demo", "product_quality", "low")
    harmful = {k: -v for k, v in impact.items() if v < 0}
    days = {k: {"price_value": 30, "product_quality": 2}.get(k, 10) for k in harmful}
    by_hand = sorted(harmful, key=lambda k: -harmful[k] / days[k])[:3]
    points = themes.action_points(demo_store, DEC_2025, table)
    assert [p["theme"] for p in points] == by_hand and by_hand[0] == "product_quality"
    assert effort.fact(points[0], "en").startswith("Effort: low (2 days) · Quick wins")

    content = report.build(demo_store, Filters(dataset="demo"), "month", dt.date(2025, 12, 1), "en")
    header, rows = report.themes_table(content)
    assert header[-1] == "Effort"
    efforts = {r[0]: r[-1] for r in rows}
    label = dict(zip(table["theme"], table["label"]))
    assert efforts[label["price_value"]] == "high" and efforts[label["product_quality"]] == "low"
    assert efforts[label["communication"]] == "–"  # harmful, not estimated
    assert content.themes[0].theme == "product_quality"
    assert "Effort: low (2 days)" in report.theme_facts(content.themes[0], "en")
    assert "Effort: low (2 days) · Quick wins" in render_html(content)[0].decode()


def test_effort_matrix_on_the_themes_page_places_the_estimates(app_db):
    import io

    import pyarrow as pa
    from apptest_support import start

    effort.set_effort(app_db, "demo", "product_quality", "low")
    effort.set_effort(app_db, "demo", "price_value", days=40)
    at = start("drivers", lang="nl")
    assert not at.exception and not at.error
    frames = [pa.ipc.open_stream(io.BytesIO(ds.data.data)).read_all().to_pandas()
              for chart in at.get("vega_lite_chart") for ds in chart.proto.datasets]
    [placed] = [f for f in frames if "quadrant" in f.columns]
    table = themes.theme_table(app_db, DEC_2025, "nl")
    harmful = table[table["impact"] < 0].set_index("theme")
    got = placed.set_index("theme")
    assert set(got.index) == set(harmful.index)
    assert got.loc["product_quality", "days"] == 2 and got.loc["price_value", "days"] == 40
    assert got.loc["communication", "days"] == 10  # not estimated: medium
    for k in got.index:  # cost is what the theme costs in NPS, computed by theme_table
        assert got.loc[k, "cost"] == pytest.approx(-harmful.loc[k, "impact"])
    assert set(got["quadrant_txt"]) <= {"Snelle winst", "Grote projecten", "Kleine klussen", "Laten liggen"}
    assert any("Inspanning: laag (2 dagen)" in c.value for c in at.caption)  # in "Eerst aanpakken"
