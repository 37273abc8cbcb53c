"""End-to-end: the real `streamlit run app.py` in Debian's Chromium, driven by Playwright.

Screenshots are saved in test-artifacts/.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ARTIFACTS, ROOT, free_port, write_csv
from playwright.sync_api import sync_playwright

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_int, fmt_nps, t
from nps_core.db.store import Store

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# the machine has no network: keep Chromium from trying to reach Google
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DEC = Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))

pytestmark = pytest.mark.e2e


def serve(db, env=None, args=(), port=None):
    """`streamlit run app.py` on a free port (or `port`) against the database
    file `db` (extra environment `env`, extra command-line `args`); yields the
    URL and stops the server after."""
    port = port or free_port()
    log = open(ARTIFACTS / f"streamlit-e2e-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none", *args],
        cwd=ROOT, env={**os.environ, "NPS_DB": str(db), **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"streamlit did not start; see {log.name}")
            time.sleep(0.3)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e") / "nps.duckdb"
    shutil.copy(demo_db, db)
    for url in serve(db):
        yield url, Store(db)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_overview(browser, url, query="lang=en"):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/?{query}")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    return page


def metric(page, label):
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_the_first_visitor_after_a_start_may_open_any_page_by_its_address(demo_db, tmp_path, browser):
    """A bookmark or a digest's link opened before anyone opened the start page:
    that page, with no "Page not found" (Streamlit's folder-of-pages mode; app.py)."""
    db = tmp_path / "nps.duckdb"
    shutil.copy(demo_db, db)
    for url in serve(db, {"NPS_WARMUP": "0"}):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/drivers?lang=en")
        page.locator("[data-testid='stMain'] h1", has_text=t("themes", "en")).wait_for(timeout=60_000)
        page.get_by_role("link", name=t("audit", "en")).wait_for(timeout=30_000)  # the whole navigation
        time.sleep(2)  # the dialog came with the first run's messages
        assert page.get_by_text("Page not found").count() == 0
        page.close()


def test_overview_headline_matches_engine(server, browser):
    url, store = server
    page = open_overview(browser, url)
    engine = agg.summary(store, DEC)
    assert metric(page, "NPS") == fmt_nps(engine.nps, "en")
    assert metric(page, "Responses") == fmt_int(engine.n, "en")
    page.wait_for_selector("canvas, svg.marks", timeout=30_000)  # the charts drew
    time.sleep(1)
    page.screenshot(path=str(ARTIFACTS / "overview-en.png"), full_page=True)
    assert "Traceback" not in page.content()
    page.close()


def test_dutch_overview(server, browser):
    url, store = server
    page = open_overview(browser, url, "lang=nl&period=quarter")
    engine = agg.summary(store, Filters(date_from=dt.date(2025, 10, 1), date_to=dt.date(2025, 12, 31)))
    assert metric(page, "NPS") == fmt_nps(engine.nps, "nl")
    page.get_by_text("Overzicht").first.wait_for()
    time.sleep(1)
    page.screenshot(path=str(ARTIFACTS / "overview-nl.png"), full_page=True)
    page.close()


PAGE_SHOTS = ["overview", "evolution", "segments", "themes", "edit_themes", "verbatims", "followup", "digests",
              "customer_value", "report", "upload", "connect", "audit"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_page_in_the_browser(server, browser, lang):
    url, _ = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/?lang={lang}&period=year")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    links = page.locator("[data-testid='stSidebarNav'] a")
    for i, name in enumerate(PAGE_SHOTS):
        # navigate the way a user does: the sidebar navigation, in its order
        links.nth(i).click()
        page.locator("h1", has_text=t(name, lang)).wait_for(timeout=30_000)
        time.sleep(2)
        assert "Traceback" not in page.content()
        assert page.locator("[data-testid='stAlertContentError']").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"{name.replace('_', '-')}-{lang}.png"), full_page=True)
    page.close()


def test_clicking_a_segment_bar_drills_down(server, browser):
    url, store = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/drilldown?lang=en&period=year&type=transaction")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.wait_for(timeout=60_000)
    time.sleep(2)
    table = agg.breakdown(store, Filters(dataset="demo", date_from=dt.date(2025, 1, 1),
                                         date_to=dt.date(2025, 12, 31), nps_types=("transaction",)),
                          "touchpoint")
    top = table["key"].iloc[0]
    # the best segment is the top bar; its bar runs right of the zero line (NPS > 0)
    box = chart.locator("canvas, svg").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 18)
    page.get_by_text("Drilled into").wait_for(timeout=30_000)
    assert top in page.locator("[data-testid='stMarkdown']", has_text="Drilled into").first.inner_text()
    assert f"f.touchpoint={top.replace(' ', '+')}" in page.url or f"f.touchpoint={top.replace(' ', '%20')}" in page.url
    page.screenshot(path=str(ARTIFACTS / "segments-drilled-en.png"), full_page=True)
    page.close()


def test_upload_a_messy_export_in_the_browser(server, browser, tmp_path):
    url, store = server
    messy = tmp_path / "nps export december.csv"
    messy.write_bytes((
        "Respondent ID;Datum;Hoe waarschijnlijk is het dat u ons aanbeveelt?;Toelichting;Regio\r\n"
        "b1;31-12-2025 10:00;10;Top, échte service;Noord\r\n"
        "b2;30-12-2025;9;Snel geholpen;Zuid\r\n"
        "b3;29-12-2025;4;\"Te laat\r\nen niemand belde\";Noord\r\n"
        "b4;28-12-2025;tien;??;Zuid\r\n"
    ).encode("cp1252"))
    page = open_overview(browser, url)  # (a server's very first request should not be a deep link: see README)
    page.goto(f"{url}/import?lang=en")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(messy))
    page.get_by_text("Column mapping").wait_for(timeout=60_000)
    page.get_by_text("4 rows, 5 columns").wait_for()
    page.screenshot(path=str(ARTIFACTS / "upload-mapping-en.png"), full_page=True)
    assert page.get_by_role("button", name="Import", exact=True).count() == 0  # not before the programme is chosen
    combo = page.get_by_role("combobox", name="Programme type of this file")
    combo.click()
    combo.press_sequentially("Trans", delay=50)  # the list opens as the user types
    page.get_by_role("option", name="Transaction").click()
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Result: dataset nps-export-december").wait_for(timeout=60_000)
    time.sleep(1)
    assert metric(page, "Imported") == "3" and metric(page, "Rejected") == "1"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download rejected rows").click()
    rejected = download.value.path().read_text(encoding="utf-8-sig")
    assert "score not a number" in rejected and "tien" in rejected
    page.screenshot(path=str(ARTIFACTS / "upload-result-en.png"), full_page=True)
    assert agg.summary(store, Filters(dataset="nps-export-december")).n == 3
    page.close()


# last: it adds responses to the served database
def test_import_while_the_app_is_serving(server, browser, tmp_path):
    """Two browser sessions keep reloading while the command line imports."""
    url, store = server
    before = agg.summary(store, DEC).n
    new = [{"response_id": f"live{i}", "responded_at": f"2025-12-{1 + i % 28:02d} 12:00",
            "score": (i * 7) % 11, "nps_type": "transaction", "touchpoint": "webshop"} for i in range(5000)]
    path = write_csv(tmp_path / "live.csv", new)
    pages = [open_overview(browser, url, "lang=en&dataset=demo") for _ in range(2)]
    proc = subprocess.Popen([sys.executable, "-m", "nps_core", "import", str(path), "--dataset", "demo",
                             "--db", str(store.path), "--json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reloads = 0
    while proc.poll() is None or reloads < 4:
        for page in pages:
            page.reload()
            page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
            assert "Traceback" not in page.content()
            reloads += 1
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert json.loads(out)["imported"] == 5000
    after = agg.summary(store, DEC).n
    assert after == before + 5000
    for page in pages:
        page.reload()
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
        assert metric(page, "Responses") == fmt_int(after, "en")
        page.close()
