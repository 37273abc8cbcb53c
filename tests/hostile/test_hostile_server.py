"""Issue 24, the cases not probed before: the live server bound to every
interface without sign-in, asked with plain HTTP as curl would; and a mail
server that accepts the connection and then says nothing while `digest --send`
runs (an alert webhook likewise, during `alerts`)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import ROOT, free_port
from receivers import Listener
from test_digest import NEW_YEAR, dstore  # noqa: F401 - the digest's store, subscriptions included
from test_e2e import CHROMIUM, CHROMIUM_ARGS, serve
from test_notify import CRITICAL, alert_store  # noqa: F401 - a store with critical responses

from nps_core.base.i18n import t
from nps_core.followup import outbox

pytestmark = pytest.mark.slow


def _this_machines_address() -> str:
    """An address of this machine other than loopback, as another host would use (else loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent, the route picks the interface
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.mark.e2e
def test_hostile_server_on_every_interface_without_sign_in_shows_nothing(demo_db, tmp_path):
    db = tmp_path / "nps.duckdb"
    shutil.copy(demo_db, db)
    port = free_port()
    for _ in serve(db, args=("--server.address", "0.0.0.0"), port=port):
        host = f"http://{_this_machines_address()}:{port}"
        status, page = _get(host + "/")
        assert status == 200 and b"demo" not in page.lower() and b"NPS +" not in page  # the app's shell only
        # nothing of the store or the code is served as a file, however it is asked for
        for path in ("/nps.duckdb", "/data/nps.duckdb", "/app/static/nps.duckdb", "/static/../data/nps.duckdb",
                     "/%2e%2e/data/nps.duckdb", "/media/nps.duckdb", "/_stcore/../data/nps.duckdb",
                     "/dashboard.py", "/.streamlit/secrets.toml", "/.streamlit/access.toml", f"/{db}"):
            status, body = _get(host + path)
            assert b"DUCK" not in body[:16] and b"import streamlit" not in body and b"[auth]" not in body, path
        # and a browser that reaches it from the network sees the refusal, no figure
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(host + "/?lang=en")
            page.get_by_text(t("anonymous_refused", "en")[:40]).first.wait_for(timeout=60_000)
            text = page.inner_text("body")
            assert "Net Promoter" not in text and "Margin of error" not in text and "demo" not in text
            browser.close()


class Silent(Listener):
    """A receiver on 127.0.0.1 that accepts every connection and then says nothing, ever."""

    def __init__(self):
        self.held = []
        super().__init__()

    def handle(self, conn):
        self.held.append(conn)  # open, silent

    def close(self):
        super().close()
        for c in self.held:
            c.close()


def _cli(db, env, *args):
    return subprocess.run([sys.executable, "-m", "nps_core", *args, "--db", str(db), "--json"], cwd=ROOT,
                          env={**os.environ, "NPS_SECRETS_FILE": os.devnull, "NPS_ALERT_TIMEOUT": "1",
                               "NPS_ALERT_BACKOFF": "0.05", **env},
                          capture_output=True, text=True, timeout=120)


def test_hostile_a_mail_server_that_hangs_during_digest_send(dstore, smtp):  # noqa: F811
    silent = Silent()
    mail = {"NPS_SMTP_HOST": "127.0.0.1", "NPS_SMTP_PORT": str(silent.port), "NPS_SMTP_FROM": "nps@example.com"}
    try:
        started = time.monotonic()
        done = _cli(dstore.path, mail, "digest", "--send", "--now", NEW_YEAR.isoformat(), "--wait", "0")
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    out = json.loads(done.stdout)
    assert (out["queued"], out["sent"], out["failed"]) == (2, 0, 2) and silent.connections == 2
    assert elapsed < 30  # two sends cut at 1 s each, not a hang
    errors = set(outbox.messages(dstore, kind="digest")["last_error"])
    assert errors == {"TimeoutError: no complete answer within 1 s"}, errors
    # the mail server works again: each digest arrives once, nothing twice
    box, port = smtp()
    again = json.loads(_cli(dstore.path, {**mail, "NPS_SMTP_PORT": str(port)},
                            "digest", "--send", "--now", NEW_YEAR.isoformat()).stdout)
    assert (again["queued"], again["sent"]) == (0, 2)
    assert len(box.to("board@example.com")) == 1 and len(box.to("team@example.com")) == 1


def test_hostile_a_webhook_that_hangs_during_alerts(alert_store, webhook):  # noqa: F811
    silent = Silent()
    try:
        done = _cli(alert_store.path, {"NPS_WEBHOOK_URL": f"http://127.0.0.1:{silent.port}/hook"}, "alerts",
                    "--notify", "--wait", "0")
    finally:
        silent.close()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    out = json.loads(done.stdout)
    assert out["sent"] == 0 and out["failed"] == len(CRITICAL) == silent.connections
    # the receiver answers again: each alert arrives once
    hook = webhook()
    again = json.loads(_cli(alert_store.path, {"NPS_WEBHOOK_URL": hook.url}, "alerts", "--notify").stdout)
    assert again["queued"] == 0 and again["sent"] == len(CRITICAL)
    assert sorted(hook.acked) == sorted(set(hook.acked)) and len(hook.acked) == len(CRITICAL)
