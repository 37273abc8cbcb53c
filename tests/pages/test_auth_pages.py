"""Sign-in, roles and scopes on the pages (AppTest).

AppTest cannot follow the OpenID Connect redirects (tests/e2e/test_e2e_login.py
does, in Chromium); here the identity token's claims are given to the app as
`st.user` (AppTest.user), which is what Streamlit's sign-in feeds, and the
real access file turns them into a role and a scope.
"""

import datetime as dt
import os

import pytest
from apptest_support import rerun
from conftest import ROOT, write_csv
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from nps_core.analysis import aggregates as agg
from nps_core.analysis import verbatims
from nps_core.analysis.filters import Filters
from nps_core.base.access import Access
from nps_core.base.i18n import fmt_int, fmt_nps, t
from nps_core.db import audit
from nps_core.db.store import Store
from nps_core.followup import loop
from nps_core.ingest.importer import import_file

D = dt.date
DEC = Filters(dataset="demo", date_from=D(2025, 12, 1), date_to=D(2025, 12, 31))
YEAR = Filters(dataset="demo", date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
NOORD = ("region", ["Noord"])

ACCESS = """
[default]
role = "viewer"
datasets = []

[[rule]]
group = "cx-admins"
role = "admin"
datasets = ["*"]

[users."analyst@example.com"]
role = "analyst"
datasets = ["*"]

[users."viewer@example.com"]
role = "viewer"
datasets = ["*"]

[users."noord@example.com"]
role = "viewer"
datasets = ["demo"]
scope = { region = ["Noord"] }
"""
ADMIN = {"email": "boss@example.com", "name": "Bo Baas", "groups": ["cx-admins"]}
ANALYST = {"email": "analyst@example.com", "name": "Ann Analist"}
VIEWER = {"email": "viewer@example.com", "name": "Vera Kijker"}
SCOPED = {"email": "noord@example.com", "name": "Noor Noordhuis"}
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 40,
        "client_id": "nps", "client_secret": "s", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture
def access_file(tmp_path, monkeypatch):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("NPS_ACCESS_FILE", str(path))
    return path


@pytest.fixture
def app(app_db, access_file, tmp_path):
    """The demo plus a dataset "other" that the scoped viewer may not see."""
    rows = [{"response_id": f"o{i}", "responded_at": "2025-12-10 10:00", "score": 0, "comment": "geheim",
             "nps_type": "relationship", "region": "Noord"} for i in range(40)]
    import_file(app_db, write_csv(tmp_path / "other.csv", rows), dataset="other")
    return app_db


def as_user(claims: dict | None, page: str = "", **query) -> AppTest:
    """The app with sign-in configured, run once as the person with these claims (None: signed out)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, **claims} if claims else {"is_logged_in": False}
    for key, value in query.items():
        at.query_params[key] = value
    at._nps_page = page
    return rerun(at)


def nps_metric(at) -> str:
    return next(m.value for m in at.metric if m.label == "NPS")


def test_login_page_when_signed_out(app):
    at = as_user(None, lang="en")
    assert [b.label for b in at.button] == [t("sign_in", "en")]
    assert at.title[0].value == t("sign_in_title", "en")
    assert not at.metric and not at.sidebar.selectbox  # nothing of the data before sign-in


def test_auth_sidebar_shows_identity_role_and_scope(app):
    at = as_user(SCOPED, lang="en")
    box = " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert "Noor" in box and t("role_viewer", "en") in box and "Region: Noord" in box
    assert t("sign_out", "en") in [b.label for b in at.sidebar.button]


def test_auth_local_use_says_no_sign_in(app_db):
    from apptest_support import start
    at = start("", lang="en")
    assert any(t("local_use", "en") in c.value for c in at.sidebar.caption)
    assert not [b for b in at.sidebar.button if b.label == t("sign_out", "en")]


def test_scope_viewer_page_by_page_sees_the_scope_not_the_whole(app, demo_frame):
    dec = demo_frame[(demo_frame.responded_at >= "2025-12-01") & (demo_frame.responded_at < "2026-01-01")]
    noord = dec[dec.region == "Noord"]
    by_hand = 100 * ((noord.score >= 9).mean() - (noord.score <= 6).mean())
    at = as_user(SCOPED, lang="en")
    assert nps_metric(at) == fmt_nps(by_hand, "en") != fmt_nps(agg.summary(app, DEC).nps, "en")
    assert at.sidebar.multiselect(key="dim:region").options == ["Noord"]
    assert not at.sidebar.selectbox(key="lang_select") is None and not any(
        s.key == "dataset_select" for s in at.sidebar.selectbox)  # "other" is not offered

    year_noord = YEAR.with_dim(*NOORD)
    at = as_user(SCOPED, "drilldown", lang="en", period="year")
    expected = agg.breakdown(app, year_noord, "touchpoint")
    assert list(at.dataframe[0].value["NPS"]) == [fmt_nps(v, "en") for v in expected["nps"]]

    at = as_user(SCOPED, "comments", lang="en", period="year")
    year = demo_frame[demo_frame.responded_at.dt.year == 2025]
    n_comments = int(((year.region == "Noord") & (year.comment != "")).sum())
    assert any(fmt_int(n_comments, "en") in m.value for m in at.markdown)
    assert set(verbatims.page(Store(app.path, access=Access(datasets=("demo",), dims=(("region", ("Noord",)),))),
                              YEAR, limit=n_comments + 5)["region"]) == {"Noord"}

    at = as_user(SCOPED, "cases", lang="en", period="year")
    counts = loop.case_counts(app, year_noord)
    assert any(fmt_int(sum(counts[s] for s in loop.STATUSES), "en") in m.value for m in at.markdown)

    for page in ("trend", "drivers", "value", "board"):
        at = as_user(SCOPED, page, lang="en", period="year")
        assert not at.exception and not at.error, page
        # the whole company's NPS for the year appears nowhere on the page
        whole = fmt_nps(agg.summary(app, YEAR).nps, "en")
        assert not any(m.value == whole for m in at.metric), page


def test_scope_url_parameters_cannot_widen_it(app):
    mine = agg.summary(app, DEC.with_dim(*NOORD))
    for query in ({"f.region": "West"}, {"dataset": "other"}, {"f.region": ["Noord", "West"]}):
        at = as_user(SCOPED, lang="en", **query)
        assert not at.exception
        assert nps_metric(at) == fmt_nps(mine.nps, "en"), query
        assert at.query_params.get("dataset") == "demo" and "West" not in str(at.query_params.get("f.region"))
    at = as_user(SCOPED, "comments", lang="en", dataset="other", period="all")
    assert "geheim" not in [x.value for x in at.text]


@pytest.mark.parametrize("page", ["import", "sources", "taxonomy", "trail"])
def test_role_viewer_cannot_open_privileged_pages_by_url(app, page):
    at = as_user(VIEWER, page, lang="en")
    assert at.title[0].value == t("overview", "en")  # not offered: the default page instead
    assert not at.get("file_uploader") and not at.get("download_button")


def test_role_viewer_gets_no_privileged_controls(app):
    at = as_user(VIEWER, "comments", lang="en", period="year")
    assert not at.get("download_button")  # no export of comments
    at = as_user(VIEWER, "cases", lang="en", period="year")
    keys = [b.key for b in at.button if b.key]
    assert not [k for k in keys if k.startswith("save:") or k in ("fu_mark", "fu_rule_save")]
    assert not at.get("download_button") and not [x for x in at.text_input if x.key == "fu_who"]
    # the same pages as an analyst do show them (so the check above can fail)
    at = as_user(ANALYST, "cases", lang="en", period="year")
    assert [b for b in at.button if (b.key or "").startswith("save:")]
    assert not [b for b in at.button if b.key == "fu_rule_save"]  # rules are the admin's


def _first_case_form(at):
    button = next(b for b in at.button if (b.key or "").startswith("save:"))
    key = button.key[len("save:"):]
    return button, key


def test_role_change_refuses_a_callback_from_a_page_drawn_before(app, access_file):
    """A person made viewer while the Follow-up page still shows the analyst's form:
    the form's callback is refused by the engine, nothing is recorded."""
    at = as_user(ANALYST, "cases", lang="en", period="year")
    button, key = _first_case_form(at)
    access_file.write_text(ACCESS.replace('[users."analyst@example.com"]\nrole = "analyst"',
                                          '[users."analyst@example.com"]\nrole = "viewer"'), encoding="utf-8")
    os.utime(access_file, (access_file.stat().st_mtime + 5,) * 2)
    before = loop.history(app, *key.split(":", 1))
    at.selectbox(key="st:" + key).set_value("resolved")
    at.button(key="save:" + key).click()
    rerun(at)
    assert loop.history(app, *key.split(":", 1)).equals(before)
    assert any(t("denied", "en", error="").split(":")[0] in e.value for e in at.error)


def test_audit_signed_in_case_change_is_attributed_to_the_identity(app):
    at = as_user(ANALYST, "cases", lang="en", period="year")
    assert not [x for x in at.text_input if x.key == "fu_who"]  # no "type your name"
    button, key = _first_case_form(at)
    dataset, rid = key.split(":", 1)
    at.selectbox(key="st:" + key).set_value("contacted")
    at.text_input(key="no:" + key).input("teruggebeld")
    at.button(key="save:" + key).click()
    rerun(at)
    assert not at.exception and not at.error, [e.value for e in at.error]
    hist = loop.history(app, dataset, rid)
    assert hist.iloc[-1]["changed_by"] == "analyst@example.com" and hist.iloc[-1]["note"] == "teruggebeld"

    at = as_user(ADMIN, "trail", lang="en")
    table = at.dataframe[0].value
    row = table[table[t("audit_action", "en")] == t("action_case_change", "en")].iloc[0]
    assert row[t("audit_who", "en")] == "analyst@example.com" and rid in row[t("audit_detail", "en")]
    assert len(at.get("download_button")) == 2
    assert audit.entries(Store(app.path)).iloc[0]["identity"] == "analyst@example.com"


@pytest.fixture
def wide_address():
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    yield
    st_config.set_option("server.address", before)


def test_auth_missing_refuses_a_non_loopback_address(app_db, wide_address, monkeypatch):
    from apptest_support import start
    monkeypatch.delenv("NPS_ALLOW_ANONYMOUS", raising=False)
    at = start("", lang="en")
    assert [e.value for e in at.error] == [t("anonymous_refused", "en")]
    assert not at.metric
    monkeypatch.setenv("NPS_ALLOW_ANONYMOUS", "1")  # on purpose
    at = start("", lang="en")
    assert not at.error and at.metric


def test_auth_signed_in_person_without_access_sees_no_data(app):
    at = as_user({"email": "stranger@elders.nl"}, lang="en")
    assert [i.value for i in at.info] == [t("no_access", "en")]
    assert not at.metric
