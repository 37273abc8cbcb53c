"""In Chromium (issue 15): the presentation view at projector size hides the
sidebar and keeps the page's own controls whole ("Quarter", not "Quarte");
every page's links and buttons are drawn whole at projector size; a drilled
Overview says so next to its headline."""

import pytest
from test_e2e import browser, server  # noqa: F401  (fixtures: the real app and Chromium)

pytestmark = pytest.mark.e2e


def _settled(page):
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)


def test_presentation_view_at_projector_size(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/?lang=en")  # a first request straight to a page can meet Streamlit's "page not found"
    _settled(page)
    page.goto(f"{url}/board?lang=en")
    _settled(page)
    assert page.locator("section[data-testid='stSidebar']").is_visible()
    page.get_by_text("Presentation view").click()
    page.get_by_text("Next").wait_for(timeout=60_000)
    _settled(page)
    assert not page.locator("section[data-testid='stSidebar']").is_visible()
    quarter = page.locator("[data-testid='stButtonGroup'] button", has_text="Quarter").first
    text = quarter.locator("p").first
    # the whole word is drawn: the label is not wider than the room it gets
    assert text.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert quarter.inner_text().strip() == "Quarter"
    page.close()


def test_drilled_overview_states_the_filter(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{url}/?lang=en&period=month&f.region=Noord")
    _settled(page)
    line = page.locator("[data-testid='stMarkdown']", has_text="Drilled into").first
    assert "Noord" in line.inner_text()
    page.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_tables_fit_at_projector_size(server, browser, lang):  # noqa: F811
    # at 1280 x 720 the themes table stood beside the priority matrix with its impact column cut off
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/?lang={lang}")
    _settled(page)
    page.goto(f"{url}/board?lang={lang}")
    _settled(page)
    # the report's last section is drawn and the script run has ended
    page.get_by_text("Over deze cijfers" if lang == "nl" else "About these figures").wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    # the URL's filters settle in a second run (period, dataset): wait for that run's tables
    page.wait_for_function("document.querySelectorAll(\"[data-testid='stTable']\").length >= 4", timeout=60_000)
    tables = page.locator("[data-testid='stTable']")
    assert tables.count() >= 4
    for i in range(tables.count()):
        box = tables.nth(i)
        box.scroll_into_view_if_needed()
        # the whole table is drawn: no column runs past the room the table gets
        assert box.evaluate("e => e.querySelector('table').getBoundingClientRect().width"
                            " <= e.getBoundingClientRect().width + 1"), box.inner_text()[:80]
    page.close()


PAGES = ("", "trend", "drilldown", "drivers", "taxonomy", "comments", "cases", "subscriptions", "value", "board",
         "import", "sources", "trail")
# the labels of the main pane's page links, buttons, button groups and metrics
LABELS = ("[data-testid='stMain'] [data-testid='stPageLink-NavLink'] p, [data-testid='stMain'] button p, "
          "[data-testid='stMain'] [data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_label_is_whole_at_projector_size(server, browser, lang):  # noqa: F811
    # "Change or add themes with example senter": a link's label cut at 1280 x 720
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    cut = []
    for path in PAGES:
        page.goto(f"{url}/{path}?lang={lang}")
        _settled(page)
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
        page.evaluate("document.fonts.ready.then(() => true)")  # measured in the page's own font
        cut += [f"{path or 'overview'}: {text}" for text in page.locator(LABELS).evaluate_all(
            "els => els.filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")]
    assert not cut, cut
    page.close()


# Every text of a Vega chart drawn (as SVG: present/charts.SVG) against every other text of the
# chart, and each data label against the marks (bars, whiskers, bubbles, lines). Left out, as a
# label may cross them: reference lines spanning half the chart or more, background shading (faint
# areas, such as the effort matrix's quadrants), and a cell a label sits wholly inside (a heatmap's count).
OVERLAPS = """charts => {
  const box = e => e.getBoundingClientRect();
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
                     && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const ancestors = (e, top) => { const up = []; while (e.parentElement && e !== top) up.push(e = e.parentElement); return up; };
  const out = [];
  for (const svg of charts) {
    const area = box(svg);
    if (!area.width) continue;  // on a tab not shown
    // drawn text only: Vega hides a label its overlap removal dropped with opacity 0
    const shown = t => [t, ...ancestors(t, svg)].every(e => parseFloat(getComputedStyle(e).opacity) > 0
                                                           && e.getAttribute('opacity') !== '0');
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && box(t).width > 0 && shown(t));
    const labels = texts.filter(t => t.closest('.role-mark'));
    const faint = m => [m, ...ancestors(m, svg)].some(e => parseFloat(e.getAttribute('opacity') ?? 1) < 0.2
                                                         || parseFloat(e.getAttribute('fill-opacity') ?? 1) < 0.2);
    const marks = [...svg.querySelectorAll('.role-mark:not(.mark-text) path, .role-mark:not(.mark-text) line')]
      .filter(m => { const r = box(m); return (r.width > 0 || r.height > 0) && !faint(m)
                                              && r.width < area.width / 2 && r.height < area.height / 2; });
    const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      if (hit(box(a), box(b))) out.push(`"${a.textContent}" on "${b.textContent}"`);
    }));
    labels.forEach(a => marks.forEach(m => {
      const cell = m.closest('.mark-rect') && inside(box(a), box(m));
      if (hit(box(a), box(m)) && !cell) out.push(`"${a.textContent}" on a ${m.closest('.role-mark').getAttribute('class')}`);
    }));
  }
  return out;
}"""


def chart_overlaps(page) -> list[str]:
    page.wait_for_timeout(800)  # Vega draws after the element appears
    return page.locator("[data-testid='stVegaLiteChart'] svg.marks").evaluate_all(OVERLAPS)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_chart_text_overlaps_at_projector_size_on_the_themes_page(server, browser, lang):  # noqa: F811
    # issue 30: the key drivers' percentages sat on their bars and whiskers, the priority matrix's names on each other
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/drivers?lang={lang}")
    _settled(page)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_selector("[data-testid='stVegaLiteChart'] svg.marks", timeout=60_000)
    found = [f"first screen: {o}" for o in chart_overlaps(page)]
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    assert tabs.count() == 9
    for i in range(tabs.count()):
        tabs.nth(i).click()
        found += [f"{tabs.nth(i).inner_text()}: {o}" for o in chart_overlaps(page)]
    assert not found, "\n".join(found)
    page.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_themes_first_screen_shows_what_to_fix_first_and_the_key_drivers(server, browser, lang):  # noqa: F811
    # issue 30: at 1280 x 720, without scrolling
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{url}/drivers?lang={lang}")
    _settled(page)
    page.wait_for_selector("[data-testid='stVegaLiteChart'] svg.marks", timeout=60_000)
    page.wait_for_timeout(800)
    for element in (page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").first,
                    page.locator("[data-testid='stMain'] [data-testid='stVegaLiteChart']").first):
        r = element.bounding_box()
        assert r and r["y"] >= 0 and r["y"] + r["height"] <= 720, r
    page.close()
