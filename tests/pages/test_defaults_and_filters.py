"""What a manager sees first (issue 15): the default dataset is a setting,
never whatever was uploaded last; a filtered page says so next to its
headline; only low-cardinality columns are offered as segments."""

import json

import pytest
from apptest_support import rerun, start
from conftest import write_csv
from test_cli import run

from nps_core.analysis import aggregates as agg
from nps_core.db.catalog import DEFAULT_ENV, resolve_dataset
from nps_core.db.datasets import delete_dataset, set_default
from nps_core.ingest.importer import import_file


def _import(store, tmp_path, name, rows=3):
    data = [{"responded_at": f"2025-12-0{1 + i} 10:00", "score": 9, "touchpoint": "shop"} for i in range(rows)]
    import_file(store, write_csv(tmp_path / f"{name}.csv", data), dataset=name, nps_type="transaction")


def _default(store):
    with store.read() as con:
        return resolve_dataset(con, None)


def test_default_is_the_first_created_then_the_setting(store, tmp_path, monkeypatch):
    monkeypatch.delenv(DEFAULT_ENV, raising=False)
    _import(store, tmp_path, "company")
    _import(store, tmp_path, "adhoc")  # imported last: must not become the default
    assert _default(store) == "company"
    set_default(store, "adhoc")
    assert _default(store) == "adhoc"
    monkeypatch.setenv(DEFAULT_ENV, "company")  # the environment wins over the stored setting
    assert _default(store) == "company"
    monkeypatch.delenv(DEFAULT_ENV)
    delete_dataset(store, "adhoc")  # the setting goes with its dataset
    assert _default(store) == "company"


def test_cli_set_default_and_reading_commands_follow_it(store, tmp_path, monkeypatch):
    monkeypatch.delenv(DEFAULT_ENV, raising=False)
    _import(store, tmp_path, "company", rows=3)
    _import(store, tmp_path, "adhoc", rows=5)
    db = str(store.path)
    assert json.loads(run("summary", "--db", db, "--json").stdout)["n"] == 3
    listed = json.loads(run("datasets", "--db", db, "--set-default", "adhoc", "--json").stdout)
    assert listed["default"] == "adhoc"
    assert json.loads(run("summary", "--db", db, "--json").stdout)["n"] == 5
    bad = run("datasets", "--db", db, "--set-default", "nope", "--json")
    assert bad.returncode != 0 and "unknown dataset" in bad.stderr


def test_a_new_session_opens_the_default_not_the_last_upload(app_db, tmp_path, monkeypatch):
    monkeypatch.delenv(DEFAULT_ENV, raising=False)
    _import(app_db, tmp_path, "someones-upload")
    at = start("", lang="en", period="year")
    assert not at.exception
    assert at.sidebar.selectbox(key="dataset_select").value == "demo"
    assert "dataset demo" in at.caption[0].value


def test_overview_states_the_segment_filter_next_to_the_headline(app_db):
    at = start("", lang="en", period="year", **{"f.region": "Noord"})  # a shared link
    assert not at.exception
    line = next(m.value for m in at.markdown if "Drilled into" in m.value)
    assert "Region" in line and "Noord" in line
    # chosen in the sidebar instead: "Filtered on"
    at = start("", lang="en", period="year")
    at.sidebar.multiselect(key="dim:channel").set_value(["email"])
    rerun(at)
    assert any("Filtered on" in m.value and "email" in m.value for m in at.markdown)
    # drilling from Segments: the Overview says so, with the drill path
    at = start("drilldown", lang="en", period="year")
    at.session_state["pending_dims"] = {"touchpoint": ["delivery"]}
    at.session_state["drill_path"] = ["touchpoint"]
    rerun(at, page="")
    assert not at.exception
    assert any("Drilled into" in m.value and "delivery" in m.value for m in at.markdown)
    unfiltered = start("", lang="en", period="year")
    assert not any("Filtered on" in m.value or "Drilled into" in m.value for m in unfiltered.markdown)


@pytest.mark.parametrize("page", ["trend", "drivers", "comments", "value", "cases"])
def test_every_analysis_page_states_the_segment_filter(app_db, page):
    at = start(page, lang="nl", period="year", **{"f.region": "Noord"})
    assert not at.exception
    assert any("Ingezoomd op" in m.value and "Noord" in m.value for m in at.markdown)


def test_free_text_and_ids_are_not_segments(store, tmp_path):
    # 300 rows: a title unique per row, an id unique per row, a 3-valued plan,
    # and a 250-valued store code (few hundred distinct values: not a segment)
    rows = [{"responded_at": f"2025-11-{1 + i % 28:02d} 10:00", "score": i % 11, "title": f"Review number {i}",
             "ticket": f"T{i:05d}", "plan": ("basic", "plus", "pro")[i % 3], "store_code": f"S{i % 250}",
             "touchpoint": ("shop", "web")[i % 2]} for i in range(300)]
    import_file(store, write_csv(tmp_path / "free.csv", rows), dataset="free", nps_type="transaction")
    offered = agg.dimensions(store, "free")
    # the 3-valued plan is offered: the column-role guess took it for the product
    assert "product" in offered and "touchpoint" in offered
    assert "title" not in offered and "ticket" not in offered and "store_code" not in offered


@pytest.mark.pg
def test_default_dataset_setting_on_the_lake(pg_server, tmp_path, monkeypatch):
    from test_lake import new_lake

    from nps_core.db.store import Store

    monkeypatch.delenv(DEFAULT_ENV, raising=False)
    lake = Store(new_lake(pg_server, tmp_path, monkeypatch))
    _import(lake, tmp_path, "company")
    _import(lake, tmp_path, "adhoc")
    assert _default(lake) == "company"
    set_default(lake, "adhoc")
    set_default(lake, "adhoc")  # twice: still one setting (DuckLake has no primary key to lean on)
    assert _default(lake) == "adhoc"
    with lake.read() as con:
        assert con.execute("SELECT count(*) FROM settings").fetchone()[0] == 1
