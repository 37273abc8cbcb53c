"""Alert rules, cases with their history, promoters to thank, and the
closed-loop figures against a hand computation on a small fixture."""

import datetime as dt
import io

import duckdb
import pandas as pd
import pytest
from conftest import write_csv

from nps_core.analysis.filters import Filters
from nps_core.db import store as store_module
from nps_core.followup import alerts, loop
from nps_core.ingest.importer import import_file

T = dt.datetime
NEGATIVE = "Awful, terrible service. I hate it, the worst ever."
# id, when, score, comment, customer, touchpoint
ROWS = [
    ("c1", "2025-03-01 10:00", 2, "Slow", "K1", "shop"),
    ("c2", "2025-03-02 09:00", 0, "Bad", "K2", "contact centre"),
    ("c3", "2025-03-03 09:00", 1, "No", "K3", "shop"),
    ("c4", "2025-03-04 08:00", 5, NEGATIVE, "K4", "contact centre"),  # critical by its tone
    ("c5", "2025-03-05 09:00", 3, "Meh", "K5", "shop"),
    ("c6", "2025-03-06 08:00", 1, "Broken", "K7", "shop"),
    ("n1", "2025-03-06 09:00", 5, "It was okay I guess, but the waiting time on the phone was long", "K8",
     "contact centre"),  # detractor, not critical by default
    ("p1", "2025-03-07 09:00", 10, "=HYPERLINK(\"http://x\")", "K6", "shop"),
    ("p2", "2025-03-08 09:00", 9, "Lovely", None, "shop"),  # no customer id: nobody to thank
    ("k2a", "2025-03-03 12:00", 4, None, "K2", "shop"),  # K2 answers again before the call-back
    ("k1b", "2025-03-20 10:00", 9, None, "K1", "shop"),  # K1 after the call-back
    ("k2b", "2025-03-25 10:00", 7, None, "K2", "shop"),  # K2 after the call-back
    ("k3b", "2025-03-26 10:00", 10, None, "K3", "shop"),  # K3 was never called
]
MARCH = Filters(dataset="f", date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31))
# the follow-up: (case, status, at)
EVENTS = [
    ("c1", "contacted", T(2025, 3, 1, 15)),  # 5 h
    ("c1", "resolved", T(2025, 3, 2, 15)),
    ("c2", "contacted", T(2025, 3, 4, 21)),  # 60 h
    ("c3", "no_action", T(2025, 3, 3, 10)),
    ("c4", "contacted", T(2025, 3, 5, 14)),  # 30 h
    ("c6", "resolved", T(2025, 3, 6, 18)),  # 10 h, resolved at once
]


@pytest.fixture
def fstore(store, tmp_path):
    rows = [{"response_id": i, "responded_at": w, "score": s, "comment": c or "", "nps_type": "transaction",
             "touchpoint": tp, "customer_id": cu or "", "store": "Utrecht" if i in ("c2", "c4") else "Delft"}
            for i, w, s, c, cu, tp in ROWS]
    import_file(store, write_csv(tmp_path / "f.csv", rows), dataset="f")
    return store


def follow(store):
    for rid, status, at in EVENTS:
        loop.update_case(store, "f", rid, status, "Sanne", None, "Sanne", at=at,
                         root_cause="waiting_time" if status in loop.CLOSED else None)


def test_default_rule_finds_low_scores_and_very_negative_detractors(fstore):
    found = loop.cases(fstore, MARCH, statuses=loop.STATUSES, limit=100)
    assert list(found["response_id"]) == ["c6", "c5", "c4", "c3", "c2", "c1"]  # newest first
    assert {tuple(r) for r in found["rules"]} == {("critical",)}


def test_loop_figures_match_a_hand_computation(fstore):
    follow(fstore)
    got = loop.loop_figures(fstore, MARCH, now=T(2025, 4, 1))
    assert got["critical"] == 6 and got["due"] == 6
    assert got["contacted_48h"] == 3 and got["share_48h"] == pytest.approx(3 / 6)  # c1, c4, c6
    assert got["contacted"] == 4 and got["median_hours_to_contact"] == pytest.approx((10 + 30) / 2)
    assert got["resolved"] == 2 and got["resolved_share"] == pytest.approx(2 / 6)  # c1, c6
    # c1 -> K1 answers 9; c2 -> K2's first answer after the call is 7 (the 4 came before it)
    assert got["called_back_answered"] == 2
    assert got["later_mean_score"] == pytest.approx(8.0) and got["later_nps"] == pytest.approx(50.0)
    assert got["before_mean_score"] == pytest.approx(1.0)
    # two days after c4 answered, c5 and c6 are not due yet: c1 and c4 of c1..c4 within 48 h
    early = loop.loop_figures(fstore, MARCH, now=T(2025, 3, 6, 12))
    assert early["due"] == 4 and early["contacted_48h"] == 2


def test_rules_filter_on_themes_types_and_any_column(fstore):
    rule = alerts.Rule(name="Utrecht", recipient="Store manager", channel="manager@example.com",
                       score_min=0, score_max=6, dims=(("store", ("Utrecht",)),))
    alerts.save_rule(fstore, rule, "f")
    found = loop.cases(fstore, MARCH, statuses=loop.STATUSES, limit=100).set_index("response_id")
    assert list(found.loc["c2", "rules"]) == ["Utrecht", "critical"] and list(found.loc["c4", "rules"]) == [
        "Utrecht", "critical"]
    assert list(found.loc["c1", "rules"]) == ["critical"]

    only_product = alerts.Rule(name="product only", recipient="x", channel="webhook", score_min=0, score_max=10,
                               nps_types=("product",))
    alerts.save_rule(fstore, only_product, "f")  # every fixture response is a transaction: nothing new
    waiting = alerts.Rule(name="cc waiting", recipient="CC lead", channel="webhook:cc", score_min=0, score_max=6,
                          themes=("waiting_time",), nps_types=("transaction",),
                          dims=(("touchpoint", ("contact centre",)),))
    alerts.save_rule(fstore, waiting, "f")
    found = loop.cases(fstore, MARCH, statuses=loop.STATUSES, limit=100).set_index("response_id")
    assert len(found) == 7 and list(found.loc["n1", "rules"]) == ["cc waiting"]


@pytest.mark.parametrize("change, message", [
    ({"dims": (('store" OR 1=1 --', ("x",)),)}, "unknown column"),
    ({"channel": "slack"}, "channel"),
    ({"score_min": 5, "score_max": 2}, "score range"),
    ({"themes": ("weather",)}, "unknown theme"),
    ({"recipient": " "}, "recipient"),
    ({"name": "critical"}, "exists already"),
])
def test_bad_rules_are_refused_with_a_reason(fstore, change, message):
    rule = alerts.Rule(**{"name": "new", "recipient": "me", "channel": "webhook", **change})
    with pytest.raises(ValueError, match=message):
        alerts.save_rule(fstore, rule, "f")


def test_case_history_is_append_only_and_the_latest_change_counts(fstore):
    loop.update_case(fstore, "f", "c5", "contacted", "Lotte", "left a voicemail", "Lotte", at=T(2025, 3, 5, 12))
    loop.update_case(fstore, "f", "c5", "resolved", "Lotte", "refund agreed", "Jeroen", at=T(2025, 3, 6, 9),
                     root_cause="product_quality")
    hist = loop.history(fstore, "f", "c5")
    assert list(hist["status"]) == ["contacted", "resolved"] and list(hist["changed_by"]) == ["Lotte", "Jeroen"]
    open_ids = set(loop.cases(fstore, MARCH)["response_id"])
    assert "c5" not in open_ids and {"c1", "c6"} <= open_ids
    # overdue at noon on 4 March: c1 and c2 (48 hours passed, no contact); c3, c4, c6 still have time
    assert loop.case_counts(fstore, MARCH, T(2025, 3, 4, 12)) == {
        "new": 5, "contacted": 0, "resolved": 1, "no_action": 0, "overdue": 2}
    with pytest.raises(ValueError, match="who"):
        loop.update_case(fstore, "f", "c5", "new", None, None, " ")
    with pytest.raises(ValueError, match="unknown status"):
        loop.update_case(fstore, "f", "c5", "closed", None, None, "me")


def test_promoters_to_thank_export_safely_and_are_marked_once(fstore):
    assert loop.promoter_count(fstore, MARCH) == 3  # p1, k1b, k3b (p2 has no customer id)
    csv = pd.read_csv(io.BytesIO(loop.export_promoters(fstore, MARCH, "csv")), encoding="utf-8-sig")
    assert csv.loc[csv["response_id"] == "p1", "comment"].item() == "'=HYPERLINK(\"http://x\")"
    xlsx = pd.read_excel(io.BytesIO(loop.export_promoters(fstore, MARCH, "xlsx")))
    assert sorted(xlsx["customer_id"]) == ["K1", "K3", "K6"]
    assert xlsx.loc[xlsx["response_id"] == "p1", "comment"].item().startswith("'=")
    assert loop.mark_thanked(fstore, MARCH, "Sanne") == 3
    assert loop.promoter_count(fstore, MARCH) == 0 and loop.mark_thanked(fstore, MARCH, "Sanne") == 0
    assert loop.promoters(fstore, MARCH, include_thanked=True)["thanked_at"].notna().all()


def test_a_database_from_before_the_follow_up_gets_its_tables(fstore):
    con = duckdb.connect(str(fstore.path))
    con.execute("DROP TABLE alert_rules; DROP TABLE case_events; DROP TABLE promoter_thanks; DROP TABLE alert_outbox")
    con.close()
    store_module._SCHEMA_CURRENT.clear()  # as a new process would
    assert loop.case_counts(fstore, MARCH)["new"] == 6  # the default rule is back
