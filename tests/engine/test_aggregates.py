"""Aggregates on a small fixture whose every number is worked out by hand."""

import datetime as dt

import pytest
from conftest import write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.db.errors import StoreError
from nps_core.ingest.importer import import_file

D = dt.date

# (responded_at, score, nps_type, touchpoint, region, segment)
ROWS = [
    ("2025-01-06 09:00", 10, "transaction", "delivery", "Noord", "a"),
    ("2025-01-06 10:00", 9, "transaction", "delivery", "Noord", "a"),
    ("2025-01-06 11:00", 8, "transaction", "delivery", "Noord", "b"),
    ("2025-01-12 12:00", 3, "transaction", "delivery", "Noord", "b"),
    ("2025-01-13 09:00", 10, "transaction", "webshop", "Zuid", "a"),
    ("2025-01-13 10:00", 6, "transaction", "webshop", "Zuid", "a"),
    ("2025-02-03 09:00", 9, "relationship", "", "Noord", "a"),
    ("2025-02-03 09:01", 9, "relationship", "", "Noord", "a"),
    ("2025-02-03 09:02", 9, "relationship", "", "Noord", "b"),
    ("2025-02-03 09:03", 0, "relationship", "", "Noord", "b"),
    ("2025-02-03 10:00", 7, "transaction", "delivery", "Zuid", "a"),
    ("2025-02-03 11:00", 2, "transaction", "delivery", "Zuid", "b"),
    ("2025-04-30 10:00", 10, "product", "", "West", "a"),
]


@pytest.fixture
def small(store, tmp_path):
    rows = [
        {"response_id": f"r{i}", "responded_at": r[0], "score": r[1], "nps_type": r[2],
         "touchpoint": r[3], "region": r[4], "segment": r[5], "comment": ""}
        for i, r in enumerate(ROWS)
    ]
    import_file(store, write_csv(tmp_path / "small.csv", rows), dataset="small")
    return store


def test_summary_all(small):
    s = agg.summary(small, Filters())
    # 7 promoters, 2 passives, 4 detractors: 100 * 3 / 13
    assert (s.promoters, s.passives, s.detractors) == (7, 2, 4)
    assert s.nps == pytest.approx(300 / 13)


def test_date_range_is_inclusive(small):
    s = agg.summary(small, Filters(date_from=D(2025, 1, 1), date_to=D(2025, 1, 31)))
    assert (s.n, s.promoters, s.detractors) == (6, 3, 2)
    one_day = agg.summary(small, Filters(date_from=D(2025, 1, 12), date_to=D(2025, 1, 12)))
    assert one_day.n == 1 and one_day.nps == -100.0


@pytest.mark.parametrize(
    "grain,expected",
    [
        ("month", {"2025-01": (6, 100 / 6), "2025-02": (6, 100 / 6), "2025-04": (1, 100.0)}),
        ("quarter", {"2025-Q1": (12, 200 / 12), "2025-Q2": (1, 100.0)}),
        ("week", {"2025-W02": (4, 25.0), "2025-W03": (2, 0.0), "2025-W06": (6, 100 / 6),
                  "2025-W18": (1, 100.0)}),
        ("day", {"2025-01-06": (3, 200 / 3), "2025-01-12": (1, -100.0), "2025-01-13": (2, 0.0),
                 "2025-02-03": (6, 100 / 6), "2025-04-30": (1, 100.0)}),
    ],
)
def test_trend_by_grain(small, grain, expected):
    df = agg.trend(small, Filters(), grain)
    got = {r.key: (r.n, r.nps) for r in df.itertuples()}
    assert got.keys() == expected.keys()
    for key, (n, nps) in expected.items():
        assert got[key][0] == n and got[key][1] == pytest.approx(nps)
    assert df["small"].all()  # every period here has n < 30


def test_trend_split_by_programme_type(small):
    df = agg.trend(small, Filters(), "month", split="nps_type")
    got = {(r.key, r.grp): (r.n, r.nps) for r in df.itertuples()}
    assert got == {
        ("2025-01", "transaction"): (6, pytest.approx(100 / 6)),
        ("2025-02", "relationship"): (4, pytest.approx(50.0)),
        ("2025-02", "transaction"): (2, pytest.approx(-50.0)),
        ("2025-04", "product"): (1, pytest.approx(100.0)),
    }


def test_breakdown_by_programme_type_and_extra_column(small):
    by_type = agg.breakdown(small, Filters(), "nps_type")
    assert list(by_type["key"]) == ["product", "relationship", "transaction"]  # best first
    assert list(by_type["nps"].round(6)) == [100.0, 50.0, 0.0]
    by_seg = agg.breakdown(small, Filters(), "segment").set_index("key")
    # a: 10,9,10,6,9,9,7,10 -> 6P 1Pa 1D = 62.5 ; b: 8,3,9,0,2 -> 1P 1Pa 3D = -40
    assert by_seg.loc["a", "nps"] == pytest.approx(62.5)
    assert by_seg.loc["b", "nps"] == pytest.approx(-40.0)


def test_drill_down_filters_one_dimension_and_breaks_down_another(small):
    drilled = Filters().with_dim("touchpoint", ["delivery"])
    df = agg.breakdown(small, drilled, "region").set_index("key")
    assert df.loc["Noord", "n"] == 4 and df.loc["Noord", "nps"] == pytest.approx(25.0)
    assert df.loc["Zuid", "n"] == 2 and df.loc["Zuid", "nps"] == pytest.approx(-50.0)
    assert set(df.index) == {"Noord", "Zuid"}
    # undoing the step restores the whole picture
    assert agg.summary(small, drilled.without_dim("touchpoint")).n == 13


def test_breakdown_change_against_previous_period(small):
    feb = Filters(date_from=D(2025, 2, 1), date_to=D(2025, 2, 28))
    df = agg.breakdown(small, feb, "touchpoint").set_index("key")
    # Feb delivery: 7, 2 -> -50 ; Jan delivery: 10, 9, 8, 3 -> +25
    assert df.loc["delivery", "prev_nps"] == pytest.approx(25.0)
    assert df.loc["delivery", "delta"] == pytest.approx(-75.0)
    assert "webshop" not in df.index  # no Feb responses


def test_filter_values_are_bound_not_spliced(small):
    evil = Filters().with_dim("touchpoint", ["delivery' OR '1'='1"])
    assert agg.summary(small, evil).n == 0


def test_unknown_dimension_is_refused(small):
    with pytest.raises(StoreError):
        agg.summary(small, Filters().with_dim("touchpoint; DROP TABLE responses", ["x"]))
    with pytest.raises(StoreError):
        agg.breakdown(small, Filters(), "no_such_column")


def test_programme_type_filter(small):
    s = agg.summary(small, Filters(nps_types=("relationship", "product")))
    assert (s.n, s.promoters, s.detractors) == (5, 4, 1)


def test_overview_compares_with_previous_month(small):
    ov = agg.overview(small, Filters(date_from=D(2025, 2, 1), date_to=D(2025, 2, 28)))
    assert (ov.prev_from, ov.prev_to) == (D(2025, 1, 1), D(2025, 1, 31))
    assert ov.current.nps == pytest.approx(100 / 6) and ov.previous.nps == pytest.approx(100 / 6)
    assert ov.change.delta == pytest.approx(0.0) and not ov.change.significant
    assert list(ov.trend["key"]) == ["2025-01", "2025-02"]


def test_unknown_dataset_is_a_clear_error(small):
    with pytest.raises(StoreError, match="unknown dataset"):
        agg.summary(small, Filters(dataset="nope"))
