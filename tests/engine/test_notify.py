"""Alerts delivered once, against a real HTTP receiver and a real SMTP server
started here on free ports; a killed run resumes without losing or repeating."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT, write_csv
from receivers import Listener

from nps_core.db.store import Store
from nps_core.followup import alerts, channels, notify, outbox
from nps_core.ingest.importer import import_file

# Hand-labelled fixture: which responses are critical under the rules below.
HOSTILE = "<script>alert(1)</script> **bold** & =1+1 Terrible, I waited an hour!"
ROWS = [
    # id, when, score, comment, touchpoint, customer
    ("a1", "2025-06-20 09:00", 1, HOSTILE, "contact centre", "C1"),  # score 0-3
    ("a2", "2025-06-21 10:00", 5, "Awful, terrible service. I hate it, the worst ever.", "shop", "C2"),  # tone
    ("a3", "2025-06-22 11:00", 5, "It was okay I guess", "shop", "C3"),  # detractor, not negative enough
    ("a4", "2025-06-23 12:00", 10, "Great", "shop", "C4"),
    ("a5", "2025-06-24 13:00", 0, "Nothing works", "webshop", "C5"),  # score 0-3
    ("a6", "2025-06-25 14:00", 3, None, "delivery", "C6"),  # score 0-3, no comment
    ("old", "2025-06-01 08:00", 0, "Old news", "shop", "C7"),  # critical but before the 7-day window
]
CRITICAL = {"a1", "a2", "a5", "a6"}  # by hand; the window ends 2025-06-25, starts 2025-06-18


@pytest.fixture
def alert_store(tmp_path):
    rows = [{"response_id": i, "responded_at": w, "score": s, "comment": c or "", "nps_type": "transaction",
             "touchpoint": tp, "agent": "Ann", "customer_id": cu} for i, w, s, c, tp, cu in ROWS]
    store = Store(tmp_path / "alerts.duckdb", lock_timeout=10)
    import_file(store, write_csv(tmp_path / "r.csv", rows), dataset="shop")
    return store


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(outbox, "BACKOFF", 0.05)
    monkeypatch.setattr(channels, "TIMEOUT", 5)


def config(hook, smtp_port=None):
    return channels.Config(webhooks={"default": hook.url}, smtp_host="127.0.0.1" if smtp_port else None,
                         smtp_port=smtp_port or 25, smtp_from="nps@example.com")


def add_email_rule(store):
    alerts.save_rule(store, alerts.Rule(name="cc", recipient="Contact centre lead", channel="cc-lead@example.com",
                                        score_min=0, score_max=6, dims=(("touchpoint", ("contact centre",)),)))


def test_each_new_critical_response_is_delivered_once_with_its_content(alert_store, webhook, smtp):
    hook, (box, port) = webhook(), smtp()
    add_email_rule(alert_store)
    out = notify.run(alert_store, cfg=config(hook, port), wait=5)
    assert out["sent"] == len(CRITICAL) + 1 and out["failed"] == 0
    by_id = {notify.alert_id("shop", r, "webhook"): r for r in CRITICAL}
    assert sorted(hook.acked) == sorted(by_id)  # once each, nothing else

    text = dict(hook.received)[notify.alert_id("shop", "a1", "webhook")]["text"]
    assert set(dict(hook.received)[notify.alert_id("shop", "a1", "webhook")]) == {"text"}
    # Slack's escapes; Markdown in the comment sits in a code block, so it stays literal
    assert "```&lt;script&gt;alert(1)&lt;/script&gt; **bold** &amp; =1+1 Terrible, I waited an hour!```" in text
    assert "<script>" not in text
    assert "C1" in text and "contact centre" in text and "Ann" in text and "critical" in text

    [(to, msg)] = box.messages  # only a1 is at the contact centre
    assert to == ["cc-lead@example.com"]
    assert msg["Message-ID"] == f"<{notify.alert_id('shop', 'a1', 'cc-lead@example.com')}@nps-dashboard>"
    assert "score 1" in msg["Subject"] and "contact centre" in msg["Subject"]
    assert HOSTILE in msg.get_content() and "Contact centre lead" in msg.get_content()

    again = notify.run(alert_store, cfg=config(hook, port), wait=5)
    assert again["queued"] == 0 and again["sent"] == 0
    assert len(hook.received) == len(CRITICAL) and len(box.messages) == 1


def test_receivers_failing_twice_get_each_alert_exactly_once(alert_store, webhook, smtp):
    hook, (box, port) = webhook(fail=2), smtp(fail=2)
    add_email_rule(alert_store)
    out = notify.run(alert_store, cfg=config(hook, port), wait=10)
    assert out["sent"] == len(CRITICAL) + 1
    assert sorted(hook.acked) == sorted(notify.alert_id("shop", r, "webhook") for r in CRITICAL)
    assert len(hook.received) == 3 * len(CRITICAL)  # two refusals and one success each
    assert len(box.messages) == 1 and list(box.tries.values()) == [3]
    record = outbox.messages(alert_store)
    assert set(record["status"]) == {"sent"} and set(record["attempts"]) == {3}


def test_a_failure_beyond_the_runs_patience_waits_for_the_next_run(alert_store, webhook):
    hook = webhook(fail=1)
    first = notify.run(alert_store, cfg=config(hook), wait=0)
    assert first["failed"] == len(CRITICAL) and not hook.acked
    record = outbox.messages(alert_store)
    assert set(record["status"]) == {"failed"} and "HTTP 500" in set(record["last_error"])
    assert "secret-token" not in " ".join(record["last_error"])
    time.sleep(0.1)  # past the back-off
    second = notify.run(alert_store, cfg=config(hook), wait=0)
    assert second["queued"] == 0 and second["sent"] == len(CRITICAL)
    assert sorted(hook.acked) == sorted(notify.alert_id("shop", r, "webhook") for r in CRITICAL)


def test_dry_run_lists_and_records_nothing(alert_store, webhook):
    hook = webhook()
    out = notify.run(alert_store, dry_run=True, cfg=config(hook))
    assert sorted(a["response_id"] for a in out["would_send"]) == sorted(CRITICAL)
    assert not hook.received and outbox.messages(alert_store).empty
    unset = notify.run(alert_store, dry_run=True, cfg=channels.Config())
    assert unset["would_send"] == [] and unset["unconfigured"] == {"webhook": len(CRITICAL)}


def cli(db, hook, *args, **kw):
    env = {**os.environ, "NPS_WEBHOOK_URL": hook.url, "NPS_ALERT_BACKOFF": "0.05", "NPS_ALERT_TIMEOUT": "60"}
    return subprocess.Popen([sys.executable, "-m", "nps_core", "alerts", "--db", str(db), "--notify", "--json", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


@pytest.mark.slow
def test_a_killed_run_resumes_without_losing_or_repeating(alert_store, webhook):
    hook = webhook(block_at=2)
    run = cli(alert_store.path, hook)
    assert hook.blocked.wait(60), run.stderr.read() if run.poll() is not None else "no second request"
    # meanwhile another run (cron overlapping) stays out
    other = cli(alert_store.path, hook)
    assert other.wait(60) == 3 and "another alerts run" in other.stderr.read()
    os.kill(run.pid, signal.SIGKILL)
    run.wait(30)
    hook.release.set()

    status = outbox.messages(alert_store).set_index("alert_id")["status"]
    [first_key, in_flight] = [k for k, _ in hook.received]
    assert status[first_key] == "sent" and status[in_flight] == "sending"
    assert (status == "sent").sum() == 1  # the rest were claimed, not sent

    resumed = cli(alert_store.path, hook)
    out, err = resumed.communicate(timeout=60)
    assert resumed.returncode == 0, err
    assert json.loads(out)["sent"] == len(CRITICAL) - 1
    expected = sorted(notify.alert_id("shop", r, "webhook") for r in CRITICAL)
    assert sorted(hook.acked) == expected  # every alert acknowledged exactly once
    # only the unanswered request went out twice, with the same idempotency key
    keys = [k for k, _ in hook.received]
    assert len(keys) == len(CRITICAL) + 1 and keys.count(in_flight) == 2
    assert set(outbox.messages(alert_store)["status"]) == {"sent"}


def test_configuration_from_secrets_file_and_env_never_shown(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[notify]\nwebhook_url = "https://hooks.example/T0/secret"\nsmtp_host = "mail"\n'
                       'smtp_password = "hunter2"\nsmtp_from = "nps@example.com"\n[notify.webhooks]\nteam = "https://x/y"\n')
    cfg = channels.load_config(env={"NPS_SMTP_PORT": "2525", "NPS_WEBHOOK_URL_CC": "https://cc/z"}, secrets_file=secrets)
    assert cfg.configured("webhook") and cfg.configured("webhook:team") and cfg.configured("webhook:cc")
    assert cfg.configured("a@b.nl") and not cfg.configured("webhook:other")
    assert cfg.smtp_port == 2525
    assert "secret" not in repr(cfg) and "hunter2" not in repr(cfg)
    assert cfg.scrub("failed for https://hooks.example/T0/secret (hunter2)") == "failed for *** (***)"


# -- hostile content and receivers (issue 19, items 3 and 4) ---------------------
def _poison_store(tmp_path, touchpoint):
    rows = [{"response_id": i, "responded_at": f"2025-06-2{n} 09:00", "score": 1, "comment": "Bad", "nps_type": "transaction",
             "touchpoint": tp, "customer_id": f"C{n}"}
            for n, (i, tp) in enumerate([("p1", touchpoint), ("p2", "shop"), ("p3", "webshop")])]
    store = Store(tmp_path / "poison.duckdb", lock_timeout=10)
    import_file(store, write_csv(tmp_path / "p.csv", rows), dataset="shop")
    alerts.save_rule(store, alerts.Rule(name="mail", recipient="Lead", channel="lead@example.com"))
    return store


def test_poison_line_break_in_a_touchpoint_stops_nothing_and_injects_no_header(tmp_path, webhook, smtp):
    store = _poison_store(tmp_path, "contact centre\r\nBcc: victim@evil.example\nX-Evil: 1")
    hook, (box, port) = webhook(), smtp()
    out = notify.run(store, cfg=config(hook, port), wait=5)
    assert (out["sent"], out["failed"], out["gave_up"]) == (6, 0, 0)  # 3 responses x (webhook + mail)
    assert len(hook.acked) == 3 and len(box.messages) == 3
    assert all(to == ["lead@example.com"] for to, _ in box.messages)  # no Bcc smuggled in
    subjects = [msg["Subject"] for _, msg in box.messages]
    [poisoned] = [x for x in subjects if "contact centre" in x]
    assert "\n" not in poisoned and "\r" not in poisoned and "Bcc: victim@evil.example X-Evil: 1" in poisoned
    assert all(msg["Bcc"] is None and msg["X-Evil"] is None for _, msg in box.messages)
    assert set(outbox.messages(store)["status"]) == {"sent"}


def test_poison_a_message_that_cannot_be_built_fails_alone_and_gives_up(tmp_path, webhook, smtp, monkeypatch):
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 2)
    store = _poison_store(tmp_path, "shop")
    # a typo an older version's channel check let through (Python's e-mail library choked on it); the
    # check now refuses it, also when a stored rule names it: each of its sends fails alone, saying why
    alerts.save_rule(store, alerts.Rule(name="typo", recipient="Ops", channel="ops@example.com"))
    with store.write() as con:
        con.execute("UPDATE alert_rules SET channel = 'ops@[example.com' WHERE name = 'typo'")
    hook, (box, port) = webhook(), smtp()
    out = notify.run(store, cfg=config(hook, port), wait=5)
    assert (out["sent"], out["failed"], out["gave_up"]) == (6, 0, 3)  # tried twice within the run, then given up
    assert len(hook.acked) == 3 and len(box.messages) == 3
    record = outbox.messages(store)
    typo = record["channel"] == "ops@[example.com"
    bad = record[typo]
    assert len(bad) == 3 and set(bad["status"]) == {"gave_up"} and set(bad["attempts"]) == {2}
    assert all(e.startswith("ValueError: channel must be an e-mail address") for e in bad["last_error"])
    assert set(record[~typo]["status"]) == {"sent"}


class Trickler(Listener):
    """A TCP receiver that answers one byte every `pause` seconds: `first`
    is what it trickles after reading the request (HTTP) or at once (SMTP
    greeting)."""

    def __init__(self, reply: bytes, pause: float, read_first: bool):
        self.reply, self.pause, self.read_first = reply, pause, read_first
        super().__init__()

    def handle(self, conn):
        threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn):
        with conn:
            try:
                if self.read_first:
                    conn.recv(65536)
                for byte in self.reply:
                    conn.sendall(bytes([byte]))
                    time.sleep(self.pause)
            except OSError:
                return  # the sender hung up: what the deadline is for


@pytest.mark.parametrize("kind", ["webhook", "email"])
def test_poison_a_trickling_receiver_is_cut_at_the_total_deadline(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(channels, "TIMEOUT", 1.0)
    store = _poison_store(tmp_path, "shop")  # 3 critical responses
    if kind == "webhook":  # 80 bytes at 0.2 s each: 16 s per answer, no read ever waits 1 s
        slow = Trickler(b"HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n" + b"x" * 40, 0.2, read_first=True)
        cfg = channels.Config(webhooks={"default": f"http://127.0.0.1:{slow.port}/hook"})
    else:  # the greeting alone takes 16 s
        slow = Trickler(b"220 " + b"x" * 76 + b"\r\n", 0.2, read_first=False)
        cfg = channels.Config(smtp_host="127.0.0.1", smtp_port=slow.port, smtp_from="nps@example.com")
    try:
        started = time.monotonic()
        out = notify.run(store, cfg=cfg, wait=0)
        elapsed = time.monotonic() - started
    finally:
        slow.close()
    assert out["failed"] == 3 and slow.connections == 3
    assert elapsed < 3 * 1.0 + 3  # three sends of at most 1 s each, plus the run's own work
    errors = set(outbox.messages(store)["last_error"])
    assert errors == {"TimeoutError: no complete answer within 1 s"}


LOCK_HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.mark.slow
def test_poison_delivered_while_another_process_holds_the_store_is_never_sent_again(alert_store, webhook):
    store = Store(alert_store.path, lock_timeout=1)
    holder = []

    def lock_the_store():  # at the first delivery, another process takes the write lock and keeps it
        if not holder:
            holder.append(subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(store.path)], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, text=True))
            assert holder[0].stdout.readline().strip() == "locked"

    hook = webhook(before_ack=lock_the_store)
    try:
        first = notify.run(store, cfg=config(hook), wait=5)
    finally:
        if holder:
            holder[0].stdin.close()
            holder[0].wait(30)
    expected = sorted(notify.alert_id("shop", r, "webhook") for r in CRITICAL)
    assert holder and sorted(hook.acked) == expected  # every alert delivered while the store was locked
    assert first["sent"] == len(CRITICAL) and first["unrecorded"] == len(CRITICAL)

    second = notify.run(store, cfg=config(hook), wait=5)
    assert second["queued"] == 0 and second["sent"] == 0 and second["unrecorded"] == 0
    assert sorted(hook.acked) == expected and len(hook.received) == len(CRITICAL)  # none sent twice
    record = outbox.messages(store)
    assert set(record["status"]) == {"sent"} and set(record["attempts"]) == {1}
    assert not outbox.Journal(store, ("alert", "escalation")).path.exists()
