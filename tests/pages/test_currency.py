"""The currency of money figures (issue 30): set by an admin for the whole
database or one dataset, stored in the store, shown on Customer value and
offered on the command line."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from apptest_support import rerun, start
from conftest import ROOT

from nps_core.analysis import value
from nps_core.analysis.filters import Filters
from nps_core.base.access import Access, AccessDenied
from nps_core.base.i18n import check_currency, fmt_money
from nps_core.db import audit, datasets
from nps_core.db.store import Store

YEAR_2025 = Filters(dataset="demo", date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
NBSP = "\u00a0"


def test_money_in_each_currency_and_language():
    # written out by hand from CLDR's patterns: nl "¤ #,##0" with a non-breaking space, en-GB "¤#,##0"
    assert fmt_money(1234.4, "nl") == f"€{NBSP}1.234" and fmt_money(1234.4, "en") == "€1,234"
    assert fmt_money(1234.5, "en", currency="GBP") == "£1,234"  # whole units: half to even, as round()
    assert fmt_money(98765, "nl", currency="GBP") == f"£{NBSP}98.765"
    assert fmt_money(135, "en", signed=True, currency="USD") == "+US$135"
    assert fmt_money(-135, "nl", signed=True, currency="USD") == f"-US${NBSP}135"
    assert fmt_money(2500, "en", currency="CHF") == f"CHF{NBSP}2,500"  # a code-like symbol keeps its space
    assert fmt_money(None, "en", currency="GBP") == "–"
    assert check_currency(" gbp ") == "GBP"
    with pytest.raises(ValueError, match="unknown currency"):
        check_currency("POUND")


def test_the_currency_is_global_or_per_dataset_and_goes_with_its_dataset(demo_store, tmp_path):
    from conftest import write_csv

    from nps_core.ingest.importer import import_file

    import_file(demo_store, write_csv(tmp_path / "uk.csv", [
        {"responded_at": "2025-06-01", "score": 9, "nps_type": "product"}]), dataset="uk")
    assert datasets.currency(demo_store, "demo") == "EUR"  # nobody chose: euros
    datasets.set_currency(demo_store, "usd")
    datasets.set_currency(demo_store, "GBP", "uk")
    assert datasets.currency(demo_store) == "USD" and datasets.currency(demo_store, "demo") == "USD"
    assert datasets.currency(demo_store, "uk") == "GBP"
    assert datasets.currency_settings(demo_store, "uk") == ("GBP", "USD")
    datasets.set_currency(demo_store, None, "uk")  # follows the database's again
    assert datasets.currency(demo_store, "uk") == "USD"
    datasets.set_currency(demo_store, "JPY", "uk")
    datasets.delete_dataset(demo_store, "uk")
    with demo_store.read() as con:
        assert con.execute("SELECT count(*) FROM settings WHERE key LIKE 'currency:%'").fetchone()[0] == 0
    with pytest.raises(ValueError, match="unknown currency"):
        datasets.set_currency(demo_store, "XYZ1")
    assert list(audit.entries(demo_store)["action"]).count("currency") == 4  # four changes; the refused one is not recorded


def test_only_an_admin_sets_the_currency(demo_store):
    analyst = Store(demo_store.path, access=Access(role="analyst", datasets=None, identity="a@example.com"))
    with pytest.raises(AccessDenied):
        datasets.set_currency(analyst, "GBP")
    assert datasets.currency(analyst) == "EUR"


def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "nps_core", "settings", *args, "--db", str(db), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_command_line_shows_and_sets_the_currency(demo_store):
    first = _cli(demo_store.path)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"dataset": None, "currency": "EUR", "database_currency": "EUR"}
    assert json.loads(_cli(demo_store.path, "--currency", "GBP").stdout)["currency"] == "GBP"
    out = json.loads(_cli(demo_store.path, "--dataset", "demo", "--currency", "USD").stdout)
    assert out == {"dataset": "demo", "currency": "USD", "database_currency": "GBP"}
    out = json.loads(_cli(demo_store.path, "--dataset", "demo", "--reset-currency").stdout)
    assert out == {"dataset": "demo", "currency": "GBP", "database_currency": "GBP"}
    bad = _cli(demo_store.path, "--currency", "pounds")
    assert bad.returncode != 0 and "unknown currency" in bad.stderr and not bad.stdout
    assert _cli(demo_store.path, "--reset-currency").returncode != 0
    assert _cli(demo_store.path, "--dataset", "nope", "--currency", "GBP").returncode != 0


def test_customer_value_shows_pounds_once_an_admin_chose_them(app_db):
    at = start("value", lang="en", period="year")
    gap = value.promoter_gap(value.by_category(app_db, YEAR_2025, "yearly_revenue"))
    assert {m.label: m.value for m in at.metric}["Promoters"] == fmt_money(gap.promoters_mean, "en")
    # the admin's picker for this dataset (local use: everyone is an admin)
    at.selectbox(key="cur_own").set_value("GBP")
    rerun(at)
    assert not at.exception and datasets.currency(app_db, "demo") == "GBP"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Promoters"] == fmt_money(gap.promoters_mean, "en", currency="GBP")
    assert metrics["Promoters"].startswith("£") and metrics["Difference"].startswith("+£")
    assert datasets.currency(app_db) == "EUR"  # the database's stays


def test_the_board_report_states_customer_value_in_the_datasets_currency(demo_store):
    from nps_core.report import content as report
    from nps_core.report.export import render

    datasets.set_currency(demo_store, "GBP", "demo")
    nov = Filters(dataset="demo", date_from=dt.date(2025, 11, 1), date_to=dt.date(2025, 11, 30))
    built = report.build(demo_store, Filters(dataset="demo"), "month", dt.date(2025, 11, 1), "en",
                         today=dt.date(2025, 12, 1))
    section = next(s for s in built.sections() if s.title == "Customer value: Yearly revenue per customer")
    rows = dict(built.extra[section.index]["rows"])
    gap = value.promoter_gap(value.by_category(demo_store, nov, "yearly_revenue"))
    assert rows["Promoters"] == fmt_money(gap.promoters_mean, "en", currency="GBP")
    assert rows["Difference"].startswith(fmt_money(gap.difference, "en", signed=True, currency="GBP"))
    assert "£" in rows["Promoters"] and "€" not in str(rows)
    html = render(built, "html")[0].decode()
    assert rows["Promoters"] in html
