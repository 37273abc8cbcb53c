"""AppTest tests of every page: they render, and show the engine's numbers."""

import datetime as dt
import io

import pyarrow as pa
import pytest
from apptest_support import rerun, start
from conftest import write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis import value, verbatims
from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query
from nps_core.base.i18n import fmt_int, fmt_money, fmt_nps
from nps_core.ingest.importer import import_file

D = dt.date
YEAR_2025 = Filters(dataset="demo", date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
PAGES = ["", "trend", "drilldown", "drivers", "taxonomy", "comments", "cases", "subscriptions", "value", "board", "import",
         "sources"]


def chart_data(at, index=0):
    """The data behind the index-th Altair chart of the page."""
    ds = at.get("vega_lite_chart")[index].proto.datasets[0]
    return pa.ipc.open_stream(io.BytesIO(ds.data.data)).read_all().to_pandas()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(app_db, page, lang):
    at = start(page, lang=lang, period="year")
    assert not at.exception and not at.error
    assert at.title


def test_evolution_plots_the_engine_trend(app_db):
    at = start("trend", lang="en", period="year")
    assert at.get("segmented_control")[0].value == "month"
    expected = agg.trend(app_db, YEAR_2025, "month")
    plotted = chart_data(at)
    assert list(plotted["n"]) == list(expected["n"])
    assert list(plotted["nps"].round(9)) == list(expected["nps"].round(9))
    assert list(plotted["moe"].round(9)) == list(expected["moe"].round(9))


def test_evolution_one_line_per_programme_type(app_db):
    at = start("trend", lang="en", period="year")
    at.selectbox(key="split").set_value("nps_type")
    rerun(at)
    plotted = chart_data(at)
    assert set(plotted["grp"]) == {"Relationship", "Transaction", "Product"}
    expected = agg.trend(app_db, YEAR_2025, "month", split="nps_type")
    assert sorted(plotted["nps"].round(9)) == sorted(expected["nps"].round(9))


def test_segments_table_equals_engine(app_db):
    at = start("drilldown", lang="en", period="year")
    expected = agg.breakdown(app_db, YEAR_2025, "touchpoint")
    table = at.dataframe[0].value
    assert list(table["Touchpoint"]) == list(expected["key"])
    assert list(table["NPS"]) == [fmt_nps(v, "en") for v in expected["nps"]]
    assert list(table["Change"]) == [fmt_nps(v, "en") for v in expected["delta"]]


def test_drill_down_narrows_segments_and_verbatims_and_can_be_undone(app_db):
    at = start("drilldown", lang="en", period="year")
    before = [t.value for t in at.text]
    # what a click on the "delivery" bar does (state.drill), then the rerun it asks for
    at.session_state["pending_dims"] = {"touchpoint": ["delivery"]}
    at.session_state["drill_path"] = ["touchpoint"]
    rerun(at)
    drilled = YEAR_2025.with_dim("touchpoint", ["delivery"])
    assert any("Drilled into" in m.value and "delivery" in m.value for m in at.markdown)
    assert at.selectbox(key="segment_dim_1").value != "touchpoint"  # break down by the next dimension
    expected = agg.breakdown(app_db, drilled, at.selectbox(key="segment_dim_1").value)
    assert list(at.dataframe[0].value["NPS"]) == [fmt_nps(v, "en") for v in expected["nps"]]
    after = [t.value for t in at.text]
    assert after != before
    assert after == list(verbatims.page(app_db, drilled, Query(), 8, 0)["comment"])
    assert at.query_params["f.touchpoint"] == "delivery"  # shareable
    at.button(key="undo").click()
    rerun(at)
    rerun(at)
    assert not any("Drilled into" in m.value for m in at.markdown)
    assert [t.value for t in at.text] == before


def test_sidebar_segment_filter_applies_to_the_overview(app_db):
    at = start("", lang="en")
    at.sidebar.multiselect(key="dim:region").set_value(["Noord"])
    rerun(at)
    dec = Filters(dataset="demo", date_from=D(2025, 12, 1), date_to=D(2025, 12, 31)).with_dim("region", ["Noord"])
    assert next(m.value for m in at.metric if m.label == "NPS") == fmt_nps(agg.summary(app_db, dec).nps, "en")


def test_verbatims_page_counts_searches_and_pages(app_db):
    at = start("comments", lang="en", period="year")
    total = verbatims.count(app_db, YEAR_2025)
    assert any(fmt_int(total, "en") in m.value for m in at.markdown)
    assert [t.value for t in at.text] == list(verbatims.page(app_db, YEAR_2025, Query(), 25, 0)["comment"])
    at.text_input(key="vb_search").set_value("bezorg")
    rerun(at)
    hits = verbatims.count(app_db, YEAR_2025, Query(search="bezorg"))
    assert 0 < hits < total
    assert any(fmt_int(hits, "en") in m.value for m in at.markdown)
    assert all("bezorg" in t.value.lower() for t in at.text)
    at.number_input(key="vb_page").set_value(2)
    rerun(at)
    assert [t.value for t in at.text] == list(
        verbatims.page(app_db, YEAR_2025, Query(search="bezorg"), 25, 25)["comment"])
    assert len(at.get("download_button")) == 2


EVIL = ["<script>alert('x')</script>", "**bold**", "[link](javascript:alert(1))",
        "<img src=x onerror=alert(1)> _it_ # kop"]


def test_comments_are_shown_literally(app_db, tmp_path):
    rows = [{"response_id": f"e{i}", "responded_at": "2025-06-0%d 12:00" % (i + 1), "score": 1,
             "comment": c, "nps_type": "product", "touchpoint": "<b>shop</b>"} for i, c in enumerate(EVIL)]
    import_file(app_db, write_csv(tmp_path / "evil.csv", rows), dataset="evil")
    at = start("comments", lang="en", dataset="evil", period="all")
    assert not at.exception
    assert sorted(t.value for t in at.text) == sorted(EVIL)
    # the context line is Markdown, so user text in it must arrive escaped
    context = [m.value for m in at.markdown if "shop" in m.value]
    assert context and all("<b>" not in m for m in context)


def test_customer_value_shows_the_engine_gap(app_db):
    at = start("value", lang="en", period="year")
    gap = value.promoter_gap(value.by_category(app_db, YEAR_2025, "yearly_revenue"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Promoters"] == fmt_money(gap.promoters_mean, "en")
    assert metrics["Detractors"] == fmt_money(gap.detractors_mean, "en")
    assert metrics["Difference"] == fmt_money(gap.difference, "en", signed=True)
    assert gap.significant and any("a real difference" in m.value for m in at.markdown)


def test_dataset_without_value_column_says_so(app_db, tmp_path):
    rows = [{"responded_at": "2025-06-01", "score": 9, "nps_type": "product"}]
    import_file(app_db, write_csv(tmp_path / "plain.csv", rows), dataset="plain")
    at = start("value", lang="en", dataset="plain", period="all")
    assert not at.exception and at.info


def test_language_switch_on_every_page(app_db):
    for page in PAGES:
        at = start(page, lang="en", period="year")
        english = at.title[0].value
        at.sidebar.selectbox(key="lang_select").set_value("nl")
        rerun(at)
        assert at.title[0].value != english or page in ("comments", "import")  # same word in both
        assert at.sidebar.multiselect(key="types").placeholder == "Alle typen"


def test_themes_page_shows_the_engine_impact_and_action_points(app_db):
    from nps_core.analysis import themes
    from nps_core.base.i18n import fmt_pct

    at = start("drivers", lang="en", **{"from": "2024-11-01", "to": "2024-11-30"})
    assert not at.exception and not at.error
    nov = Filters(dataset="demo", date_from=D(2024, 11, 1), date_to=D(2024, 11, 30))
    table = themes.theme_table(app_db, nov)
    first = next(m for m in at.metric)
    assert first.label == "Delivery" and first.value == fmt_nps(table.iloc[0]["impact"], "en")
    assert any(fmt_pct(themes.uncaught_share(app_db, nov), "en") in m.value for m in at.markdown)
    shown = next(d.value for d in at.dataframe if {"Impact", "Theme", "NPS without"} <= set(d.value.columns))
    assert list(shown["Impact"]) == [fmt_nps(v, "en") for v in table["impact"]]
    rising = next(d.value for d in at.dataframe if "Term" in d.value.columns)
    from nps_core.analysis.topics import emerging
    assert list(rising["Term"]) == list(emerging(app_db, nov, 15)["term"])
    quotes = themes.representative_verbatims(app_db, nov, "delivery")
    assert [t.value for t in at.text][:3] == list(quotes["comment"])
