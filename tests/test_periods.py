import datetime as dt

import pytest

from nps_core.analysis.periods import period_key, previous_range

D = dt.date


@pytest.mark.parametrize(
    "grain,day,key",
    [
        ("day", D(2025, 1, 31), "2025-01-31"),
        ("week", D(2024, 12, 30), "2025-W01"),  # ISO: Monday 30 Dec 2024 starts week 1 of 2025
        ("week", D(2021, 1, 3), "2020-W53"),
        ("month", D(2025, 3, 1), "2025-03"),
        ("quarter", D(2025, 8, 1), "2025-Q3"),
        ("quarter", D(2025, 12, 1), "2025-Q4"),
    ],
)
def test_period_keys(grain, day, key):
    assert period_key(grain, day) == key


def test_previous_of_a_month_is_the_previous_month():
    assert previous_range(D(2025, 3, 1), D(2025, 3, 31)) == (D(2025, 2, 1), D(2025, 2, 28))
    assert previous_range(D(2025, 1, 1), D(2025, 1, 31)) == (D(2024, 12, 1), D(2024, 12, 31))


def test_previous_of_a_quarter_is_the_previous_quarter():
    assert previous_range(D(2025, 4, 1), D(2025, 6, 30)) == (D(2025, 1, 1), D(2025, 3, 31))


def test_previous_of_arbitrary_range_has_same_length():
    assert previous_range(D(2025, 3, 10), D(2025, 3, 16)) == (D(2025, 3, 3), D(2025, 3, 9))
