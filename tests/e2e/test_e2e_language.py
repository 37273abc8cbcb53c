"""End-to-end: the app speaks the visitor's language (issue 30 item 2).

The real `streamlit run app.py` in Debian's Chromium, the browser set to a
language as a visitor's would be (Playwright's locale sets both
navigator.language and the Accept-Language header); no `lang` in the URL.
"""

import shutil

import pytest
from test_e2e import browser, serve  # noqa: F401  (fixture and server of the other end-to-end tests)

from nps_core.base.i18n import t

pytestmark = pytest.mark.e2e


def visit(browser, url, locale):  # noqa: F811
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url + "/")
    return context, page


def test_an_english_browser_on_a_fresh_install_gets_english_from_the_first_message(browser, tmp_path):  # noqa: F811
    # no database yet: the demo is loaded while the visitor waits, and the message says so in English
    for url in serve(tmp_path / "nps.duckdb", {"NPS_WARMUP": "0", "NPS_LANG": ""}):
        context, page = visit(browser, url, "en-GB")
        page.get_by_text(t("first_start", "en")).wait_for(timeout=60_000)
        page.locator("[data-testid='stMain'] h1", has_text=t("overview", "en")).wait_for(timeout=180_000)
        page.get_by_role("link", name=t("upload", "en")).wait_for(timeout=30_000)  # the navigation too
        assert page.get_by_text(t("first_start", "nl")).count() == 0
        assert "lang=en" in page.url  # kept in the URL: a reload or a shared link stays English
        context.close()


@pytest.mark.parametrize("locale, lang", [("nl-NL", "nl"), ("en-US", "en")])
def test_the_browser_language_decides_and_the_switch_stays_in_the_url(browser, demo_db, tmp_path, locale, lang):  # noqa: F811
    db = tmp_path / "nps.duckdb"
    shutil.copy(demo_db, db)
    for url in serve(db, {"NPS_WARMUP": "0", "NPS_LANG": ""}):
        context, page = visit(browser, url, locale)
        page.locator("[data-testid='stMain'] h1", has_text=t("overview", lang)).wait_for(timeout=60_000)
        page.get_by_role("link", name=t("upload", lang)).wait_for(timeout=30_000)
        other = "en" if lang == "nl" else "nl"
        # the sidebar switch: the other language, kept in the URL for the next visit
        page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']",
                     has_text=t("language", lang)).first.click()
        page.get_by_role("option", name={"nl": "Nederlands", "en": "English"}[other]).click()
        page.locator("[data-testid='stMain'] h1", has_text=t("overview", other)).wait_for(timeout=30_000)
        page.wait_for_url(f"**lang={other}**", timeout=10_000)
        page.reload()
        page.locator("[data-testid='stMain'] h1", has_text=t("overview", other)).wait_for(timeout=60_000)
        context.close()


def test_nps_lang_overrides_the_browser(browser, demo_db, tmp_path):  # noqa: F811
    db = tmp_path / "nps.duckdb"
    shutil.copy(demo_db, db)
    for url in serve(db, {"NPS_WARMUP": "0", "NPS_LANG": "nl"}):
        context, page = visit(browser, url, "en-GB")
        page.locator("[data-testid='stMain'] h1", has_text=t("overview", "nl")).wait_for(timeout=60_000)
        context.close()
