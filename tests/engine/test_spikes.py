"""Spike alerts (nps_core/followup/spikes.py) on weeks built so the answer is known.

Nine ISO weeks, 2025-W04 to W12 (20 January to 23 March, a Sunday): W12 is
the last complete week and W04–W11 its baseline. Each week 120 responses,
half at the shop, half on the phone. In the baseline weeks delivery is
mentioned in 6 comments of 120 (5 %), in W12 in 36 (30 %): a planted spike.
Price is mentioned in 24 of 120 every week (20 %): steady. The phone's NPS
collapses in W12 (every phone response a 2); the shop's scores are the same
every week.
"""

import datetime as dt
import math

import pytest
from conftest import write_csv

from nps_core.analysis.significance import binomial_upper
from nps_core.db.store import Store
from nps_core.followup import channels, outbox, spikes
from nps_core.ingest.importer import import_file

D = dt.date
FIRST_MONDAY = D(2025, 1, 20)  # W04
WEEKS = 9
SCORES = (10, 9, 8, 7, 6, 3, 9, 10, 5, 8)


def week_rows(week: int) -> list[dict]:
    spike = week == WEEKS - 1
    delivery = 36 if spike else 6
    rows = []
    for i in range(120):
        touchpoint = ("shop", "phone")[i % 2]
        comment = ("De bezorging was te laat." if i < delivery else "De prijs is hoog." if i < delivery + 24
                   else "Prima.")
        day = FIRST_MONDAY + dt.timedelta(weeks=week, days=i % 7)
        rows.append({"response_id": f"w{week}r{i}", "responded_at": f"{day} 12:00",
                     "score": 2 if spike and touchpoint == "phone" else SCORES[i // 2 % 10],
                     "comment": comment, "touchpoint": touchpoint})
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("spikes")
    path = tmp / "nps.duckdb"
    store = Store(path)
    import_file(store, write_csv(tmp / "weeks.csv", [r for w in range(WEEKS) for r in week_rows(w)]),
                dataset="weeks", nps_type="transaction")
    return path


@pytest.fixture
def store(built, tmp_path):
    """A private copy: the outbox tests write to it."""
    copy = tmp_path / "nps.duckdb"
    copy.write_bytes(built.read_bytes())
    return Store(copy, lock_timeout=10)


def test_the_planted_spikes_are_found_and_the_steady_ones_are_not(store):
    found = spikes.find(store, "weeks", today=D(2030, 1, 1))
    assert found["week"] == "2025-W12" and (found["from"], found["to"]) == (D(2025, 3, 17), D(2025, 3, 23))
    assert (found["baseline_from"], found["baseline_to"]) == (D(2025, 1, 20), D(2025, 3, 16))
    subjects = set(found["spikes"]["subject"])
    assert {"theme:delivery", "touchpoint=phone"} <= subjects
    assert "theme:price_value" not in subjects and "touchpoint=shop" not in subjects
    delivery = found["spikes"].set_index("subject").loc["theme:delivery"]
    assert (delivery["value"], delivery["baseline"]) == pytest.approx((36 / 120, 48 / 960))
    # the binomial tail by hand: P(X >= 36), X ~ Binomial(120, 0.05)
    by_hand = sum(math.comb(120, k) * 0.05 ** k * 0.95 ** (120 - k) for k in range(36, 121))
    assert delivery["p"] == pytest.approx(by_hand, rel=1e-9)


def test_binomial_tail_against_the_sum_of_its_terms():
    for k, n, p in ((0, 10, 0.3), (3, 10, 0.3), (10, 10, 0.3), (7, 40, 0.05), (24, 120, 0.2)):
        assert binomial_upper(k, n, p) == pytest.approx(
            sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1)), rel=1e-9)
    assert binomial_upper(5, 10, 0.0) == 0.0


def test_a_week_still_running_is_not_judged(store):
    # "today" is Wednesday 19 March: W12 runs on, so W11 (no spike) is the week judged
    found = spikes.find(store, "weeks", today=D(2025, 3, 19))
    assert found["week"] == "2025-W11"
    assert found["spikes"].empty


def test_each_spike_is_sent_once_across_runs(store, webhook, monkeypatch):
    monkeypatch.setattr(outbox, "BACKOFF", 0.05)
    hook = webhook()
    cfg = channels.Config(webhooks={"default": hook.url})
    today = D(2030, 1, 1)
    dry = spikes.run(store, "weeks", today=today, dry_run=True, cfg=cfg)
    found = spikes.find(store, "weeks", today=today)
    expected = {spikes.spike_id("weeks", s, "2025-W12", "webhook") for s in found["spikes"]["subject"]}
    assert {r["alert_id"] for r in dry["would_send"]} == expected  # the default rule's channel: webhook
    assert outbox.messages(store, "weeks", kind="spike").empty  # a dry run records nothing

    first = spikes.run(store, "weeks", today=today, cfg=cfg, wait=5)
    assert first["queued"] == first["sent"] == len(expected) and first["failed"] == 0
    assert sorted(hook.acked) == sorted(expected)
    text = dict(hook.received)[spikes.spike_id("weeks", "theme:delivery", "2025-W12", "webhook")]["text"]
    assert "30" in text and "2025-W12" in text

    again = spikes.run(store, "weeks", today=today, cfg=cfg, wait=5)
    assert again["queued"] == again["sent"] == 0
    assert len(hook.received) == len(expected)  # nothing sent twice
    assert spikes.run(store, "weeks", today=today, dry_run=True, cfg=cfg)["would_send"] == []
    assert set(outbox.messages(store, "weeks", kind="spike")["status"]) == {"sent"}
