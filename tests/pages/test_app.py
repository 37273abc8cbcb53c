"""AppTest tests of the app shell and the overview page, on the demo data."""

import datetime as dt

from apptest_support import rerun, start

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_int, fmt_nps
from nps_core.db.store import Store

D = dt.date


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_overview_shows_the_engine_numbers_for_the_latest_month(app_db):
    at = start(lang="en")
    assert not at.exception
    engine = agg.overview(app_db, Filters(dataset="demo", date_from=D(2025, 12, 1), date_to=D(2025, 12, 31)))
    assert metric(at, "NPS") == fmt_nps(engine.current.nps, "en")
    assert metric(at, "Responses") == fmt_int(engine.current.n, "en")
    assert metric(at, "Margin of error (95 %)") == "± " + fmt_nps(engine.current.moe, "en", signed=False)
    assert any("December 2025" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 4  # split, the bridge of the change, evolution, volume


def test_programme_type_filter_changes_the_headline(app_db):
    at = start(lang="en")
    at.sidebar.multiselect(key="types").set_value(["product"])
    rerun(at)
    assert not at.exception
    engine = agg.summary(app_db, Filters(date_from=D(2025, 12, 1), date_to=D(2025, 12, 31),
                                         nps_types=("product",)))
    assert metric(at, "NPS") == fmt_nps(engine.nps, "en")
    assert at.query_params["type"] == "product"


def test_filters_come_from_the_url(app_db):
    at = start(lang="en", **{"from": "2024-11-01", "to": "2024-11-30", "type": "transaction"})
    engine = agg.summary(app_db, Filters(date_from=D(2024, 11, 1), date_to=D(2024, 11, 30),
                                         nps_types=("transaction",)))
    assert metric(at, "NPS") == fmt_nps(engine.nps, "en")
    assert at.sidebar.selectbox(key="preset").value == "preset_custom"


def test_language_switch_changes_labels_and_number_format(app_db):
    at = start(lang="en")
    assert at.title[0].value == "Overview"
    at.sidebar.selectbox(key="lang_select").set_value("nl")
    rerun(at)
    assert at.title[0].value == "Overzicht"
    engine = agg.summary(app_db, Filters(date_from=D(2025, 12, 1), date_to=D(2025, 12, 31)))
    assert metric(at, "NPS") == fmt_nps(engine.nps, "nl")
    assert "," in metric(at, "NPS")  # Dutch decimal comma
    assert metric(at, "Responses") == fmt_int(engine.n, "nl")


def test_first_start_loads_the_demo(env_db):
    assert not env_db.exists()
    at = start(lang="en")
    assert not at.exception
    assert env_db.exists()
    assert agg.summary(Store(env_db), Filters()).n > 29_000


def test_bad_url_values_are_ignored_not_crashing(app_db):
    at = start(lang="xx", **{"from": "not-a-date", "type": "bogus,product", "dataset": "nope"})
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="lang_select").value in ("nl", "en")


def test_engine_errors_become_a_message_not_a_traceback(app_db):
    with app_db.write() as con:  # an empty dataset selected by URL: no data to show
        con.execute("INSERT INTO datasets (name) VALUES ('empty')")
    at = start(lang="en", dataset="empty")
    assert not at.exception
    assert at.error or at.info
