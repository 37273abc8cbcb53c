"""The rollup (nps_core/db/rollup.py): the daily counts the overview, trends and
breakdowns read must count exactly the rows the responses hold, after every
write path (import, repeated import, delete, upgrade of an older database) and
for every kind of reader (filters on any column, a scoped reader). Expected
values come from pandas over the generated rows, never from the engine."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.access import Access
from nps_core.db.datasets import delete_dataset
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file

TYPES = ["transaction", "relationship", "product"]
REGIONS = ["Noord", "Zuid", "West"]
CHANNELS = ["web", "app", ""]
PLANS = ["a", "b"]  # an extra column: never in the rollup


def frame(n: int, seed: int, first_id: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-11-01")
    return pd.DataFrame({
        "response_id": [f"r{first_id + i}" for i in range(n)],
        "responded_at": (start + pd.to_timedelta(rng.integers(0, 200 * 86400, n), unit="s")).strftime("%Y-%m-%d %H:%M:%S"),
        "score": rng.integers(0, 11, n),
        "nps_type": rng.choice(TYPES, n),
        "region": rng.choice(REGIONS, n),
        "channel": rng.choice(CHANNELS, n),
        "segment": rng.choice(PLANS, n),
    })


def imported(store: Store, tmp_path, df: pd.DataFrame, name: str, dataset: str):
    return import_file(store, write_csv(tmp_path / name, df.to_dict("records")), dataset=dataset)


def nps(rows: pd.DataFrame) -> float | None:
    if rows.empty:
        return None
    return 100.0 * ((rows.score >= 9).sum() - (rows.score <= 6).sum()) / len(rows)


def within(rows: pd.DataFrame, lo: dt.date, hi: dt.date) -> pd.DataFrame:
    ts = pd.to_datetime(rows.responded_at)
    return rows[(ts >= pd.Timestamp(lo)) & (ts < pd.Timestamp(hi + dt.timedelta(days=1)))]


def rollup_rows(store: Store, dataset: str) -> int:
    with store.read() as con:
        return con.execute("SELECT coalesce(sum(n), 0) FROM response_days WHERE dataset = ?", [dataset]).fetchone()[0]


def assert_overview(store: Store, rows: pd.DataFrame, f: Filters) -> None:
    """Headline, previous period and monthly trend against pandas."""
    ov = agg.overview(store, f)
    current = within(rows, f.date_from, f.date_to)
    assert ov.current.n == len(current)
    assert ov.current.nps == pytest.approx(nps(current))
    assert ov.previous.n == len(within(rows, ov.prev_from, ov.prev_to))
    months = pd.to_datetime(within(rows, dt.date(2024, 1, 1), f.date_to).responded_at).dt.strftime("%Y-%m")
    expected = within(rows, dt.date(2024, 1, 1), f.date_to).groupby(months.values).apply(nps)
    got = dict(zip(ov.trend.period.map(lambda d: d.strftime("%Y-%m")), ov.trend.nps))
    assert got == pytest.approx(expected.to_dict())


MONTH = Filters(dataset="a", date_from=dt.date(2025, 2, 1), date_to=dt.date(2025, 2, 28))


def test_the_rollup_counts_what_an_import_stored(store, tmp_path):
    df = frame(3000, 1)
    imported(store, tmp_path, df, "a.csv", "a")
    assert rollup_rows(store, "a") == len(df)
    assert_overview(store, df, MONTH)
    assert_overview(store, df[df.region == "West"], MONTH.with_dim("region", ["West"]))
    west_tx = df[(df.region == "West") & (df.nps_type == "transaction")]
    assert_overview(store, west_tx, Filters(dataset="a", date_from=MONTH.date_from, date_to=MONTH.date_to,
                                            nps_types=("transaction",), dims=(("region", ("West",)),)))
    # a breakdown by a canonical dimension, with the previous period beside it
    got = agg.breakdown(store, MONTH, "channel").set_index("key")
    month = within(df, MONTH.date_from, MONTH.date_to)
    for channel, rows in month[month.channel != ""].groupby("channel"):
        assert got.loc[channel, "n"] == len(rows)
        assert got.loc[channel, "nps"] == pytest.approx(nps(rows))
    assert agg.data_range(store, "a") == (pd.Timestamp(df.responded_at.min()).date(),
                                           pd.Timestamp(df.responded_at.max()).date())


def test_filters_on_a_column_the_rollup_lacks_count_every_response(store, tmp_path):
    df = frame(2000, 2)
    imported(store, tmp_path, df, "a.csv", "a")
    assert_overview(store, df[df.segment == "b"], MONTH.with_dim("segment", ["b"]))
    got = agg.breakdown(store, MONTH, "segment").set_index("key")
    month = within(df, MONTH.date_from, MONTH.date_to)
    assert got.loc["a", "n"] == (month.segment == "a").sum()


def test_a_second_import_adds_only_its_new_rows(store, tmp_path):
    first = frame(1500, 3)
    second = pd.concat([first.iloc[:500], frame(800, 4, first_id=10_000)])  # 500 repeats, 800 new
    imported(store, tmp_path, first, "a1.csv", "a")
    result = imported(store, tmp_path, second, "a2.csv", "a")
    assert (result.imported, result.duplicates) == (800, 500)
    both = pd.concat([first, second.iloc[500:]])
    assert rollup_rows(store, "a") == len(both)
    assert_overview(store, both, MONTH)


def test_deleting_a_dataset_removes_its_counts_only(store, tmp_path):
    a, b = frame(1000, 5), frame(1200, 6)
    imported(store, tmp_path, a, "a.csv", "a")
    imported(store, tmp_path, b, "b.csv", "b")
    delete_dataset(store, "a")
    assert rollup_rows(store, "a") == 0
    assert rollup_rows(store, "b") == len(b)
    assert_overview(store, b, Filters(dataset="b", date_from=MONTH.date_from, date_to=MONTH.date_to))


def test_a_database_from_before_the_rollup_gets_it_on_its_first_write(store, tmp_path):
    df = frame(2500, 7)
    imported(store, tmp_path, df, "a.csv", "a")
    with store.write() as con:  # what an older version's database looks like
        con.execute("DROP TABLE response_days")
    old = Store(store.path)
    # read-only, before any write: the reader counts every response
    assert_overview(old, df, MONTH)
    from nps_core.db import store as store_module

    store_module._SCHEMA_CURRENT.discard(str(store.path.resolve()))
    old.ensure_schema()  # the first write of the new version
    assert rollup_rows(old, "a") == len(df)
    assert_overview(old, df, MONTH)


def test_a_scoped_reader_counts_only_its_scope(store, tmp_path):
    df = frame(3000, 8)
    imported(store, tmp_path, df, "a.csv", "a")
    west = Store(store.path, access=Access(role="viewer", datasets=None, dims=(("region", ("West",)),)))
    assert_overview(west, df[df.region == "West"], MONTH)
    assert_overview(west, df[(df.region == "West") & (df.channel == "app")], MONTH.with_dim("channel", ["app"]))
    # a scope on a column the rollup lacks: still exactly the scope's rows
    plus = Store(store.path, access=Access(role="viewer", datasets=None, dims=(("segment", ("b",)),)))
    assert_overview(plus, df[df.segment == "b"], MONTH)
