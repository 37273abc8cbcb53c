"""AppTest tests of the digest subscriptions page (url path "subscriptions")
and of the thank-you e-mail settings on the Follow-up page."""

import datetime as dt

import pytest
from apptest_support import rerun, start

from nps_core.analysis import periods
from nps_core.followup import thank
from nps_core.report import digest


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_digest_page_adds_a_subscription_and_lists_it_as_due(app_db, lang):
    at = start("subscriptions", lang=lang)
    assert not at.exception and not at.error
    assert at.title[0].value == {"nl": "Overzichten per e-mail", "en": "E-mail digests"}[lang]
    at.text_input(key="dgNone:to").input("not an address")
    at.button(key="dg_save").click()
    rerun(at)
    assert not at.exception and any("e-mail address" in e.value.replace("\\", "") for e in at.error)
    assert digest.list_subscriptions(app_db) == []

    at.text_input(key="dgNone:to").input("board@example.com")
    at.radio(key="dgNone:freq").set_value("monthly")
    at.radio(key="dgNone:lang").set_value("en")
    at.multiselect(key="dgNone:types").set_value(["transaction"])
    at.checkbox(key="dgNone:pdf").check()
    at.button(key="dg_save").click()
    rerun(at)
    assert not at.exception and not at.error
    [sub] = digest.list_subscriptions(app_db)
    assert (sub.recipient, sub.frequency, sub.lang, sub.nps_types, sub.attach_pdf, sub.dataset) == (
        "board@example.com", "monthly", "en", ("transaction",), True, "demo")
    subs, due = at.dataframe[0].value, at.dataframe[1].value
    assert list(subs.iloc[:, 0]) == ["board@example.com"]
    # due: the month before this one, as a key computed here; the demo's responses end on
    # 31 December 2025, so once that month is over, the demo's own last month (digest.period_for)
    today = dt.date.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    expected = last_month if last_month <= "2025-12" else "2025-12"
    assert list(due.iloc[:, 0]) == ["board@example.com"] and list(due.iloc[:, 2]) == [expected]
    assert periods.period_key("month", today.replace(day=1) - dt.timedelta(days=1)) == last_month


def test_thank_template_is_checked_saved_and_previewed_on_the_follow_up_page(app_db):
    at = start("cases", lang="nl")
    assert not at.exception and not at.error
    preview = thank.preview(app_db, None, 7, None, 3)
    assert preview and [e.value for e in at.text if e.value == preview[0]["subject"]]

    at.text_input(key="th_subject_nl").input("Dank {voornaam}")
    at.button(key="th_save").click()
    rerun(at)
    assert not at.exception and any("{voornaam}" in e.value.replace("\\", "") for e in at.error)
    assert thank.templates(app_db)["nl"][0] == "Bedankt, {first_name}!"  # nothing saved

    at.text_input(key="th_subject_nl").input("Dank je wel {first_name}")
    at.text_area(key="th_optout").input(preview[0]["to"].upper())
    at.number_input(key="th_cap").set_value(50)
    at.button(key="th_save").click()
    rerun(at)
    assert not at.exception and not at.error
    assert thank.templates(app_db)["nl"][0] == "Dank je wel {first_name}"
    assert thank.optouts(app_db) == [preview[0]["to"]] and thank.daily_cap(app_db) == 50
    captions = [c.value.replace("\\", "") for c in at.caption]  # md-escaped
    assert any(preview[1]["to"] in c for c in captions)
    assert not any(preview[0]["to"] in c for c in captions)  # opted out now
    assert any(e.value.startswith("Dank je wel ") for e in at.text)
