"""Issue 19: hostile files and names at the door of an import — future dates,
path traversal through the dataset name, absurdly wide files and files that
are not what their name says. Each case fails on the code before the fix."""

import contextlib
import datetime as dt
import io
import json

import pandas as pd
import pytest
from apptest_support import rerun, start
from conftest import write_csv
from test_sources import BASE, MAPPING, Kind, expected

from nps_core import cli
from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.db.datasets import list_datasets
from nps_core.db.store import Store
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


# -- item 2: the dataset name as a path -------------------------------------------
TWO_BAD = b"id,date,score,comment\n1,2025-03-01,9,prima\n2,2025-03-02,11,te hoog\n3,2025-03-03,4,slecht\n4,2025-03-04,x,?\n"


def files_under(root) -> set:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["../outside/X", "sub/dir", "ABSOLUTE", "..", "/", "C:\\evil\\..\\x"])
def test_traversal_dataset_name_never_writes_outside_rejects(tmp_path, name):
    work = tmp_path / "work"
    (work / "outside").mkdir(parents=True)
    (tmp_path / "abs").mkdir()
    name = str(tmp_path / "abs" / "X") if name == "ABSOLUTE" else name
    source = tmp_path / "in" / "survey.csv"
    source.parent.mkdir()
    source.write_bytes(TWO_BAD)
    db = work / "nps.duckdb"
    code, out = run_cli("import", str(source), "--dataset", name, "--nps-type", "transaction", "--db", str(db))
    assert code == 0
    assert (out["imported"], out["rejected"]) == (2, 2)
    rejects = work / "rejects"
    assert {p.parent for p in map(rejects.joinpath, files_under(rejects))} == {rejects}
    assert out["rejects_file"] == str(next(rejects.iterdir()))
    stray = {p for p in files_under(tmp_path) if p.parts[:2] != ("work", "rejects")}
    assert stray <= {p.relative_to(tmp_path) for p in (source, db, db.with_name("nps.duckdb.wal"))}
    listed = {d["name"]: d["responses"] for d in list_datasets(Store(db))}
    assert listed[name.strip()] == 2  # the name itself is kept as typed


def test_traversal_a_rejects_file_that_cannot_be_written_undoes_the_import(store, tmp_path):
    source = tmp_path / "survey.csv"
    source.write_bytes(TWO_BAD)
    (tmp_path / "rejects" / "survey-import1-rejects.csv").mkdir(parents=True)  # in the way of the file
    with pytest.raises(OSError):
        import_file(store, source, nps_type="transaction", rejects_dir=tmp_path / "rejects")
    assert list_datasets(store) == []  # nothing stored, so nothing left unenriched either
    assert import_file(store, source, nps_type="transaction", rejects_dir=tmp_path / "ok").imported == 2


def test_traversal_dataset_name_with_a_line_break_is_refused_up_front(tmp_path):
    source = tmp_path / "survey.csv"
    source.write_bytes(TWO_BAD)
    code, _ = run_cli("import", str(source), "--dataset", "a\nb", "--nps-type", "transaction",
                      "--db", str(tmp_path / "nps.duckdb"))
    assert code == cli.EXIT_BAD_INPUT
    assert not (tmp_path / "rejects").exists()


def test_traversal_upload_page_dataset_name(app_db):
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("survey.csv", TWO_BAD, "text/csv")
    rerun(at)
    at.selectbox(key="upload_type_False").set_value("transaction")
    at.text_input(key="upload_name").set_value("../../outside/X")
    rerun(at)
    at.button[0].click()  # Import
    rerun(at)
    assert not at.exception and not at.error
    rejects = app_db.path.parent / "rejects"
    written = files_under(rejects)
    assert len(written) == 1 and len(next(iter(written)).parts) == 1
    assert not (app_db.path.parent.parent / "outside").exists()
    assert {m.label: m.value for m in at.metric}["Imported"] == "2"
