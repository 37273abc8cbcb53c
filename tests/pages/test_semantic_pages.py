"""AppTest tests of search by meaning on the Verbatims page and of the
discovered topics on the Themes page (issue 14), on the demo data."""

import datetime as dt

from apptest_support import rerun, start

from nps_core.analysis.discovery import discover, title
from nps_core.analysis.filters import Filters
from nps_core.analysis.search import search
from nps_core.analysis.verbatims import Query
from ui.plain import md_escape

YEAR_2025 = Filters(dataset="demo", date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))


def test_verbatims_search_by_meaning(app_db, demo_frame):
    at = start("comments", lang="en", period="year")
    at.segmented_control(key="vb_mode").set_value("meaning")
    at = rerun(at)
    assert not at.exception and any("Type a sentence" in i.value for i in at.info)
    at.text_input(key="vb_search").set_value("lang in de wacht aan de telefoon")
    at.multiselect(key="vb_cats").set_value(["detractor"])
    at = rerun(at)
    assert not at.exception and not at.error
    shown = [t.value for t in at.text]  # each card's whole comment, under "more"
    hits = search(app_db, YEAR_2025, "lang in de wacht aan de telefoon", 25, Query(categories=("detractor",)))
    assert shown == list(hits["comment"])
    assert len(shown) == 25
    # read by hand: the closest six are about waiting for customer service, in both languages
    assert all(any(w in c.lower() for w in ("wacht", "telefo", "phone")) for c in shown[:6])
    assert any("waited" in c.lower() and "phone" in c.lower() for c in shown[:6])
    detractors = set(demo_frame.loc[demo_frame["score"] <= 6, "comment"])
    assert set(shown) <= detractors
    assert sum("similar to your search" in c.value for c in at.caption) == 25
    # each card highlights its matched sentence, escaped: the highlight is the only markup in it
    marked = [m.value for m in at.markdown if ":orange-background[" in m.value]
    assert len(marked) == 25
    assert all(md_escape(sentence) in m for sentence, m in zip(hits["sentence"], marked))


def test_themes_page_lists_discovered_topics(app_db):
    at = start("drivers", lang="en", **{"from": "2025-10-01", "to": "2025-12-31"})
    assert not at.exception and not at.error
    topics = discover(app_db, Filters(dataset="demo", date_from=dt.date(2025, 10, 1), date_to=dt.date(2025, 12, 31)), 15)
    table = next(df.value for df in at.dataframe if "Topic" in df.value.columns)
    assert list(table["Topic"]) == [title(tp, "en") for tp in topics]  # named by a phrase (issue 27)
    assert list(table["Words"]) == [" · ".join(tp["terms"][:4]) for tp in topics]
    assert list(table["n"]) == [f"{tp['n']:,}" for tp in topics]
    pick = at.selectbox(key="discovered_pick")
    pick.select_index(1)
    at = rerun(at)
    texts = [t.value for t in at.text]
    assert all(f"“{s}”" in texts for s in topics[1]["examples"])


def test_a_discovered_topic_becomes_a_theme_in_one_click(app_db):
    import numpy as np

    from nps_core.text.taxonomy import EXAMPLE_THRESHOLD
    from nps_core.text.vectors import embed, matrix

    at = start("drivers", lang="en", **{"from": "2025-10-01", "to": "2025-12-31"})
    topics = discover(app_db, Filters(dataset="demo", date_from=dt.date(2025, 10, 1), date_to=dt.date(2025, 12, 31)), 15)
    at.selectbox(key="discovered_pick").select_index(2)
    at = rerun(at)
    at.button(key="adopt_topic").click()
    at = rerun(at)  # the click runs on the Themes page, which hands over to the editor
    at = rerun(at, "taxonomy")
    assert not at.exception and not at.error
    assert at.text_input(key="te_en").value == title(topics[2], "en")  # the topic's phrase names the theme
    # the topic's representative sentences are the theme's examples; no rule needed
    assert at.text_area(key="te_examples").value.splitlines() == topics[2]["examples"]
    assert at.text_area(key="te_pattern").value == ""
    # the live preview counts the distinct comments with a sentence within the threshold of
    # the examples' mean vector (the demo's default themes have no examples to compete with)
    centre = embed(app_db, topics[2]["examples"]).mean(axis=0)
    centre /= np.linalg.norm(centre)
    with app_db.read() as con:
        tbl = con.execute("""SELECT c.comment_key, s.vec FROM comment_sentences c JOIN sentences s USING (sentence_key)
                             WHERE c.comment_key IN (SELECT md5(comment) FROM responses WHERE dataset = 'demo')""").arrow()
    tbl = tbl.read_all() if hasattr(tbl, "read_all") else tbl
    near = matrix(tbl.column("vec")) @ centre >= EXAMPLE_THRESHOLD
    caught = len({k for k, hit in zip(tbl.column("comment_key").to_pylist(), near) if hit})
    assert caught > 0 and {m.label: m.value for m in at.metric}["Caught"] == f"{caught:,}"
