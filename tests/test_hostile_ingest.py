"""Issue 19: hostile files and names at the door of an import — future dates,
path traversal through the dataset name, absurdly wide files and files that
are not what their name says. Each case fails on the code before the fix."""

import contextlib
import datetime as dt
import io
import json

import pandas as pd
from conftest import write_csv
from test_sources import BASE, MAPPING, Kind, expected

from nps_core import cli
from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.ingest.demo import DEMO_DATASET
from nps_core.ingest.importer import import_file
from nps_core.sources.registry import add_source, refresh_source


def run_cli(*args) -> tuple[int, dict | list]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main([*args, "--json"])
    return code, json.loads(out.getvalue()) if out.getvalue() else None


# -- item 8: a response dated in the future ----------------------------------------
def test_hostile_future_date_does_not_move_alert_and_action_defaults(demo_store, tmp_path):
    db = str(demo_store.path)
    before = run_cli("alerts", "--dry-run", "--db", db), run_cli("actions", "--db", db)
    assert before[0][1]["unconfigured"] and before[1][1]  # the demo has alerts and action points to move
    row = [{"response_id": "typo", "responded_at": "2099-12-31", "score": 0, "comment": "Slechte service",
            "nps_type": "transaction"}]
    result = import_file(demo_store, write_csv(tmp_path / "typo.csv", row), dataset=DEMO_DATASET)
    assert (result.imported, result.reasons) == (0, {"date in the future": 1})
    after = run_cli("alerts", "--dry-run", "--db", db), run_cli("actions", "--db", db)
    assert after == before


def test_hostile_future_date_allows_a_day_of_clock_skew(store, tmp_path):
    now = dt.datetime.now()
    rows = [{"response_id": rid, "responded_at": when.strftime("%Y-%m-%d %H:%M"), "score": 9,
             "nps_type": "relationship"}
            for rid, when in (("now", now), ("tomorrow-morning", now + dt.timedelta(hours=20)),
                              ("in-three-days", now + dt.timedelta(days=3)), ("next-year", now + dt.timedelta(days=400)))]
    result = import_file(store, write_csv(tmp_path / "skew.csv", rows), dataset="skew")
    assert (result.imported, result.reasons) == (2, {"date in the future": 2})


def future_rows() -> pd.DataFrame:
    more = BASE.head(5).assign(id=range(9001, 9006), programme="relationship", score=9)
    more.loc[more.index[:3], "submitted"] = pd.Timestamp("2099-12-31 10:00")
    return more


def test_hostile_future_date_rejected_by_live_and_snapshot_sources(store, tmp_path, monkeypatch):
    for name in ("l", "s"):
        (tmp_path / name).mkdir()
    live_src, snap_src = Kind("sqlite", tmp_path / "l", monkeypatch), Kind("sqlite", tmp_path / "s", monkeypatch)
    live_src.append(future_rows())
    live = add_source(store, "live", live_src.url, table=live_src.table, mapping=MAPPING, mode="live")
    assert live.reasons["date in the future"] == 3
    # 800 base rows and the two of the five new rows dated in the past: pandas, not the rules under test
    reference = expected(pd.concat([BASE, future_rows().iloc[3:]]))
    assert aggregates.summary(store, Filters(dataset="live")).n == reference["n"]

    add_source(store, "snap", snap_src.url, table=snap_src.table, mapping=MAPPING, mode="snapshot")
    snap_src.append(future_rows())
    refreshed = refresh_source(store, "snap")
    assert (refreshed.imported, refreshed.reasons.get("date in the future")) == (2, 3)
    assert aggregates.summary(store, Filters(dataset="snap")).n == reference["n"]
