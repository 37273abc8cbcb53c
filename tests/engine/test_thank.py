"""Thank-you e-mails to promoters against a real SMTP server: each response
thanked exactly once (also by two processes at once, and across a mail
server that refuses and then accepts), templates filled in, opt-outs and
the daily cap honoured, thanked promoters counted in the closed loop."""

import datetime as dt
import json
import time

import pytest
from conftest import write_csv
from receivers import run_cli, smtp_config

from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.followup import loop, thank
from nps_core.ingest.importer import import_file

pytestmark = pytest.mark.usefixtures("quick_retries")

EN = "The staff were very friendly and helpful, thank you so much for the quick help"
NL = "De medewerker was erg vriendelijk en heeft mij heel goed geholpen, dank je wel"
# id, when, score, comment, customer, first name, e-mail, touchpoint, product
ROWS = [
    ("p1", "2025-06-20 09:00", 10, NL, "K1", "Anna", " Anna@Example.NL ", "shop", "Kettle"),
    ("p2", "2025-06-21 09:00", 9, EN, "K2", "", "bob@example.com", "", ""),
    ("p3", "2025-06-21 10:00", 10, NL, "K3", "Cor", "opted@example.nl", "shop", "Kettle"),  # address opted out
    ("p4", "2025-06-22 09:00", 9, NL, "K4", "Dirk", "", "shop", "Kettle"),  # no address
    ("p5", "2025-06-22 10:00", 10, NL, "K5", "Els", "els@example.nl", "shop", "Kettle"),  # customer id opted out
    ("p6", "2025-06-23 09:00", 10, NL, "K6", "Fien", "fien@example.nl", "shop", "Kettle"),  # thanked by hand
    ("p7", "2025-06-24 09:00", 9, EN, "K7", "Eve\nBcc: spy@example.org", "eve@example.com", "delivery", "Toaster"),
    ("d1", "2025-06-24 10:00", 3, NL, "K8", "Gert", "gert@example.nl", "shop", "Kettle"),  # a detractor
    ("d2", "2025-06-25 10:00", 8, NL, "K9", "Hans", "hans@example.nl", "shop", "Kettle"),  # a passive
    ("old", "2025-06-01 09:00", 10, NL, "K10", "Ida", "ida@example.nl", "shop", "Kettle"),  # before the 7 days
]
SENT = {"p1": "anna@example.nl", "p2": "bob@example.com", "p7": "eve@example.com"}  # by hand
JUNE = Filters(dataset="shop", date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))
NOW = dt.datetime(2025, 6, 26, 8, 0)


@pytest.fixture
def tstore(tmp_path):
    rows = [{"response_id": i, "responded_at": w, "score": s, "comment": c, "nps_type": "transaction",
             "customer_id": cu, "Voornaam": fn, "E-mail": em, "touchpoint": tp, "product": pr}
            for i, w, s, c, cu, fn, em, tp, pr in ROWS]
    store = Store(tmp_path / "thank.duckdb", lock_timeout=30)
    import_file(store, write_csv(tmp_path / "t.csv", rows), dataset="shop")
    thank.set_optouts(store, ["Opted@example.nl", " k5 "])
    loop.mark_thanked(store, Filters(dataset="shop", date_from=dt.date(2025, 6, 23), date_to=dt.date(2025, 6, 23)),
                      "Sanne")
    return store





def test_thank_each_promoter_once_from_the_template_of_their_language(tstore, smtp):
    box, port = smtp()
    to_thank_before = loop.promoter_count(tstore, JUNE)
    out = thank.run(tstore, "shop", cfg=smtp_config(port), wait=5, now=NOW)
    assert (out["queued"], out["sent"], out["thanked"]) == (3, 3, 3)
    assert (out["address_column"], out["no_address"], out["opted_out"], out["over_cap"]) == ("e_mail", 1, 2, 0)
    assert sorted(r for rcpt, _ in box.messages for r in rcpt) == sorted(SENT.values())

    [anna] = box.to("anna@example.nl")
    assert anna["Subject"] == "Bedankt, Anna!"
    assert anna["Message-ID"] == f"<{thank.thank_id('shop', 'p1')}@nps-dashboard>"
    assert "Beste Anna," in anna.get_content() and "shop" in anna.get_content() and "Kettle" in anna.get_content()
    [bob] = box.to("bob@example.com")  # English comment; no name, touchpoint or product: neutral words
    assert bob["Subject"] == "Thank you, customer!"
    assert "Dear customer," in bob.get_content() and "your experience with us" in bob.get_content()
    assert "our products" in bob.get_content()
    [eve] = box.to("eve@example.com")  # a line break in the name does not make a header
    assert eve["Subject"] == "Thank you, Eve Bcc: spy@example.org!" and eve["Bcc"] is None

    # thanked promoters count in the closed loop: p1, p2, p7 (p6 was thanked by hand before)
    assert loop.promoter_count(tstore, JUNE) == to_thank_before - 3
    thanked = loop.promoters(tstore, JUNE, include_thanked=True).dropna(subset=["thanked_at"])
    assert sorted(thanked["response_id"]) == ["p1", "p2", "p6", "p7"]

    again = thank.run(tstore, "shop", cfg=smtp_config(port), wait=5, now=NOW + dt.timedelta(days=1))
    assert again["queued"] == 0 and again["sent"] == 0 and len(box.messages) == 3


def test_thank_daily_cap_spreads_the_messages_over_days(tstore, smtp):
    box, port = smtp()
    thank.set_daily_cap(tstore, 2)
    first = thank.run(tstore, "shop", cfg=smtp_config(port), wait=5, now=NOW)
    assert first["sent"] == 2 and first["over_cap"] == 1
    assert sorted(r for rcpt, _ in box.messages for r in rcpt) == ["anna@example.nl", "bob@example.com"]  # oldest first
    same_day = thank.run(tstore, "shop", cfg=smtp_config(port), wait=5, now=NOW + dt.timedelta(hours=8))
    assert same_day["queued"] == 0 and same_day["over_cap"] == 1 and len(box.messages) == 2
    next_day = thank.run(tstore, "shop", cfg=smtp_config(port), wait=5, now=NOW + dt.timedelta(days=1))
    assert next_day["sent"] == 1 and box.to("eve@example.com")
    with pytest.raises(ValueError):
        thank.set_daily_cap(tstore, -1)


def test_thank_templates_are_checked_saved_and_previewed(tstore):
    with pytest.raises(ValueError, match="unknown placeholder"):
        thank.save_template(tstore, "en", "Thanks {email}", "Hi")
    with pytest.raises(ValueError, match="unknown placeholder"):
        thank.save_template(tstore, "en", "Thanks", "Hi {first_name.__class__}")
    thank.save_template(tstore, "en", "Thanks {first_name}", "Hi {first_name}, {product} at {touchpoint}.")
    preview = {m["response_id"]: m for m in thank.preview(tstore, "shop", now=NOW)}
    assert set(preview) == set(SENT)
    assert preview["p7"]["subject"] == "Thanks Eve Bcc: spy@example.org"
    assert preview["p7"]["body"] == "Hi Eve\nBcc: spy@example.org, Toaster at delivery."
    assert preview["p1"]["subject"] == "Bedankt, Anna!"  # Dutch keeps the default
    assert thank.optouts(tstore) == ["k5", "opted@example.nl"]


def test_thank_mail_server_refusing_then_accepting_gets_each_once(tstore, smtp):
    box, port = smtp(fail=1)
    first = thank.run(tstore, "shop", cfg=smtp_config(port), wait=0, now=NOW)
    assert first["failed"] == 3 and first["thanked"] == 0 and not box.messages
    assert loop.promoters(tstore, JUNE, include_thanked=True)["thanked_at"].notna().sum() == 1  # p6 only
    time.sleep(0.2)
    second = thank.run(tstore, "shop", cfg=smtp_config(port), wait=5, now=NOW)
    assert second["queued"] == 0 and second["sent"] == 3 and second["thanked"] == 3
    assert sorted(r for rcpt, _ in box.messages for r in rcpt) == sorted(SENT.values())
    assert sorted(box.tries.values()) == [2, 2, 2]



@pytest.mark.slow
def test_thank_two_concurrent_runs_send_each_once(tstore, smtp):
    box, port = smtp(delay=0.7, fail=1)
    runs = [run_cli(tstore.path, port, "thank", "--send", "--now", NOW.isoformat()) for _ in range(2)]
    results = [(r.wait(120), *r.communicate()) for r in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0 and codes[1] in (0, 3), results
    for code, out, err in results:
        if code == 3:
            assert "another thank run is in progress" in err
    assert sorted(r for rcpt, _ in box.messages for r in rcpt) == sorted(SENT.values())
    third = run_cli(tstore.path, port, "thank", "--send", "--now", NOW.isoformat())
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert json.loads(out)["queued"] == 0 and len(box.messages) == 3


@pytest.mark.slow
def test_thank_dry_run_on_the_demo_lists_the_promoters_with_an_address(demo_store, demo_frame):
    run = run_cli(demo_store.path, 1, "thank", "--dry-run")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    got = json.loads(out)
    last = demo_frame["responded_at"].max().date()
    day = demo_frame["responded_at"].dt.date
    window = demo_frame[(day >= last - dt.timedelta(days=7)) & (day <= last) & (demo_frame["score"] >= 9)]
    with_address = window[window["email"] != ""]
    assert 0 < len(with_address) <= thank.DEFAULT_CAP
    assert sorted(m["response_id"] for m in got["would_send"]) == sorted(with_address["response_id"])
    assert got["no_address"] == len(window) - len(with_address)
    first = got["would_send"][0]
    row = demo_frame.set_index("response_id").loc[first["response_id"]]
    assert first["to"] == row["email"] and row["first_name"] in first["subject"]
