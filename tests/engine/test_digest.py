"""Scheduled digests against a real SMTP server: each subscription's period
sent exactly once (also by two processes at once, and across a mail server
that refuses and then accepts), with figures computed here by hand."""

import datetime as dt
import json
import time

import pytest
from conftest import write_csv
from receivers import run_cli, smtp_config

from nps_core.db.store import Store
from nps_core.followup import notify, outbox
from nps_core.ingest.importer import import_file
from nps_core.report import digest

pytestmark = pytest.mark.usefixtures("quick_retries")

# id, when, score, touchpoint
ROWS = [
    # November 2025: 2 promoters, 1 passive, 2 detractors -> NPS 0.0
    ("n1", "2025-11-03 10:00", 10, "shop"), ("n2", "2025-11-10 10:00", 6, "shop"),
    ("n3", "2025-11-12 10:00", 6, "webshop"), ("n4", "2025-11-20 10:00", 7, "shop"),
    ("n5", "2025-11-28 10:00", 9, "webshop"),
    # December 2025: 6 promoters, 2 passives, 2 detractors -> NPS +40.0
    ("d1", "2025-12-01 10:00", 10, "shop"), ("d2", "2025-12-05 10:00", 9, "shop"),
    ("d3", "2025-12-09 10:00", 7, "webshop"), ("d4", "2025-12-15 10:00", 6, "shop"),
    ("d5", "2025-12-18 10:00", 10, "webshop"), ("d6", "2025-12-20 10:00", 9, "shop"),
    # ISO week 52 (22-28 December): 2 promoters, 1 passive, 1 detractor -> NPS +25.0
    ("w1", "2025-12-22 10:00", 10, "shop"), ("w2", "2025-12-23 10:00", 9, "webshop"),
    ("w3", "2025-12-24 10:00", 3, "shop"), ("w4", "2025-12-27 10:00", 8, "shop"),
    # the new year's first response, before the run: the data run past December, so it is complete, not partial
    ("j1", "2026-01-01 06:00", 9, "shop"),
]
NEW_YEAR = dt.datetime(2026, 1, 1, 7, 0)  # due: December 2025, week 52, 31 December


@pytest.fixture
def dstore(tmp_path):
    rows = [{"response_id": i, "responded_at": w, "score": s, "comment": "", "nps_type": "transaction",
             "touchpoint": tp, "customer_id": "K" + i} for i, w, s, tp in ROWS]
    store = Store(tmp_path / "digest.duckdb", lock_timeout=30)
    import_file(store, write_csv(tmp_path / "d.csv", rows), dataset="shop")
    digest.save_subscription(store, digest.Subscription("board@example.com", "monthly", "nl", attach_pdf=True))
    digest.save_subscription(store, digest.Subscription("team@example.com", "weekly", "en"))
    return store





def test_digest_due_period_is_the_last_complete_one():
    assert digest.due_period("daily", NEW_YEAR) == ("day", dt.date(2025, 12, 31), dt.date(2025, 12, 31))
    assert digest.due_period("weekly", NEW_YEAR) == ("week", dt.date(2025, 12, 22), dt.date(2025, 12, 28))
    assert digest.due_period("monthly", NEW_YEAR) == ("month", dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    # a Monday: the week just ended
    assert digest.due_period("weekly", dt.datetime(2025, 12, 29, 0, 5))[1] == dt.date(2025, 12, 22)


def test_digest_sends_each_subscription_once_per_period_with_its_figures(dstore, smtp):
    box, port = smtp()
    out = digest.run(dstore, NEW_YEAR, cfg=smtp_config(port), wait=5)
    assert (out["queued"], out["sent"], out["failed"]) == (2, 2, 0)

    [board] = box.to("board@example.com")
    assert board["Subject"] == "NPS-overzicht december 2025: NPS +40,0"
    assert board["Message-ID"] == f"<{digest.digest_id(1, 'month', dt.date(2025, 12, 1))}@nps-dashboard>"
    html = board.get_body(("html",)).get_content()
    assert "NPS +40,0" in html and "t.o.v. november 2025" in html and "+40,0 punten" in html  # 40 - 0
    text = board.get_body(("plain",)).get_content()
    assert "Responses: 10" in text and "Promoters: 60,0 %" in text
    [pdf] = [p for p in board.iter_attachments()]
    assert pdf.get_filename().endswith(".pdf") and pdf.get_content()[:5] == b"%PDF-"

    [team] = box.to("team@example.com")  # weekly, English, no PDF
    assert team["Subject"] == "NPS digest W52 2025, 22–28 Dec: NPS +25.0"
    assert "Responses: 4" in team.get_body(("plain",)).get_content()
    assert not list(team.iter_attachments())

    again = digest.run(dstore, NEW_YEAR + dt.timedelta(hours=3), cfg=smtp_config(port), wait=5)
    assert again["queued"] == 0 and again["sent"] == 0 and len(box.messages) == 2
    # a month on, nothing was answered since the new year's first response (j1): the data stopped in
    # January, so January (j1 alone) and the ISO week holding 1 January (29 Dec-4 Jan) go out, once
    later = digest.run(dstore, dt.datetime(2026, 2, 2, 7), cfg=smtp_config(port), wait=5)
    assert (later["queued"], later["sent"]) == (2, 2) and not later["skipped"] and len(box.messages) == 4
    # a late answer of 28 January: January was sent already; the week just ended (26 Jan-1 Feb) goes out
    import_file(dstore, write_csv(dstore.path.parent / "late.csv", [
        {"response_id": "j2", "responded_at": "2026-01-28 10:00", "score": 9, "comment": "", "nps_type": "transaction",
         "touchpoint": "shop", "customer_id": "Kj2"}]), dataset="shop")
    late = digest.run(dstore, dt.datetime(2026, 2, 2, 7), cfg=smtp_config(port), wait=5)
    assert (late["queued"], late["sent"]) == (1, 1) and len(box.messages) == 5
    [week] = [m for rcpt, m in box.messages[4:]]
    assert "26" in week["Subject"] and "Responses: 1" in week.get_body(("plain",)).get_content()


def test_digest_of_data_that_stopped_is_their_last_period(dstore):
    """Data through 1 January 2026 (j1) read in June 2026: the month and week of the
    last response, not the empty ones before June (digest.period_for)."""
    june = dt.datetime(2026, 6, 15, 7)
    dry = digest.run(dstore, june, dry_run=True, cfg=None)
    listing = {d["recipient"]: d for d in dry["would_send"]}
    # January 2026: j1 alone, a promoter -> +100.0
    assert (listing["board@example.com"]["period"], listing["board@example.com"]["n"],
            listing["board@example.com"]["nps"]) == ("2026-01", 1, 100.0)
    # the ISO week holding Thursday 1 January: Monday 29 December to Sunday 4 January, j1 alone
    week = listing["team@example.com"]
    assert (week["period"], week["from"], week["to"], week["n"], week["nps"]) == (
        "2026-W01", "2025-12-29", "2026-01-04", 1, 100.0)
    daily = digest.Subscription("day@example.com", "daily", "en")
    assert digest.period_for(daily, june, dt.date(2025, 12, 27)) == ("day", dt.date(2025, 12, 27), dt.date(2025, 12, 27))
    # data up to date: the last complete period before now, as due_period says
    assert digest.period_for(daily, june, dt.date(2026, 6, 14)) == digest.due_period("daily", june)
    assert digest.period_for(daily, june, None) == digest.due_period("daily", june)


def test_digest_scope_and_dry_run(dstore, smtp):
    box, port = smtp()
    sid = digest.save_subscription(dstore, digest.Subscription(
        "shop@example.com", "monthly", "en", dataset="shop", dims=(("touchpoint", ("shop",)),)))
    dry = digest.run(dstore, NEW_YEAR, dry_run=True, cfg=smtp_config(port))
    listing = {d["recipient"]: d for d in dry["would_send"]}
    assert set(listing) == {"board@example.com", "team@example.com", "shop@example.com"}
    # December at the shop: 10, 9, 6, 9, 10, 3, 8 -> 4 promoters, 2 detractors of 7
    assert listing["shop@example.com"]["n"] == 7 and listing["shop@example.com"]["nps"] == round(100 * 2 / 7, 1)
    assert listing["team@example.com"]["period"] == "2025-W52" and listing["board@example.com"]["pdf"]
    assert not box.messages and outbox.messages(dstore, kind="digest").empty
    with pytest.raises(ValueError, match="e-mail address"):
        digest.save_subscription(dstore, digest.Subscription("webhook", "monthly", "en"))
    with pytest.raises(ValueError, match="unknown column"):
        digest.save_subscription(dstore, digest.Subscription("a@example.com", dims=(("nope", ("x",)),)))
    stopped = next(s for s in digest.list_subscriptions(dstore) if s.sub_id == sid)
    digest.save_subscription(dstore, stopped.__class__(**{**stopped.__dict__, "active": False}))
    assert len(digest.run(dstore, NEW_YEAR, dry_run=True, cfg=smtp_config(port))["would_send"]) == 2


def test_digest_mail_server_refusing_then_accepting_gets_each_once(dstore, smtp):
    box, port = smtp(fail=2)
    first = digest.run(dstore, NEW_YEAR, cfg=smtp_config(port), wait=0)  # no patience: both fail once
    assert first["failed"] == 2 and not box.messages
    record = outbox.messages(dstore, kind="digest")
    assert set(record["status"]) == {"failed"} and all("451" in e for e in record["last_error"])
    time.sleep(0.2)  # past the back-off
    second = digest.run(dstore, NEW_YEAR, cfg=smtp_config(port), wait=10)  # refused once more, then accepted
    assert second["queued"] == 0 and second["sent"] == 2
    assert sorted(r for rcpt, _ in box.messages for r in rcpt) == ["board@example.com", "team@example.com"]
    assert sorted(box.tries.values()) == [3, 3]
    assert set(outbox.messages(dstore, kind="digest")["attempts"]) == {3}



@pytest.mark.slow
def test_digest_two_concurrent_runs_send_each_once(dstore, smtp):
    box, port = smtp(delay=1.0, fail=1)  # slow and refusing once: the runs overlap for seconds
    runs = [run_cli(dstore.path, port, "digest", "--send", "--now", NEW_YEAR.isoformat()) for _ in range(2)]
    results = [(r.wait(120), *r.communicate()) for r in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0 and codes[1] in (0, 3), results
    for code, out, err in results:
        if code == 3:
            assert "another digest run is in progress" in err
    assert sorted(r for rcpt, _ in box.messages for r in rcpt) == ["board@example.com", "team@example.com"]
    # a third run later finds both sent
    third = run_cli(dstore.path, port, "digest", "--send", "--now", NEW_YEAR.isoformat())
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert json.loads(out)["queued"] == 0 and len(box.messages) == 2


@pytest.mark.slow
def test_digest_dry_run_on_the_demo_lists_each_subscription(demo_store, demo_frame):
    digest.save_subscription(demo_store, digest.Subscription("cx@example.com", "monthly", "nl", attach_pdf=True))
    digest.save_subscription(demo_store, digest.Subscription("tp@example.com", "weekly", "en",
                                                             nps_types=("transaction",)))
    run = run_cli(demo_store.path, 1, "digest", "--dry-run", "--now", "2026-01-01T07:00")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    listing = {d["recipient"]: d for d in json.loads(out)["would_send"]}

    def nps(frame):
        return round(100 * ((frame["score"] >= 9).mean() - (frame["score"] <= 6).mean()), 1)

    dec = demo_frame[(demo_frame["responded_at"] >= "2025-12-01") & (demo_frame["responded_at"] < "2026-01-01")]
    week = demo_frame[(demo_frame["responded_at"] >= "2025-12-22") & (demo_frame["responded_at"] < "2025-12-29")
                      & (demo_frame["nps_type"] == "transaction")]
    assert (listing["cx@example.com"]["period"], listing["cx@example.com"]["n"]) == ("2025-12", len(dec))
    assert listing["cx@example.com"]["nps"] == nps(dec)
    assert (listing["tp@example.com"]["period"], listing["tp@example.com"]["n"]) == ("2025-W52", len(week))
    assert listing["tp@example.com"]["nps"] == nps(week)


def test_digest_outbox_of_an_older_database_gains_its_columns(dstore, smtp):
    """A database from before digests: the outbox without kind/html/attachment,
    rules without deadlines, no subscription table; its alert keeps its record."""
    import duckdb

    from nps_core.db import store as store_module

    con = duckdb.connect(str(dstore.path))
    con.execute("ALTER TABLE alert_outbox DROP COLUMN kind; ALTER TABLE alert_outbox DROP COLUMN html; "
                "ALTER TABLE alert_outbox DROP COLUMN attachment; ALTER TABLE alert_outbox DROP COLUMN attachment_name; "
                "ALTER TABLE alert_rules DROP COLUMN contact_hours; ALTER TABLE alert_rules DROP COLUMN escalate_to; "
                "DROP TABLE digest_subscriptions")
    con.execute("INSERT INTO alert_outbox (alert_id, dataset, response_id, channel, recipients, rules, subject, body, "
                 "status, attempts, created_at) VALUES ('old', 'shop', 'd1', 'webhook', 'CX', 'critical', 's', 'b', "
                 "'sent', 1, '2025-12-02 10:00')")
    con.close()
    store_module._SCHEMA_CURRENT.clear()  # as a new process would
    assert digest.list_subscriptions(dstore) == []
    assert list(outbox.messages(dstore)["alert_id"]) == ["old"]  # an alert, as before
    assert outbox.messages(dstore, kind="digest").empty
    [rule] = notify.alerts.list_rules(dstore)
    assert rule.contact_hours == 48 and rule.escalate_to is None


def test_digest_that_cannot_be_built_stops_no_other(dstore, smtp, monkeypatch):
    box, port = smtp()

    def broken(content, fmt):  # the PDF renderer failing, e.g. a font missing on the server
        raise RuntimeError("no font")

    monkeypatch.setattr(digest.report_export, "render", broken)
    out = digest.run(dstore, NEW_YEAR, cfg=smtp_config(port), wait=5)
    assert out["sent"] == 1 and [s["sub_id"] for s in out["skipped"]] == [1]  # the monthly one has the PDF
    assert "RuntimeError: no font" in out["skipped"][0]["reason"]
    assert [r for rcpt, _ in box.messages for r in rcpt] == ["team@example.com"]


def test_a_fresh_install_has_a_demo_digest_to_show(tmp_path, demo_frame):
    """The demo loads with a monthly digest to team@example.com: `digest --dry-run`
    without --now lists it for the demo's last complete month, with its figures
    computed here from the demo file."""
    from nps_core.jobs.demo import ensure_demo, seed_digest

    store = Store(tmp_path / "fresh.duckdb")
    assert ensure_demo(store)
    assert seed_digest(store) is False  # once
    [sub] = digest.list_subscriptions(store)
    assert (sub.recipient, sub.frequency, sub.dataset) == ("team@example.com", "monthly", "demo")
    run = run_cli(store.path, 1, "digest", "--dry-run")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    [listed] = json.loads(out)["would_send"]
    # the last month before today, or the demo's last month (December 2025) once that is over
    today = dt.date.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    month = min(last_month, "2025-12")
    rows = demo_frame[demo_frame["responded_at"].dt.strftime("%Y-%m") == month]
    expected = round(100 * ((rows["score"] >= 9).mean() - (rows["score"] <= 6).mean()), 1)
    assert (listed["recipient"], listed["period"], listed["n"], listed["nps"]) == (
        "team@example.com", month, len(rows), expected)
    assert listed["n"] > 1000  # a real month of the demo, not an empty one


def test_digest_says_why_the_nps_moved_in_sentences(demo_store, demo_frame):
    """The narrative of the change (issue 29) in the text and the HTML of the
    digest, its headline checked against the demo counted with pandas."""
    sub = digest.Subscription("cx@example.com", "monthly", "en", sub_id=1)
    row = digest.message(demo_store, sub, "month", dt.date(2025, 12, 1), today=dt.date(2026, 1, 1))

    def exact(frame):
        return 100 * ((frame["score"] >= 9).mean() - (frame["score"] <= 6).mean())

    at = demo_frame["responded_at"]
    dec = demo_frame[(at >= "2025-12-01") & (at < "2026-01-01")]
    nov = demo_frame[(at >= "2025-11-01") & (at < "2025-12-01")]
    delta = exact(dec) - exact(nov)
    headline = (f"NPS {'rose' if delta > 0 else 'fell'} {abs(delta):.1f} points to {exact(dec):+.1f} "
                "in December 2025, compared with November 2025")
    assert headline in row["body"]
    assert headline in row["html"]
    assert "Most of it came from" in row["body"] or "The largest contribution came from" in row["body"]
