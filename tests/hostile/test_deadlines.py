"""Case deadlines: a first-contact deadline per rule, overdue cases, one
escalation per overdue case to the rule's second recipient (real webhook and
SMTP receivers), a root cause required to close a case, and a case reopened
when its customer answers again with a low score. Expected values by hand."""

import datetime as dt
import time

import pytest
from conftest import write_csv

from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.followup import alerts, channels, loop, notify
from nps_core.ingest.importer import import_file

T = dt.datetime
# id, when, score, customer, touchpoint
ROWS = [
    ("a1", "2025-06-20 09:00", 1, "K1", "contact centre"),  # default rule and "cc" (4 h): due 20 June 13:00
    ("a2", "2025-06-21 10:00", 2, "K2", "shop"),  # default rule (48 h): due 23 June 10:00
    ("a3", "2025-06-22 11:00", 0, "K3", "shop"),  # contacted in time
    ("a4", "2025-06-22 12:00", 3, "K4", "shop"),  # closed (no action), then K4 answers 4: reopened
    ("a5", "2025-06-22 13:00", 2, "K5", "shop"),  # resolved, then K5 answers 8: stays closed
    ("a4b", "2025-06-25 12:00", 4, "K4", "shop"),
    ("a5b", "2025-06-25 13:00", 8, "K5", "shop"),
]
JUNE = Filters(dataset="d", date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))


@pytest.fixture
def dstore(tmp_path):
    rows = [{"response_id": i, "responded_at": w, "score": s, "comment": "", "nps_type": "transaction",
             "customer_id": cu, "touchpoint": tp} for i, w, s, cu, tp in ROWS]
    store = Store(tmp_path / "deadlines.duckdb", lock_timeout=10)
    import_file(store, write_csv(tmp_path / "d.csv", rows), dataset="d")
    [default] = alerts.list_rules(store)
    alerts.save_rule(store, alerts.Rule(**{**default.__dict__, "escalate_to": "team-lead@example.com"}))
    alerts.save_rule(store, alerts.Rule(name="cc", recipient="Contact centre", channel="webhook", score_min=0,
                                        score_max=6, dims=(("touchpoint", ("contact centre",)),), contact_hours=4))
    loop.update_case(store, "d", "a3", "contacted", "Sanne", None, "Sanne", at=T(2025, 6, 22, 15))
    loop.update_case(store, "d", "a4", "no_action", "Sanne", "no phone number", "Sanne", at=T(2025, 6, 23, 9),
                     root_cause="delivery")
    loop.update_case(store, "d", "a5", "resolved", "Sanne", "refund", "Sanne", at=T(2025, 6, 23, 9),
                     root_cause="product_quality")
    return store


def _by_id(store, now):
    return loop.cases(store, JUNE, statuses=loop.STATUSES, limit=100, now=now).set_index("response_id")


def test_deadline_is_the_shortest_of_the_rules_that_fired(dstore):
    cases = _by_id(dstore, T(2025, 6, 20, 12))
    assert cases.loc["a1", "deadline"] == T(2025, 6, 20, 13)  # "cc": 4 h
    assert cases.loc["a2", "deadline"] == T(2025, 6, 23, 10)  # default: 48 h
    assert not cases["overdue"].any()
    late = _by_id(dstore, T(2025, 6, 23, 11))
    assert sorted(late.index[late["overdue"]]) == ["a1", "a2"]  # a3 was contacted in time
    assert loop.case_counts(dstore, JUNE, T(2025, 6, 23, 11))["overdue"] == 2
    with pytest.raises(ValueError, match="deadline"):
        alerts.save_rule(dstore, alerts.Rule(name="x", recipient="me", channel="webhook", contact_hours=0))
    with pytest.raises(ValueError, match="channel"):
        alerts.save_rule(dstore, alerts.Rule(name="x", recipient="me", channel="webhook", escalate_to="boss"))


def test_deadline_of_a_case_reopened_by_a_new_low_answer(dstore):
    cases = _by_id(dstore, T(2025, 6, 26, 12))
    assert cases.loc["a4", "status"] == "new" and cases.loc["a4", "reopened"]  # K4 answered 4 after the close
    assert cases.loc["a5", "status"] == "resolved" and not cases.loc["a5", "reopened"]  # K5 answered 8
    assert cases.loc["a4", "deadline"] == T(2025, 6, 27, 12)  # 48 h from the new answer
    assert not cases.loc["a4", "overdue"]
    assert _by_id(dstore, T(2025, 6, 27, 13)).loc["a4", "overdue"]
    # the team picks it up again: no longer reopened, no longer overdue
    loop.update_case(dstore, "d", "a4", "contacted", "Lotte", "called again", "Lotte", at=T(2025, 6, 26, 14))
    again = _by_id(dstore, T(2025, 6, 27, 13)).loc["a4"]
    assert (again["status"], again["reopened"], again["overdue"]) == ("contacted", False, False)


def test_closing_a_case_needs_a_root_cause_theme(dstore):
    with pytest.raises(ValueError, match="root cause"):
        loop.update_case(dstore, "d", "a2", "resolved", "Sanne", None, "Sanne")
    with pytest.raises(ValueError, match="unknown theme"):
        loop.update_case(dstore, "d", "a2", "no_action", "Sanne", None, "Sanne", root_cause="weather")
    loop.update_case(dstore, "d", "a2", "contacted", "Sanne", None, "Sanne", root_cause="delivery")
    loop.update_case(dstore, "d", "a2", "resolved", "Sanne", None, "Sanne", root_cause="waiting_time")
    hist = loop.history(dstore, "d", "a2")
    assert list(hist["status"]) == ["contacted", "resolved"]
    assert hist["root_cause"].isna().iloc[0] and hist["root_cause"].iloc[1] == "waiting_time"  # kept on closing only




def test_escalation_of_overdue_cases_is_sent_once_to_the_second_recipient(dstore, webhook, smtp, quick_retries):
    web, (box, port) = webhook(), smtp(fail=1)  # the team lead's mail server refuses each message once
    cfg = channels.Config(webhooks={"default": web.url}, smtp_host="127.0.0.1", smtp_port=port,
                        smtp_from="nps@example.com")
    dry = notify.run(dstore, "d", days=7, dry_run=True, cfg=cfg)
    # overdue now (2026 or later): a1, a2 and the reopened a4; a3 was contacted, a5 is closed
    assert sorted(e["response_id"] for e in dry["would_escalate"]) == ["a1", "a2", "a4"]
    assert {e["channel"] for e in dry["would_escalate"]} == {"team-lead@example.com"}

    first = notify.run(dstore, "d", days=7, cfg=cfg, wait=0)
    assert first["escalations"] == 3 and not box.messages  # refused once: retried by the next run
    time.sleep(0.2)
    second = notify.run(dstore, "d", days=7, cfg=cfg, wait=5)
    assert second["escalations"] == 0
    assert len(box.messages) == 3 and sorted(box.tries.values()) == [2, 2, 2]
    subjects = sorted(m["Subject"] for _, m in box.messages)
    assert all(s.startswith("Overdue: ") or s.startswith("Over tijd: ") for s in subjects)
    a1 = next(m for _, m in box.messages
              if m["Message-ID"] == f"<{notify.alert_id('d', 'a1', 'escalate:team-lead@example.com')}@nps-dashboard>")
    assert "2025-06-20 13:00" in a1.get_content()  # the deadline that passed
    third = notify.run(dstore, "d", days=7, cfg=cfg, wait=5)
    assert third["escalations"] == 0 and third["sent"] == 0 and len(box.messages) == 3
    # the alerts themselves went to the webhook once each, separately from the escalations
    assert sorted(web.acked) == sorted({k for k, _ in web.received})


def test_deadline_overdue_cases_highlighted_and_root_cause_asked_on_the_page(app_db):
    from apptest_support import rerun, start

    from nps_core.base.i18n import fmt_int, t

    at = start("cases", lang="en")
    assert not at.exception and not at.error
    dec = Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
    shown = loop.cases(app_db, dec, limit=10, now=dt.datetime.now())
    overdue = loop.case_counts(app_db, dec, dt.datetime.now())["overdue"]
    # the demo's December cases are long past 48 hours, none was contacted yet
    assert overdue == loop.case_counts(app_db, dec)["new"] > 0 and shown["overdue"].all()
    assert t("fu_overdue_count", "en", n=fmt_int(overdue, "en")) in [w.value for w in at.warning]
    badges = [m.value for m in at.markdown if m.value.startswith(":red-badge[:material/alarm:")]
    assert len(badges) == len(shown)

    key = f"demo:{shown['response_id'].iloc[0]}"
    at.text_input(key="fu_who").input("Lotte")
    at.selectbox(key="st:" + key).set_value("resolved")
    at.button(key="save:" + key).click()
    rerun(at)
    assert not at.exception and any("root cause" in w.value for w in at.warning)
    assert loop.history(app_db, "demo", key.split(":")[1]).empty  # nothing saved
    at.selectbox(key="st:" + key).set_value("resolved")
    at.selectbox(key="rc:" + key).set_value("delivery")
    at.button(key="save:" + key).click()
    rerun(at)
    assert not at.exception and not at.error
    hist = loop.history(app_db, "demo", key.split(":")[1])
    assert list(hist[["status", "root_cause", "changed_by"]].itertuples(index=False, name=None)) == [
        ("resolved", "delivery", "Lotte")]
