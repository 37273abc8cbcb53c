"""Sign-in for real: a real OpenID Connect provider on localhost
(oidc-provider-mock, Authlib's server side), the dashboard configured for it
in a secrets.toml as Streamlit documents it, and Chromium following the
redirects as an admin, an analyst and a viewer scoped to one region.

Screenshots of the signed-in sidebar and the scoped viewer's Overview go to docs/.
"""

import datetime as dt
import shutil

import pytest
from conftest import ARTIFACTS, ROOT, free_port
from oidc_provider_mock import User, run_server_in_thread
from test_auth_pages import ACCESS, ADMIN, ANALYST, SCOPED
from test_e2e import browser, metric, serve  # noqa: F401 - browser is a fixture

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_nps, t
from nps_core.db.store import Store

pytestmark = pytest.mark.e2e

DEC = Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
# the people of the AppTest tests, now as the provider's users (their claims go into the ID token)
PEOPLE = [User(sub=sub, claims=claims) for sub, claims in (("boss", ADMIN), ("ann", ANALYST), ("noor", SCOPED))]


@pytest.fixture(scope="module")
def signed_server(demo_db, tmp_path_factory):
    """The dashboard with sign-in through a provider on 127.0.0.1, both over plain http."""
    tmp = tmp_path_factory.mktemp("login")
    db = tmp / "nps.duckdb"
    shutil.copy(demo_db, db)
    (tmp / "access.toml").write_text(ACCESS, encoding="utf-8")
    with run_server_in_thread(port=free_port(), user_claims=PEOPLE) as provider:
        issuer = f"http://127.0.0.1:{provider.server_port}"
        port = free_port()
        # redirect_uri and the provider on loopback over http: Streamlit sets its identity
        # cookie without `Secure` and Authlib's client accepts http metadata, so no TLS is needed here
        (tmp / "secrets.toml").write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{'c0ffee' * 8}"
client_id = "nps-dashboard"
client_secret = "not-a-real-secret"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
""", encoding="utf-8")
        for url in serve(db, env={"NPS_ACCESS_FILE": str(tmp / "access.toml")},
                         args=["--secrets.files", str(tmp / "secrets.toml")], port=port):
            yield url, Store(db)


def sign_in(browser, url, sub):
    """A fresh browser (no cookies): the dashboard, Sign in, the provider's page, back signed in."""
    # a Dutch browser: a page without ?lang= (as after sign-out) speaks Dutch
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/?lang=en")
    page.get_by_role("button", name=t("sign_in", "en")).click(timeout=60_000)
    page.get_by_role("button", name=sub, exact=True).click(timeout=30_000)  # the provider's own page
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    page.goto(f"{url}/?lang=en")  # the sign-in returns to the home page; English for the checks
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    return page


def sidebar(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


def nav(page) -> str:
    return page.locator("[data-testid='stSidebarNav']").inner_text()


def test_login_required_before_any_data(signed_server, browser):
    url, _ = signed_server
    page = browser.new_page()
    page.goto(f"{url}/?lang=en")
    page.get_by_role("button", name=t("sign_in", "en")).wait_for(timeout=60_000)
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    page.close()


def test_login_as_admin_sees_everything_and_the_audit_trail(signed_server, browser):
    url, store = signed_server
    page = sign_in(browser, url, "boss")
    side = sidebar(page)
    assert "Bo Baas" in side and t("role_admin", "en") in side and t("scope_all", "en") in side
    assert metric(page, "NPS") == fmt_nps(agg.summary(store, DEC).nps, "en")
    for title in ("upload", "connect", "edit_themes", "audit"):
        assert t(title, "en") in nav(page)
    page.get_by_role("link", name=t("audit", "en")).click()
    page.get_by_text(t("audit_help", "en")).wait_for(timeout=60_000)
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "login-admin-audit.png"))
    page.context.close()


def test_login_as_analyst_may_upload_but_not_administer(signed_server, browser):
    url, _ = signed_server
    page = sign_in(browser, url, "ann")
    side = sidebar(page)
    assert "Ann Analist" in side and t("role_analyst", "en") in side
    links = nav(page)
    assert t("upload", "en") in links and t("edit_themes", "en") in links
    assert t("audit", "en") not in links
    page.context.close()


def test_login_as_scoped_viewer_sees_only_her_region(signed_server, browser):
    url, store = signed_server
    page = sign_in(browser, url, "noor")
    mine = agg.summary(store, DEC.with_dim("region", ["Noord"]))
    whole = agg.summary(store, DEC)
    assert metric(page, "NPS") == fmt_nps(mine.nps, "en") != fmt_nps(whole.nps, "en")
    side = sidebar(page)
    assert "Noor" in side and t("role_viewer", "en") in side and "Region: Noord" in side
    links = nav(page)
    for title in ("upload", "connect", "edit_themes", "audit"):
        assert t(title, "en") not in links
    page.screenshot(path=str(ROOT / "docs" / "scoped-viewer-overview-en.png"))
    page.locator("[data-testid='stSidebar']").screenshot(path=str(ROOT / "docs" / "signed-in-sidebar-en.png"))

    # a hand-made URL asking for another region (and a privileged page) widens nothing
    page.goto(f"{url}/?lang=en&f.region=West")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    assert metric(page, "NPS") == fmt_nps(mine.nps, "en")
    page.goto(f"{url}/import?lang=en")
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "login-viewer-import-refused.png"))

    page.goto(f"{url}/?lang=en")  # Streamlit's "page not found" notice covers the page: start again
    page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
    # sign-out ends the session at the provider too (Streamlit sends the browser to its end_session page)
    page.get_by_role("button", name=t("sign_out", "en")).click()
    page.get_by_role("button", name="End session").click(timeout=60_000)
    page.get_by_role("button", name=t("sign_in", "nl")).wait_for(timeout=60_000)  # back home, in the browser's language
    assert page.locator("[data-testid='stMetricValue']").count() == 0
    page.context.close()
