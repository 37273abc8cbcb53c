"""A clean exit (issue 24): the dashboard's process ends with status 0 (or
-SIGTERM, the signal's own, after an orderly shutdown), not
"terminate called without an active exception" (exit 134), when its cache
warm-up is still reading the store: at the end of AppTest runs, and on SIGTERM
of a real server (nps_core/db/lifecycle.py). The store is intact afterwards."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, ROOT, free_port
from test_e2e import CHROMIUM, CHROMIUM_ARGS
from test_import_worker import snapshot

from nps_core.db import duck

pytestmark = pytest.mark.slow

FIRST_START = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
assert not at.exception, at.exception
# the warm-up thread (ui/warmup.py) now reads every page's default view: the process exits meanwhile
"""


def test_exit_first_starts_under_apptest_end_with_status_zero(demo_db, tmp_path):
    before = snapshot(demo_db)
    for run in range(10):
        db = tmp_path / f"run{run}.duckdb"
        shutil.copy(demo_db, db)
        done = subprocess.run([sys.executable, "-c", FIRST_START, str(ROOT / "dashboard.py")], cwd=ROOT,
                              env={**os.environ, "NPS_DB": str(db), "NPS_WARMUP": "1"},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (run, done.returncode, done.stderr[-2000:])
        assert "terminate called" not in done.stderr
        assert snapshot(db) == before


def _serve(db, port):
    log = open(ARTIFACTS / f"streamlit-exit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "NPS_DB": str(db), "NPS_WARMUP": "1"}, stdout=log, stderr=subprocess.STDOUT)
    return proc, log


@pytest.mark.e2e
def test_exit_sigterm_while_the_warm_up_reads_ends_cleanly(demo_db, tmp_path):
    from playwright.sync_api import sync_playwright

    before = snapshot(demo_db)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(5):
            db = tmp_path / f"served{run}.duckdb"
            shutil.copy(demo_db, db)
            port = free_port()
            proc, log = _serve(db, port)
            try:
                page = browser.new_page()
                deadline = time.monotonic() + 90
                while True:
                    try:
                        page.goto(f"http://127.0.0.1:{port}/?lang=en", timeout=10_000)
                        break
                    except Exception:  # noqa: BLE001 - not listening yet
                        assert time.monotonic() < deadline and proc.poll() is None, "the server did not start"
                        time.sleep(0.3)
                # the Overview is drawn: the warm-up of every other page starts behind it
                page.get_by_text("Margin of error", exact=False).first.wait_for(timeout=60_000)
                time.sleep(0.3 * run)  # a different moment of the warm-up each time
                proc.send_signal(signal.SIGTERM)
                code = proc.wait(timeout=60)
                page.close()
            finally:
                if proc.poll() is None:
                    proc.kill()
                log.close()
            said = (ARTIFACTS / f"streamlit-exit-{port}.log").read_text()
            # uvicorn ends the process by raising the signal again once it has shut down: -SIGTERM
            assert code in (0, -signal.SIGTERM), (run, code, said[-2000:])
            assert "terminate called" not in said and "Traceback" not in said, said[-2000:]
            # its readers' DuckDB instance closed and its spill folder went before it ended
            assert not (Path(tempfile.gettempdir()) / f"{duck.SPILL_PREFIX}{proc.pid}").exists()
            assert snapshot(db) == before
        browser.close()
