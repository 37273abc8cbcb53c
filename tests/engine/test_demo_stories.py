"""The embedded demo: its shape, and the stories planted in it, found by the engine."""

import datetime as dt

import pytest

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.metrics import Change, NpsStats
from nps_core.db.store import Store

D = dt.date


@pytest.fixture(scope="module")
def demo(demo_db):
    return Store(demo_db)


def test_shape_of_the_demo(demo, demo_frame):
    total = agg.summary(demo, Filters())
    assert 29_000 <= total.n <= 31_000 and total.n == len(demo_frame)
    months = agg.trend(demo, Filters(), "month")
    assert len(months) == 24 and months["key"].iloc[0] == "2024-01" and months["key"].iloc[-1] == "2025-12"
    assert set(agg.breakdown(demo, Filters(), "nps_type")["key"]) == {"relationship", "transaction", "product"}
    assert 0.55 <= (demo_frame["comment"] != "").mean() <= 0.65
    touchpoints = set(agg.breakdown(demo, Filters(), "touchpoint")["key"])
    assert {"webshop", "delivery", "contact centre", "invoicing", "returns"} <= touchpoints
    assert len(agg.breakdown(demo, Filters().with_dim("touchpoint", ["contact centre"]), "agent")) >= 8


def test_headline_equals_plain_pandas(demo, demo_frame):
    s = agg.summary(demo, Filters(date_from=D(2025, 6, 1), date_to=D(2025, 6, 30)))
    june = demo_frame[(demo_frame["responded_at"] >= "2025-06-01") & (demo_frame["responded_at"] < "2025-07-01")]
    expected = 100 * ((june["score"] >= 9).mean() - (june["score"] <= 6).mean())
    assert s.n == len(june) and s.nps == pytest.approx(expected)


def test_delivery_crisis_in_november_2024(demo):
    delivery = Filters(nps_types=("transaction",)).with_dim("touchpoint", ["delivery"])
    months = agg.trend(demo, delivery, "month").set_index("key")
    assert months["nps"].idxmin() == "2024-11"
    assert months.loc["2024-11", "nps"] < -20
    oct_, nov = (agg.summary(demo, delivery.with_dates(D(2024, m, 1), D(2024, m, 30 if m == 11 else 31)))
                 for m in (10, 11))
    assert Change(nov, oct_).significant and Change(nov, oct_).delta < -40
    # that month, delivery is the touchpoint that sank: lowest, and significantly down
    nov_tp = agg.breakdown(demo, Filters(nps_types=("transaction",), date_from=D(2024, 11, 1),
                                         date_to=D(2024, 11, 30)), "touchpoint")
    worst = nov_tp.iloc[-1]
    assert worst["key"] == "delivery" and worst["significant"] and worst["delta"] < 0


def test_delivery_crisis_comments_talk_about_delivery(demo):
    with demo.read() as con:
        share = con.execute(
            """SELECT avg(CASE WHEN regexp_matches(lower(comment),
                      'bezorg|pakket|lever|te laat|track|koerier|deliver|parcel|courier|late|package')
                      THEN 1 ELSE 0 END)
               FROM responses WHERE touchpoint = 'delivery' AND score <= 6 AND comment IS NOT NULL
                 AND responded_at >= '2024-11-01' AND responded_at < '2024-12-01'"""
        ).fetchone()[0]
    assert share > 0.7


def test_call_back_service_fixes_contact_centre(demo):
    cc = Filters().with_dim("touchpoint", ["contact centre"])
    before = agg.summary(demo, cc.with_dates(D(2024, 1, 1), D(2024, 8, 31)))
    after = agg.summary(demo, cc.with_dates(D(2024, 9, 1), D(2025, 12, 31)))
    change = Change(after, before)
    assert before.nps < 0 < after.nps
    assert change.significant and change.delta > 20
    with demo.read() as con:
        waiting = dict(con.execute(
            """SELECT responded_at >= '2024-09-01' AS after,
                      avg(CASE WHEN regexp_matches(lower(comment), 'wacht|wait|hold') THEN 1 ELSE 0 END)
               FROM responses WHERE touchpoint = 'contact centre' AND comment IS NOT NULL GROUP BY 1"""
        ).fetchall())
    assert waiting[True] < waiting[False] / 2


def test_one_product_is_clearly_worse(demo):
    products = agg.breakdown(demo, Filters(nps_types=("product",)), "product")
    worst, runner_up = products.iloc[-1], products.iloc[-2]
    assert worst["key"] == "Airfryer XL" and worst["nps"] < 0
    assert Change(NpsStats(int(worst.promoters), int(worst.passives), int(worst.detractors)),
                  NpsStats(int(runner_up.promoters), int(runner_up.passives),
                           int(runner_up.detractors))).significant


def test_promoters_praise_friendly_staff(demo):
    with demo.read() as con:
        rows = dict(con.execute(
            """SELECT score >= 9 AS promoter,
                      avg(CASE WHEN regexp_matches(lower(comment), 'vriendelijk|friendly|behulpzaam|helpful')
                          THEN 1 ELSE 0 END)
               FROM responses WHERE comment IS NOT NULL AND (score >= 9 OR score <= 6) GROUP BY 1"""
        ).fetchall())
    assert rows[True] > 0.10 and rows[True] > 3 * rows[False]


def test_promoters_spend_more(demo, demo_frame):
    revenue = demo_frame.assign(rev=demo_frame["yearly_revenue"].astype(float))
    promoters = revenue.loc[revenue["score"] >= 9, "rev"].mean()
    detractors = revenue.loc[revenue["score"] <= 6, "rev"].mean()
    assert promoters > 1.15 * detractors
    with demo.read() as con:  # the stored numeric column holds the same figures
        stored = con.execute("SELECT avg(yearly_revenue) FROM responses WHERE score >= 9").fetchone()[0]
    assert stored == pytest.approx(promoters)
