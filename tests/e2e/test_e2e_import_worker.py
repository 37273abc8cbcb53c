"""End-to-end: an import on the Upload page runs in a worker process. In Chromium:
its progress and Cancel, a Cancel that leaves the store as it was, and a worker
killed with SIGKILL (what the out-of-memory killer does) shown as one line while
the server goes on serving another session. Screenshots in test-artifacts/."""

import os
import shutil
import signal

import pytest
from conftest import ARTIFACTS
from test_e2e import browser, open_overview, serve  # noqa: F401 - browser is a fixture
from test_import_worker import big_csv, snapshot, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROWS = 1_000_000


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    """The app with its own temp folder, where the worker's job folders (and pids) are."""
    root = tmp_path_factory.mktemp("e2e-worker")
    db, tmp = root / "nps.duckdb", root / "tmp"
    shutil.copy(demo_db, db)
    tmp.mkdir()
    for url in serve(db, env={"TMPDIR": str(tmp), "NPS_STAGING_DIR": str(tmp / "staging")}):
        yield url, db, tmp


def start_import(browser, url, source):  # noqa: F811 - the fixture's value
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{url}/import?lang=en")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(source))
    page.get_by_text("Column mapping").wait_for(timeout=180_000)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Importing…").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Import", exact=True).count() == 0  # one import at a time
    return page


def settled(page):
    """Once the page has run again after the worker ended (no stale progress left)."""
    page.get_by_role("button", name="Cancel import").wait_for(state="detached", timeout=30_000)
    page.locator("[data-testid='stProgress']").wait_for(state="detached", timeout=30_000)


def worker_pid(tmp) -> int:
    pids = wait_for(lambda: list((tmp / "nps_imports").glob("import-*/pid")), 30, "the worker")
    assert len(pids) == 1
    return int(pids[0].read_text())


def test_cancel_and_a_killed_worker_in_the_browser(served, browser, tmp_path):  # noqa: F811
    url, db, tmp = served
    source = big_csv(tmp_path / "big export.csv", ROWS)
    before = snapshot(db)
    open_overview(browser, url).close()  # (a server's very first request should not be a deep link)

    page = start_import(browser, url, source)
    cancel = page.get_by_role("button", name="Cancel import")
    cancel.wait_for()
    assert page.locator("[data-testid='stProgress']").count() == 1
    page.get_by_text("Importing… reading the file").wait_for(timeout=60_000)  # the progress moves on its own
    cancel.click()
    page.get_by_text("Import cancelled: nothing was stored.").wait_for(timeout=30_000)
    settled(page)
    assert page.get_by_role("button", name="Import", exact=True).is_visible()
    page.screenshot(path=str(ARTIFACTS / "upload-cancelled-en.png"), full_page=True)
    assert snapshot(db) == before

    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Importing… checking the rows").wait_for(timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "upload-progress-en.png"), full_page=True)
    os.kill(worker_pid(tmp), signal.SIGKILL)
    page.get_by_text("The import was cut off (the import process was ended by SIGKILL)").wait_for(timeout=30_000)
    settled(page)
    assert "Traceback" not in page.content()
    page.screenshot(path=str(ARTIFACTS / "upload-killed-en.png"), full_page=True)
    other = open_overview(browser, url)  # another session: the server still serves
    assert other.locator("[data-testid='stMetric']", has_text="NPS").count() == 1
    other.close()
    page.close()
    assert snapshot(db) == before
    assert list((tmp / "staging").iterdir()) == []  # the killed worker's spill folder is swept
