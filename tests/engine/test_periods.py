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


# -- complete periods (nps_core/analysis/complete.py) ---------------------------
from nps_core.analysis.complete import complete_through, is_partial, last_complete  # noqa: E402
from nps_core.base.i18n import fmt_partial  # noqa: E402

LATER = D(2030, 1, 1)  # "today", long after the data


@pytest.mark.parametrize(
    "grain,last_day,today,expected",
    [
        ("month", D(2018, 6, 20), LATER, (D(2018, 5, 1), D(2018, 5, 31))),  # data to the 20th: June runs on
        ("month", D(2018, 6, 30), LATER, (D(2018, 6, 1), D(2018, 6, 30))),  # data to the 30th: June complete
        ("month", D(2018, 6, 30), D(2018, 6, 30), (D(2018, 5, 1), D(2018, 5, 31))),  # the 30th is still running
        ("month", D(2018, 6, 30), D(2018, 7, 1), (D(2018, 6, 1), D(2018, 6, 30))),  # from 1 July on: complete
        ("week", D(2025, 3, 12), LATER, (D(2025, 3, 3), D(2025, 3, 9))),  # a Wednesday: its week runs on
        ("week", D(2025, 3, 16), LATER, (D(2025, 3, 10), D(2025, 3, 16))),  # a Sunday ends its ISO week
        ("quarter", D(2025, 6, 29), LATER, (D(2025, 1, 1), D(2025, 3, 31))),
        ("quarter", D(2025, 6, 30), LATER, (D(2025, 4, 1), D(2025, 6, 30))),
        ("day", D(2025, 3, 12), D(2025, 3, 12), (D(2025, 3, 11), D(2025, 3, 11))),  # today is not over
    ],
)
def test_the_last_complete_period(grain, last_day, today, expected):
    assert last_complete(grain, D(2017, 1, 1), last_day, today) == expected


def test_no_complete_period_when_the_data_hold_only_a_running_one():
    assert last_complete("month", D(2018, 6, 1), D(2018, 6, 20), LATER) is None
    assert last_complete("month", D(2018, 5, 15), D(2018, 6, 20), LATER) == (D(2018, 5, 1), D(2018, 5, 31))


def test_complete_through_is_the_data_end_at_most_yesterday():
    assert complete_through(D(2018, 6, 20), LATER) == D(2018, 6, 20)
    assert complete_through(D(2025, 3, 20), D(2025, 3, 20)) == D(2025, 3, 19)


def test_a_group_is_partial_when_running_or_cut_by_the_range():
    assert is_partial("month", D(2018, 6, 1), D(2018, 6, 20), LATER)
    assert not is_partial("month", D(2018, 5, 1), D(2018, 6, 20), LATER)
    assert is_partial("month", D(2018, 5, 1), D(2018, 6, 20), LATER, date_to=D(2018, 5, 10))
    assert is_partial("month", D(2018, 5, 1), D(2018, 6, 20), LATER, date_from=D(2018, 5, 2))
    assert not is_partial("month", D(2018, 5, 1), D(2018, 6, 20), LATER, D(2018, 5, 1), D(2018, 5, 31))


def test_a_partial_period_is_labelled_by_its_days_in_both_languages():
    assert fmt_partial(D(2018, 6, 1), D(2018, 6, 20), "en") == "1–20 June 2018, partial"
    assert fmt_partial(D(2018, 6, 1), D(2018, 6, 20), "nl") == "1–20 juni 2018, onvolledig"
    assert fmt_partial(D(2018, 6, 25), D(2018, 7, 1), "en") == "25 June 2018 – 1 July 2018, partial"


def test_the_latest_complete_period_of_a_dataset(tmp_path):
    from conftest import write_csv

    from nps_core.analysis.complete import latest_complete
    from nps_core.db.store import Store
    from nps_core.ingest.importer import import_file

    store = Store(tmp_path / "p.duckdb")
    rows = [{"response_id": f"r{m}-{d}", "responded_at": f"2018-{m:02d}-{d:02d}", "score": 9}
            for m, last in ((5, 31), (6, 20)) for d in range(1, last + 1)]
    import_file(store, write_csv(tmp_path / "p.csv", rows), dataset="p", nps_type="relationship")
    assert latest_complete(store, "p", "month", LATER) == (D(2018, 5, 1), D(2018, 5, 31))
    assert latest_complete(store, "p", "week", LATER) == (D(2018, 6, 11), D(2018, 6, 17))
