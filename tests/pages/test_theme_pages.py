"""AppTest tests of the Themes page's trend, segment and sentiment views, the
one-click topic-to-theme, and the theme editor. Expected values come from
pandas and Python's re over the demo CSV, not from nps_core."""

import io
import re

import pandas as pd
import pyarrow as pa
import pytest
from apptest_support import rerun, start

from nps_core.analysis import themes
from nps_core.analysis.filters import Filters
from nps_core.text import marks, taxonomy
from nps_core.text.excerpt import excerpt
from nps_core.text.taxonomy import default


def _pattern(key):
    return next(th["pattern"] for th in default()["themes"] if th["key"] == key)


def _mentions(frame, key):
    pattern = re.compile(_pattern(key))
    return frame["comment"].str.lower().map(lambda c: bool(pattern.search(c)))


def _chart_with(at, column):
    """The data set, among all charts' data sets, that has this column."""
    for chart in at.get("vega_lite_chart"):
        for ds in chart.proto.datasets:
            df = pa.ipc.open_stream(io.BytesIO(ds.data.data)).read_all().to_pandas()
            if column in df.columns:
                return df
    raise AssertionError(f"no chart with {column}")


def test_theme_trend_and_segment_views_match_pandas(app_db, demo_frame):
    at = start("drivers", lang="en", **{"from": "2024-11-01", "to": "2024-11-30"})
    assert not at.exception and not at.error
    at.multiselect(key="theme_trend_pick").set_value(["Waiting time"])
    at = rerun(at)
    trend = _chart_with(at, "period_label").set_index("key")
    commented = demo_frame[demo_frame["comment"] != ""].copy()
    commented["month"] = commented["responded_at"].dt.strftime("%Y-%m")
    commented["waiting"] = _mentions(commented, "waiting_time")
    window = commented[(commented["month"] >= "2023-12") & (commented["month"] <= "2024-11")]
    expected = window.groupby("month")["waiting"].mean()
    assert list(trend.index) == list(expected.index)  # twelve months ending with the selection
    assert trend["share"].to_numpy() == pytest.approx(expected.to_numpy())

    heat = _chart_with(at, "segment")
    cell = heat[(heat["segment"] == "delivery") & (heat["theme"] == "delivery")].iloc[0]
    nov = commented[commented["month"] == "2024-11"]
    in_segment = nov[nov["touchpoint"] == "delivery"]
    assert cell["share"] == pytest.approx(_mentions(in_segment, "delivery").mean())

    sentiment = _chart_with(at, "category_label")
    assert set(sentiment["category"]) == {"promoter", "passive", "detractor"}


def test_make_an_emerging_topic_a_theme_opens_the_editor_prefilled(app_db):
    at = start("drivers", lang="en", **{"from": "2024-11-01", "to": "2024-11-30"})
    term = at.selectbox(key="topic_to_theme").value
    at.button(key="term_to_theme").click()
    at = rerun(at)  # the click runs on the Themes page, which hands over to the editor
    at = rerun(at, "taxonomy")
    assert not at.exception and not at.error
    assert at.text_input(key="te_nl").value == term
    assert re.search(at.text_area(key="te_pattern").value, f"x {term} y")


def test_editor_previews_saves_and_resets_a_theme(app_db, demo_frame):
    at = start("taxonomy", lang="en")
    assert not at.exception and not at.error
    at.selectbox(key="te_pick").set_value("price_value")
    at = rerun(at)
    assert at.text_area(key="te_pattern").value == _pattern("price_value")
    wider = _pattern("price_value") + r"|\bgeld\b"
    at.text_area(key="te_pattern").set_value(wider)
    at = rerun(at)
    distinct = pd.Series(demo_frame.loc[demo_frame["comment"] != "", "comment"].unique())
    caught = distinct.str.lower().map(lambda c: bool(re.search(wider, c))).sum()
    gained = caught - distinct.str.lower().map(lambda c: bool(re.search(_pattern("price_value"), c))).sum()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Caught"] == f"{caught:,}" and metrics["Newly caught"] == f"{gained:,}"
    assert gained > 0 and metrics["No longer caught"] == "0"

    at.button[[b.label for b in at.button].index("Save and re-tag")].click()
    at = rerun(at)
    assert not at.exception and any("re-tagged" in s.value for s in at.success)
    year = Filters(dataset="demo")
    table = themes.theme_table(app_db, year).set_index("theme")
    with_price = demo_frame["comment"].str.lower().map(lambda c: bool(re.search(wider, c)))
    assert table.loc["price_value", "mentions"] == with_price.sum()

    at.button[[b.label for b in at.button].index("Back to the default themes")].click()
    at = rerun(at)
    table = themes.theme_table(app_db, year).set_index("theme")
    assert table.loc["price_value", "mentions"] == _mentions(demo_frame, "price_value").sum()


def test_editor_refuses_a_broken_rule_with_a_message(app_db):
    at = start("taxonomy", lang="nl")
    at.text_input(key="te_key").set_value("kapot_regel")
    at.text_area(key="te_pattern").set_value("(bezorg")
    at = rerun(at)
    assert not at.exception
    assert any("geen geldig patroon" in w.value or "not a valid pattern" in w.value for w in at.warning)


def test_editor_defines_a_theme_by_example_sentences_without_a_rule(app_db):
    at = start("taxonomy", lang="en")
    assert any("Give the new theme a name" in i.value for i in at.info)
    at.text_input(key="te_en").set_value("Waiting on the phone")
    at.text_input(key="te_nl").set_value("Wachten aan de telefoon")
    at.text_area(key="te_examples").set_value("I was on hold for forty minutes\nNobody answers the phone")
    at = rerun(at)
    assert not at.exception and not at.error
    p = taxonomy.preview(app_db, "demo", {"key": "waiting_on_the_phone", "en": "x", "nl": "x", "pattern": "",
                                          "examples": ["I was on hold for forty minutes", "Nobody answers the phone"]})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Caught"] == f"{p['caught']:,}" and metrics["Newly caught"] == f"{p['gained']:,}"
    shown = [s.value for s in at.text][:len(p["caught_examples"])]
    assert p["caught"] > 0 and shown == [excerpt(c) for c in p["caught_examples"]]
    # each card names the sentence the examples caught
    assert sum(c.value.startswith("Caught by the sentence") for c in at.caption) >= len(p["caught_examples"])
    at.button[[b.label for b in at.button].index("Save and re-tag")].click()
    at = rerun(at)
    assert not at.exception and any("re-tagged" in s.value for s in at.success)
    stored = taxonomy.current(app_db, "demo")["themes"]
    assert stored[-1]["key"] == "waiting_on_the_phone" and len(stored[-1]["examples"]) == 2
    table = themes.theme_table(app_db, Filters(dataset="demo")).set_index("theme")
    assert table.loc["waiting_on_the_phone", "mentions"] > 0


def test_editor_marks_sentences_and_shows_what_the_theme_learned(app_db):
    # issue 27: a manager marks caught sentences right or wrong, a close one missed, and sees the counts
    at = start("taxonomy", lang="en")
    at.selectbox(key="te_pick").set_value("price_value")
    at = rerun(at)
    assert any("No marks yet" in c.value for c in at.caption)
    rights = [b for b in at.button if b.key and b.key.startswith("mark_right_")]
    wrongs = [b for b in at.button if b.key and b.key.startswith("mark_wrong_")]
    missed = [b for b in at.button if b.key and b.key.startswith("mark_missed_")]
    assert len(rights) == len(wrongs) >= 2 and missed
    rights[0].click()
    at = rerun(at)
    assert not at.exception and any("Mark saved" in s.value for s in at.success)
    assert at.selectbox(key="te_pick").value == "price_value"  # the editor stays on the theme
    [b for b in at.button if b.key and b.key.startswith("mark_wrong_")][1].click()
    at = rerun(at)
    [b for b in at.button if b.key and b.key.startswith("mark_missed_")][0].click()
    at = rerun(at)
    assert not at.exception and not at.error
    # the marks stored, counted by hand: one of each
    verdicts = sorted(m["verdict"] for m in marks.marks(app_db, "demo", "price_value"))
    assert verdicts == ["missed", "right", "wrong"]
    assert any("(1 right, 1 wrong, 1 missed)" in m.value for m in at.markdown)
    assert sum(c.value == "Marked: Right" for c in at.caption) == 1
    # too few marks to learn from: the share of the checked sentences that were right, 1 of 2
    assert any(c.value == "Of the caught sentences you checked, 50.0 % are right." for c in at.caption)
