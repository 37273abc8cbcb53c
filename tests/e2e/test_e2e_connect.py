"""End-to-end: the Connect page in Debian's Chromium against the session's live
PostgreSQL: connect a table live, then read its NPS on the Overview."""

import shutil
import time

import pytest
from test_e2e import browser, serve  # noqa: F401 (fixture)
from test_sources import BASE, READER, READER_PASSWORD, expected, pg  # noqa: F401 (fixture)

from nps_core.base.i18n import fmt_int, fmt_nps

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def crm_server(demo_db, pg, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e-connect") / "nps.duckdb"
    shutil.copy(demo_db, db)
    pg.execute(f"DELETE FROM responses WHERE id > {len(BASE)}")  # exactly BASE, as pg_base
    yield from serve(db, {"NPS_SOURCE_URL_CRM": pg.url(READER, READER_PASSWORD)})


def test_connect_a_live_postgres_table_in_the_browser(crm_server, browser):  # noqa: F811
    want = expected(BASE)
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(crm_server + "/sources?lang=en")
    page.locator("h1", has_text="Data sources").wait_for(timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    table = main.get_by_role("combobox").nth(1)  # the connection (only env:NPS_SOURCE_URL_CRM) comes first
    table.click()
    page.keyboard.type("responses")
    page.keyboard.press("Enter")
    page.get_by_text("Column mapping").wait_for(timeout=60_000)
    page.get_by_text("Live: read the source every time").click()
    name = page.get_by_label("Source name (becomes the dataset)")
    name.fill("crm")
    name.press("Enter")
    time.sleep(1)
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Source crm added").wait_for(timeout=60_000)
    usable = page.locator("[data-testid='stMetric']", has_text="Usable").locator("[data-testid='stMetricValue']")
    assert usable.inner_text() == fmt_int(want["n"], "en")
    assert READER_PASSWORD not in page.content()

    page.goto(crm_server + "/?lang=en&dataset=crm&period=all")
    nps = page.locator("[data-testid='stMetric']", has_text="NPS").first.locator("[data-testid='stMetricValue']")
    nps.wait_for(timeout=60_000)
    assert nps.inner_text() == fmt_nps(want["nps"], "en")
    page.screenshot(path="test-artifacts/connect-live-overview-en.png", full_page=True)
    page.close()
