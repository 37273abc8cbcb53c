"""AppTest tests of the Follow-up page (url path "cases")."""

import datetime as dt

import pytest
from apptest_support import rerun, start
from conftest import write_csv

from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_int, fmt_pct, t
from nps_core.followup import alerts, loop
from nps_core.ingest.importer import import_file
from nps_core.jobs.demo import seed_followup

DEC_2025 = Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
HOSTILE = "<script>alert('x')</script> **bold** [link](javascript:alert(1))"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_page_shows_the_latest_critical_cases_and_the_loop_figures(app_db, lang):
    seed_followup(app_db)
    at = start("cases", lang=lang)
    assert not at.exception and not at.error
    assert at.title[0].value == {"nl": "Opvolging", "en": "Follow-up"}[lang]
    newest = loop.cases(app_db, DEC_2025, limit=10)
    shown = [e.value for e in at.text]
    assert shown[:len(newest)] == [c if isinstance(c, str) else "–" for c in newest["comment"]]
    figures = loop.loop_figures(app_db, DEC_2025)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[{"nl": "Binnen 48 uur gebeld", "en": "Contacted within 48 h"}[lang]] == fmt_pct(
        figures["share_48h"], lang)
    assert metrics[{"nl": "Opgelost", "en": "Resolved"}[lang]] == fmt_pct(figures["resolved_share"], lang)
    counts = loop.case_counts(app_db, DEC_2025)
    assert counts["new"] and counts["contacted"]  # the demo's latest days are open, earlier ones followed up
    line = t("fu_case_count", lang, n=fmt_int(sum(counts[s] for s in loop.STATUSES), lang),
             **{k: fmt_int(counts[k], lang) for k in loop.STATUSES})
    assert line in [m.value for m in at.markdown]


def hostile_dataset(store, tmp_path):
    rows = [
        {"response_id": "h1", "responded_at": "2025-05-02 10:00", "score": "1", "comment": HOSTILE,
         "customer_id": "K<b>1</b>", "touchpoint": "**shop**"},
        {"response_id": "h2", "responded_at": "2025-05-03 10:00", "score": "10", "comment": "=1+1 great",
         "customer_id": "K2", "touchpoint": "shop"},
    ]
    import_file(store, write_csv(tmp_path / "h.csv", rows), dataset="hostile", nps_type="transaction")


def test_verbatims_are_shown_literally(app_db, tmp_path):
    hostile_dataset(app_db, tmp_path)
    at = start("cases", lang="en", dataset="hostile")
    assert not at.exception and not at.error
    assert HOSTILE in [e.value for e in at.text]
    assert all("<script>" not in m.value for m in at.markdown)  # the context line is escaped


def test_status_changes_persist_across_app_restarts(app_db, tmp_path):
    hostile_dataset(app_db, tmp_path)
    at = start("cases", lang="en", dataset="hostile")
    key = "hostile:h1"
    at.selectbox(key="st:" + key).set_value("contacted")
    at.text_input(key="ow:" + key).set_value("Sanne")
    at.text_input(key="no:" + key).input("called, will call back")
    at.button(key="save:" + key).click()
    rerun(at)
    assert not at.exception
    assert loop.history(app_db, "hostile", "h1").empty  # nobody said who they are: nothing stored
    assert any("name" in w.value for w in at.warning)

    at.text_input(key="fu_who").input("Lotte")
    at.selectbox(key="st:" + key).set_value("contacted")
    at.text_input(key="ow:" + key).set_value("Sanne")
    at.text_input(key="no:" + key).input("called, will call back")
    at.button(key="save:" + key).click()
    rerun(at)
    assert not at.exception and not at.error

    fresh = start("cases", lang="en", dataset="hostile")  # a new session on the same database file
    assert fresh.selectbox(key="st:" + key).value == "contacted"
    assert fresh.text_input(key="ow:" + key).value == "Sanne"
    hist = loop.history(app_db, "hostile", "h1")
    assert list(hist[["status", "owner", "note", "changed_by"]].itertuples(index=False, name=None)) == [
        ("contacted", "Sanne", "called, will call back", "Lotte")]


def test_promoters_marked_as_thanked(app_db, tmp_path):
    hostile_dataset(app_db, tmp_path)
    at = start("cases", lang="nl", dataset="hostile")
    at.text_input(key="fu_who").input("Lotte")
    rerun(at)
    at.button(key="fu_mark").click()
    rerun(at)
    assert not at.exception and not at.error
    f = Filters(dataset="hostile", date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 5, 31))
    assert loop.promoter_count(app_db, f) == 0
    assert any("1 promoter gemarkeerd" in s.value for s in at.success)  # one: singular


def test_rules_are_edited_in_the_app(app_db):
    at = start("cases", lang="en")
    at.text_input(key="rNone:name").input("Delivery detractors")
    at.slider(key="rNone:score").set_value((0, 6))
    at.multiselect(key="rNone:themes").set_value(["delivery"])
    at.text_input(key="rNone:recipient").input("Logistics")
    at.text_input(key="rNone:channel").input("not a channel")
    at.button(key="fu_rule_save").click()
    rerun(at)
    assert not at.exception and any("channel" in e.value for e in at.error)  # a sentence, no traceback

    at.text_input(key="rNone:channel").input("logistics@example.com")
    at.button(key="fu_rule_save").click()
    rerun(at)
    assert not at.exception and not at.error
    saved = {r.name: r for r in alerts.list_rules(app_db)}["Delivery detractors"]
    assert (saved.score_min, saved.score_max, saved.themes, saved.channel) == (
        0, 6, ("delivery",), "logistics@example.com")
