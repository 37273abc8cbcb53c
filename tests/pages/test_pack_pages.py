"""AppTest tests of the theme packs on the Upload and Themes pages (pick at
upload, fit warning with its suggestion, switching packs, an empty
taxonomy) and of the key-driver chart on the Themes page."""

from datetime import date

import pandas as pd
from apptest_support import import_finished, rerun, start
from conftest import write_csv
from test_theme_packs import AIRLINE
from test_theme_pages import _chart_with

from nps_core.analysis import drivers
from nps_core.analysis.filters import Filters
from nps_core.ingest.importer import import_file
from nps_core.text import packs, taxonomy

DEMO = {"from": "2024-01-01", "to": "2025-12-31"}


def _airline_csv(tmp_path):
    return write_csv(tmp_path / "air.csv", [
        {"response_id": f"a{k}-{i}", "responded_at": f"2025-03-0{1 + k}", "score": s, "comment": c}
        for k in range(3) for i, (s, c, _) in enumerate(AIRLINE)])


def _texts(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind))


def test_upload_preselects_the_pack_the_comments_fit_and_says_why(app_db, tmp_path):
    # airline comments (issue 27): the preview picks the travel pack before the import, with its figures
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("air.csv", _airline_csv(tmp_path).read_bytes(), "text/csv")
    rerun(at)
    assert not at.exception and not at.error
    assert at.selectbox(key="upload_pack").value == "travel"
    captions = " ".join(c.value for c in at.caption)
    assert "Travel and airline" in captions and "Share of sentences each pack catches" in captions
    at.selectbox(key="upload_type_False").set_value("relationship")
    rerun(at)
    at.button[0].click()  # Import
    import_finished(rerun(at))
    assert not at.exception
    assert packs.in_use(taxonomy.current(app_db, "air")) == "travel"


def test_upload_with_another_pack_than_the_suggestion(app_db, tmp_path):
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("air.csv", _airline_csv(tmp_path).read_bytes(), "text/csv")
    rerun(at)
    at.selectbox(key="upload_type_False").set_value("relationship")
    at.selectbox(key="upload_pack").set_value("banking")
    rerun(at)
    at.button[0].click()  # Import
    import_finished(rerun(at))
    assert not at.exception
    assert packs.in_use(taxonomy.current(app_db, "air")) == "banking"


def test_themes_page_warns_suggests_and_switches_the_pack(app_db, tmp_path):
    # retail themes named on purpose: without a pack the import now picks travel from the comments (issue 27)
    import_file(app_db, _airline_csv(tmp_path), dataset="air", nps_type="relationship", theme_pack="retail")
    at = start("drivers", lang="en", dataset="air", **{"from": "2025-03-01", "to": "2025-03-31"})
    assert not at.exception and not at.error
    text = _texts(at)
    assert "Themes: **Retail and web shop**" in text
    assert "The themes fit these comments poorly" in text
    assert "Suggestion: the **Travel and airline** pack" in text
    assert at.selectbox(key="pack_pick").value == "travel"  # the suggestion is preselected
    at.button(key="pack_apply").click()
    rerun(at)
    assert not at.exception
    assert packs.in_use(taxonomy.current(app_db, "air")) == "travel"
    text = _texts(at)
    assert "Themes: **Travel and airline**" in text and "fit these comments poorly" not in text


def test_themes_page_with_an_empty_taxonomy_shows_discovery(app_db, tmp_path):
    import_file(app_db, _airline_csv(tmp_path), dataset="air", nps_type="relationship", theme_pack=packs.EMPTY)
    at = start("drivers", lang="nl", dataset="air", **{"from": "2025-03-01", "to": "2025-03-31"})
    assert not at.exception and not at.error
    text = _texts(at)
    assert "Thema's: **Leeg (thema's uit de ontdekking)**" in text
    assert "Deze dataset heeft (nog) geen thema's" in text
    assert any("Waar klanten over praten" in h.value for h in at.subheader)


def test_key_driver_chart_on_the_themes_page_is_the_engines(app_db):
    at = start("drivers", lang="en", **DEMO)
    assert not at.exception and not at.error
    assert any(h.value == "What makes a promoter or a detractor" for h in at.subheader)
    shown = _chart_with(at, "effect_low")  # the first screen's chart: the heaviest drivers
    engine = drivers.key_drivers(app_db, Filters(dataset=None, date_from=date(2024, 1, 1),
                                                 date_to=date(2025, 12, 31)), "en")["drivers"]
    assert list(shown["label"]) == list(engine["label"])[:8]
    engine = engine.head(8)
    pd.testing.assert_series_equal(shown["effect"].reset_index(drop=True), engine["effect"].reset_index(drop=True),
                                   check_names=False)
