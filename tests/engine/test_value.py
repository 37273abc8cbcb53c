"""Customer value per category on a fixture worked out by hand."""

import math

import pytest
from conftest import write_csv

from nps_core.analysis.filters import Filters
from nps_core.analysis.value import by_category, over_time, promoter_gap, value_columns
from nps_core.ingest.importer import import_file

# customer, date, score, revenue (fixed per customer)
ROWS = [
    ("A", "2025-01-05", 3, 100), ("A", "2025-02-05", 10, 100),  # latest answer: promoter
    ("B", "2025-01-06", 9, 300),
    ("C", "2025-01-07", 10, 500),
    ("D", "2025-01-08", 2, 50),
    ("E", "2025-02-08", 5, 150),
    ("F", "2025-02-09", 7, 999),
]


@pytest.fixture
def vstore(store, tmp_path):
    rows = [{"responded_at": d, "score": s, "customer_id": c, "nps_type": "relationship", "omzet": r}
            for c, d, s, r in ROWS]
    import_file(store, write_csv(tmp_path / "value.csv", rows), dataset="value")
    return store


def test_value_column_found(vstore):
    assert value_columns(vstore, None) == ["omzet"]


def test_by_category_counts_each_customer_once_by_latest_answer(vstore):
    t = by_category(vstore, Filters(), "omzet").set_index("category")
    # promoters A 100, B 300, C 500: mean 300, sd 200, se 200/sqrt(3)
    assert t.loc["promoter", "customers"] == 3 and t.loc["promoter", "mean"] == pytest.approx(300)
    assert t.loc["promoter", "se"] == pytest.approx(200 / math.sqrt(3))
    # detractors D 50, E 150: mean 100, sd 70.71, se 50
    assert t.loc["detractor", "mean"] == pytest.approx(100) and t.loc["detractor", "se"] == pytest.approx(50)
    assert t.loc["passive", "customers"] == 1


def test_promoter_gap_by_hand(vstore):
    gap = promoter_gap(by_category(vstore, Filters(), "omzet"))
    se = math.sqrt(200**2 / 3 + 50**2)  # 125.83
    assert gap.difference == pytest.approx(200)
    assert gap.low == pytest.approx(200 - 1.96 * se) and gap.high == pytest.approx(200 + 1.96 * se)
    assert gap.ratio == pytest.approx(3.0)
    assert not gap.significant  # the interval (-46.6, 446.6) includes 0


def test_over_time_uses_latest_answer_per_period(vstore):
    df = over_time(vstore, Filters(), "omzet")
    got = {(r.key, r.category): (r.customers, r.mean) for r in df.itertuples()}
    assert got == {
        ("2025-01", "detractor"): (2, 75.0),  # A 100 (score 3), D 50
        ("2025-01", "promoter"): (2, 400.0),  # B 300, C 500
        ("2025-02", "promoter"): (1, 100.0),  # A
        ("2025-02", "detractor"): (1, 150.0),  # E
        ("2025-02", "passive"): (1, 999.0),  # F
    }
