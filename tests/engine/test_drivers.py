"""Key drivers (nps_core/analysis/drivers.py) against independent computations.

A hand-built balanced design: every combination of three themes (late
delivery, friendly staff, price) the same number of times, scores set per
combination so that late delivery drives detractors, friendliness lifts a
little and price does nothing. In a balanced design the centred theme
columns are orthogonal, so the least-squares effect of a theme equals the
difference of its two marginal means and its relative weight equals its
squared correlation with the outcome: both computed here with pandas.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import write_csv

from nps_core.analysis import drivers
from nps_core.analysis.filters import Filters
from nps_core.ingest.importer import import_file
from nps_core.present import charts

FRAGMENTS = {"delivery": "De bezorging was te laat.", "staff_friendliness": "Een vriendelijke medewerker.",
             "price_value": "De prijs is normaal."}
# scores per (late delivery, friendly staff): late delivery pulls toward detractor
SCORES = {(1, 0): [2, 4, 6, 8, 9], (1, 1): [3, 6, 8, 9, 10], (0, 0): [5, 8, 9, 10, 10], (0, 1): [7, 9, 10, 10, 10]}


def _design(copies: int) -> pd.DataFrame:
    rows = []
    for d, fr, p in itertools.product((0, 1), repeat=3):
        for c in range(copies):
            for s in SCORES[(d, fr)]:
                rows.append({"delivery": d, "staff_friendliness": fr, "price_value": p, "score": s,
                             "app_website": int(c == 0 and s == SCORES[(d, fr)][0])})  # 8 mentions: too few
    return pd.DataFrame(rows)


def _import(store, tmp_path, name, design):
    rows = []
    for i, r in design.iterrows():
        words = [FRAGMENTS[k] for k in FRAGMENTS if r[k]] + (["Ik gebruik de app."] if r["app_website"] else [])
        rows.append({"response_id": f"{name}{i}", "responded_at": "2025-03-01", "score": int(r["score"]),
                     "comment": " ".join(words) or "Verder niets.", "nps_type": "relationship"})
    import_file(store, write_csv(tmp_path / f"{name}.csv", rows), dataset=name)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from nps_core.db.store import Store

    tmp = tmp_path_factory.mktemp("drivers")
    store = Store(tmp / "nps.duckdb")
    small, large = _design(2), _design(8)
    _import(store, tmp, "small", small)
    _import(store, tmp, "large", large)
    return store, small, large


def _outcome(design):
    return 100 * (design["score"] >= 9).astype(int) - 100 * (design["score"] <= 6).astype(int)


def test_the_sql_pull_has_one_row_per_response_with_its_theme_flags(built):
    store, small, _ = built
    df, _ = drivers.flags(store, Filters(dataset="small"))
    assert len(df) == len(small) == 80
    got = df.sort_values(["delivery", "staff_friendliness", "price_value", "outcome"]).reset_index(drop=True)
    want = small.assign(outcome=_outcome(small)).sort_values(
        ["delivery", "staff_friendliness", "price_value", "outcome"]).reset_index(drop=True)
    for col in ("outcome", "delivery", "staff_friendliness", "price_value"):
        assert list(got[col]) == list(want[col])
    assert df.drop(columns="outcome").sum().sum() == small[list(FRAGMENTS) + ["app_website"]].sum().sum()


def test_effects_and_weights_equal_the_closed_form_of_a_balanced_design(built):
    store, small, _ = built
    found = drivers.key_drivers(store, Filters(dataset="small"))
    table = found["drivers"].set_index("theme")
    y = _outcome(small)
    r2 = {k: np.corrcoef(small[k], y)[0, 1] ** 2 for k in FRAGMENTS}
    for k in FRAGMENTS:
        marginal = y[small[k] == 1].mean() - y[small[k] == 0].mean()
        assert table.loc[k, "effect"] == pytest.approx(marginal, abs=1e-9)
        assert table.loc[k, "weight"] == pytest.approx(r2[k] / sum(r2.values()), abs=1e-9)
    assert found["r2"] == pytest.approx(sum(r2.values()), abs=1e-9)
    # late delivery drives detractors most, friendliness lifts, price does nothing
    assert list(table.index) == ["delivery", "staff_friendliness", "price_value"]
    assert table.loc["delivery", "effect"] < 0 < table.loc["staff_friendliness", "effect"]
    assert table.loc["delivery", "effect_high"] < 0  # a sure effect
    assert table.loc["price_value", "effect"] == pytest.approx(0, abs=1e-9)
    assert table.loc["price_value", "effect_low"] < 0 < table.loc["price_value", "effect_high"]


def test_themes_below_the_minimum_volume_are_listed_not_estimated(built):
    store, small, _ = built
    found = drivers.key_drivers(store, Filters(dataset="small"))
    too_few = found["too_few"].set_index("theme")
    assert too_few.loc["app_website", "mentions"] == small["app_website"].sum() == 8
    assert "app_website" not in set(found["drivers"]["theme"])
    # themes nobody mentions are too few as well, never estimated
    assert too_few.loc["expertise", "mentions"] == 0


def test_least_squares_equals_the_normal_equations_of_the_full_design():
    rng = np.random.default_rng(3)
    x = (rng.random((400, 4)) < [0.2, 0.5, 0.3, 0.6]).astype(float)
    x[:, 2] = np.maximum(x[:, 2], x[:, 0] * (rng.random(400) < 0.7))  # correlated themes
    y = rng.choice([-100.0, 0.0, 100.0], 400) - 60 * x[:, 0]
    design = np.column_stack([np.ones(400), x])
    beta = np.linalg.solve(design.T @ design, design.T @ y)
    assert drivers.least_squares(x, y) == pytest.approx(beta[1:], abs=1e-8)
    # relative weights always add up to the model's R²
    fitted = design @ beta
    r2 = 1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert drivers.relative_weights(x, y).sum() == pytest.approx(r2, abs=1e-9)


def test_intervals_contain_the_estimate_and_shrink_with_more_data(built):
    store, _, _ = built
    small = drivers.key_drivers(store, Filters(dataset="small"))["drivers"].set_index("theme")
    large = drivers.key_drivers(store, Filters(dataset="large"))["drivers"].set_index("theme")
    for table in (small, large):
        assert (table["effect_low"] <= table["effect"]).all() and (table["effect"] <= table["effect_high"]).all()
    # the large set is the small one four times: the same estimates, intervals about half as wide
    assert large["effect"].to_numpy() == pytest.approx(small.loc[large.index, "effect"].to_numpy(), abs=1e-9)
    ratio = ((large["effect_high"] - large["effect_low"])
             / (small.loc[large.index, "effect_high"] - small.loc[large.index, "effect_low"]))
    assert (ratio < 0.7).all() and (ratio > 0.3).all()


def test_bootstrap_is_repeatable():
    rng = np.random.default_rng(5)
    x = (rng.random((200, 3)) < 0.4).astype(float)
    y = rng.choice([-100.0, 0.0, 100.0], 200)
    a, b = drivers.estimate(x, y), drivers.estimate(x, y)
    assert np.array_equal(a["effect_low"], b["effect_low"]) and np.array_equal(a["effect_high"], b["effect_high"])


def test_the_chart_shows_every_estimated_theme_in_both_languages(built):
    store, _, _ = built
    for lang, title in (("nl", "Effect op NPS (punten)"), ("en", "Effect on NPS (points)")):
        table = drivers.key_drivers(store, Filters(dataset="small"), lang)["drivers"]
        spec = charts.key_driver_chart(table, lang).to_dict()
        data = next(rows for rows in spec["datasets"].values() if "label" in rows[0])
        assert [row["label"] for row in data] == list(table["label"])
        assert title in str(spec)


def test_the_board_report_has_the_key_drivers_in_every_format(demo_store):
    import datetime as dt
    import io

    from pptx import Presentation

    from nps_core.report import content
    from nps_core.report.export import render

    report = content.build(demo_store, Filters(), "month", dt.date(2025, 12, 1), "en", today=dt.date(2026, 1, 5))
    engine = drivers.key_drivers(demo_store, Filters(date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31)))
    assert not engine["drivers"].empty
    assert list(report.drivers["drivers"]["effect"]) == list(engine["drivers"]["effect"])
    title = "What makes a promoter or a detractor"
    assert [s.kind for s in report.sections()].count("drivers") == 1
    html = render(report, "html")[0].decode()
    assert title in html and "Together the themes explain" in html
    slides = Presentation(io.BytesIO(render(report, "pptx")[0])).slides
    slide = next(s for s in slides if any(sh.has_text_frame and sh.text_frame.text == title for sh in s.shapes))
    assert any(sh.shape_type == 13 for sh in slide.shapes)  # the chart, as a picture
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(render(report, "pdf")[0])).pages
    page = next(p for p in pages if title in p.extract_text())
    assert "Together the themes explain" in page.extract_text() and len(page.images) == 1
