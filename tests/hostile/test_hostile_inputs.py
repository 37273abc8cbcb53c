"""Hostile inputs that used to break a whole page or command: a URL whose
date range lies outside the data (issue 19, item 10) and a period in which
every comment mentions the same theme (item 11)."""

import datetime as dt
import io
import json
import re
import shutil

import pytest
from apptest_support import start
from conftest import write_csv
from pptx import Presentation
from pypdf import PdfReader

from nps_core import cli
from nps_core.analysis import themes
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file

D = dt.date
PAGES = ["start", "trend", "drilldown", "drivers", "taxonomy", "comments", "cases", "value", "board", "import",
         "sources"]


def _sidebar_dates(at):
    [picker] = at.sidebar.date_input
    return tuple(picker.value)


# -- item 10: a URL with a date range outside the data -------------------------
@pytest.mark.parametrize("page", PAGES)
def test_hostile_url_range_beyond_the_data_is_clamped_with_a_notice(app_db, page):
    # the demo runs from 2024-01-01 to 2025-12-31 (data/generate_demo.py)
    at = start(page, lang="en", **{"from": "2025-12-01", "to": "2026-01-31"})
    assert not at.exception, at.exception
    assert _sidebar_dates(at) == (D(2025, 12, 1), D(2025, 12, 31))
    [notice] = [w.value for w in at.sidebar.warning]
    assert "(1 December 2025 – 31 January 2026)" in notice and "to 31 December 2025" in notice
    assert at.query_params["to"] in ("2025-12-31", ["2025-12-31"])  # the URL now says what is shown


@pytest.fixture
def mid_month_db(tmp_path, monkeypatch):
    """A dataset of 3 – 14 November 2025: its latest month is not whole."""
    rows = [{"response_id": f"r{i}", "responded_at": f"2025-11-{3 + i:02d}", "score": (i * 3) % 11,
             "comment": "prima" if i % 2 else "te duur"} for i in range(12)]
    path = tmp_path / "mid.duckdb"
    import_file(Store(path), write_csv(tmp_path / "mid.csv", rows), dataset="mid", nps_type="transaction")
    monkeypatch.setenv("NPS_DB", str(path))
    return path


@pytest.mark.parametrize("page", PAGES)
def test_hostile_url_custom_period_on_a_dataset_ending_mid_month(mid_month_db, page):
    at = start(page, lang="nl", period="custom")
    assert not at.exception, at.exception
    assert _sidebar_dates(at) == (D(2025, 11, 1), D(2025, 11, 30))  # the latest month, whole
    assert not at.sidebar.warning  # nothing was asked for that could not be given


def test_hostile_url_range_wholly_outside_falls_back_to_the_latest_month_in_dutch(mid_month_db):
    at = start("start", lang="nl", **{"from": "2030-01-01", "to": "2030-02-01"})
    assert not at.exception
    assert _sidebar_dates(at) == (D(2025, 11, 1), D(2025, 11, 30))
    [notice] = [w.value for w in at.sidebar.warning]
    assert "valt (deels) buiten de gegevens" in notice and "3 november 2025" in notice
    assert "14 november 2025" in notice
    # a range ending beyond the last response but within its month is taken as asked
    at = start("start", lang="en", **{"from": "2025-10-20", "to": "2025-11-30"})
    assert _sidebar_dates(at) == (D(2025, 11, 1), D(2025, 11, 30)) and len(at.sidebar.warning) == 1
    at = start("start", lang="en", **{"from": "2025-11-02", "to": "2025-11-30"})
    assert _sidebar_dates(at) == (D(2025, 11, 2), D(2025, 11, 30)) and not at.sidebar.warning


# -- item 11: every comment of the period mentions one theme -------------------
@pytest.fixture
def one_theme_db(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("response_id,responded_at,score,comment\n"
                    "a,2025-11-03,2,wachttijd te lang\nb,2025-11-04,9,wachttijd ok\n", encoding="utf-8")
    db = tmp_path / "one.duckdb"
    assert cli.main(["import", str(path), "--db", str(db), "--nps-type", "transaction", "--json"]) == 0
    return db


def _strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} in JSON")
    return json.loads(text, parse_constant=refuse)


def test_hostile_one_theme_everywhere_has_no_impact_and_no_nan(one_theme_db, capsys):
    capsys.readouterr()
    # by hand: both responses mention waiting time; without them there is nothing left to compare
    table = themes.theme_table(Store(one_theme_db), Filters(dataset="one"))
    [row] = table.itertuples()
    assert row.theme == "waiting_time" and row.mentions == 2 and row.nps == 0.0
    assert row.nps_without != row.nps_without and row.impact != row.impact  # NaN: not computable
    assert cli.main(["themes", "--db", str(one_theme_db), "--json"]) == 0
    [out] = _strict_json(capsys.readouterr().out)
    assert out["theme"] == "waiting_time" and out["impact"] is None and out["nps_without"] is None
    assert cli.main(["themes", "--db", str(one_theme_db)]) == 0
    assert "impact      –" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["pdf", "pptx", "html"])
def test_hostile_one_theme_everywhere_board_report(one_theme_db, tmp_path, capsys, fmt):
    out_file = tmp_path / f"board.{fmt}"
    code = cli.main(["report", "--db", str(one_theme_db), "--period", "2025-11", "--format", fmt,
                     "--out", str(out_file), "--lang", "en", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert _strict_json(out.splitlines()[-1])["n"] == 2
    data = out_file.read_bytes()
    if fmt == "pdf":
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    elif fmt == "pptx":
        prs = Presentation(io.BytesIO(data))
        text = "\n".join(c.text for s in prs.slides for sh in s.shapes if sh.has_table
                         for r in sh.table.rows for c in r.cells)
    else:
        text = re.sub(r'src="data:[^"]*"', "", data.decode("utf-8"))
    assert "Waiting time" in text and not re.search(r"\bnan\b", text, re.I)


def test_hostile_one_theme_everywhere_themes_page(one_theme_db, tmp_path, monkeypatch):
    db = tmp_path / "app.duckdb"
    shutil.copy(one_theme_db, db)
    monkeypatch.setenv("NPS_DB", str(db))
    at = start("drivers", lang="en", **{"from": "2025-11-01", "to": "2025-11-30"})
    assert not at.exception, at.exception
    [table] = [d.value for d in at.dataframe if "NPS without" in d.value.columns]
    [row] = table.to_dict("records")
    assert row["Theme"] == "Waiting time" and row["Impact"] == "–" and row["NPS"] == "+0.0"
