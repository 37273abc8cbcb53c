"""Per-dataset theme taxonomies: edit, preview, save, re-tag; upgrades of older databases."""

import re

import duckdb
import pytest
from conftest import write_csv

from nps_core.analysis.filters import Filters
from nps_core.analysis.themes import theme_table, uncaught_share
from nps_core.db.errors import StoreError
from nps_core.ingest.importer import import_file
from nps_core.text import taxonomy
from nps_core.text.enrich import enrich

COMMENTS = [
    (10, "Snelle levering en een vriendelijke bezorger"),
    (9, "Mooie verpakking, cadeau-waardig"),
    (3, "De verpakking was kapot en de levering te laat"),
    (2, "Verpakking nat en gescheurd"),
    (8, "Prima"),
    (6, "Te duur"),
]
WRAPPING = {"key": "packaging", "nl": "Verpakking", "en": "Packaging", "pattern": r"verpak|doos|gescheurd"}


def _import(store, tmp_path, name, comments, prefix=""):
    rows = [{"response_id": f"{prefix}{name}{i}", "responded_at": "2025-03-01", "score": s, "comment": c,
             "nps_type": "transaction"} for i, (s, c) in enumerate(comments)]
    import_file(store, write_csv(tmp_path / f"{name}.csv", rows), dataset=name)


@pytest.fixture
def two(store, tmp_path):
    _import(store, tmp_path, "a", COMMENTS)
    _import(store, tmp_path, "b", COMMENTS)
    return store


def _by_hand(pattern):
    """(mentions, NPS of the mentioning responses), with Python's re over the fixture."""
    hit = [s for s, c in COMMENTS if re.search(pattern, c.lower())]
    return len(hit), 100 * (sum(s >= 9 for s in hit) - sum(s <= 6 for s in hit)) / len(hit)


def test_saving_a_theme_retags_only_that_dataset(two):
    themes = [*taxonomy.default()["themes"], WRAPPING]
    out = taxonomy.save(two, "a", themes)
    assert out["version"] == 1 and out["comments"] == len(COMMENTS)
    a = theme_table(two, Filters(dataset="a"), "nl").set_index("theme")
    n, nps = _by_hand(WRAPPING["pattern"])
    assert a.loc["packaging", "mentions"] == n == 3
    assert a.loc["packaging", "nps"] == pytest.approx(nps)
    assert a.loc["packaging", "label"] == "Verpakking"
    b = theme_table(two, Filters(dataset="b"), "nl")
    assert "packaging" not in set(b["theme"])
    # fewer uncaught comments in a: "Mooie verpakking" and "Verpakking nat" now have a theme
    assert uncaught_share(two, Filters(dataset="a")) < uncaught_share(two, Filters(dataset="b"))


def test_a_second_save_bumps_the_version_and_reset_restores_the_default(two):
    taxonomy.save(two, "a", [*taxonomy.default()["themes"], WRAPPING])
    narrower = {**WRAPPING, "pattern": "gescheurd"}
    assert taxonomy.save(two, "a", [*taxonomy.default()["themes"], narrower])["version"] == 2
    assert theme_table(two, Filters(dataset="a")).set_index("theme").loc["packaging", "mentions"] == 1
    taxonomy.reset(two, "a")
    assert "packaging" not in set(theme_table(two, Filters(dataset="a"))["theme"])


def test_new_imports_are_tagged_with_the_dataset_taxonomy(two, tmp_path):
    taxonomy.save(two, "a", [WRAPPING])
    _import(two, tmp_path, "a", [(1, "Doos kwam open aan")], prefix="new")  # enrich runs on import
    a = theme_table(two, Filters(dataset="a")).set_index("theme")
    assert a.loc["packaging", "mentions"] == 4
    assert set(a.index) == {"packaging"}  # only the dataset's own themes


def test_preview_counts_what_an_edit_gains_and_loses(two):
    taxonomy.save(two, "a", [*taxonomy.default()["themes"], WRAPPING])
    edited = {**WRAPPING, "pattern": r"gescheurd|kapot"}
    p = taxonomy.preview(two, "a", edited, replaces="packaging")
    # by hand: old rule catches comments 2, 3, 4; new rule catches 3 (kapot) and 4 (gescheurd)
    assert (p["comments"], p["caught"], p["before"], p["gained"], p["lost"]) == (6, 2, 3, 0, 1)
    assert p["lost_examples"] == ["Mooie verpakking, cadeau-waardig"]
    new = taxonomy.preview(two, "b", {"key": "price", "pattern": "duur"})
    assert (new["caught"], new["gained"]) == (1, 1) and new["caught_examples"] == ["Te duur"]
    assert "Prima" in new["uncaught_examples"]


@pytest.mark.parametrize("themes, message", [
    ([{"key": "Bad Key", "pattern": "x"}], "lower-case"),
    ([{"key": "a", "pattern": "x"}, {"key": "a", "pattern": "y"}], "twice"),
    ([{"key": "a", "pattern": ""}], "no rule"),
    ([{"key": "a", "pattern": "(unclosed"}], "not a valid pattern"),
    ([{"key": "a", "pattern": "x*"}], "every comment"),
])
def test_bad_themes_are_refused_with_a_reason(two, themes, message):
    with pytest.raises(StoreError, match=message):
        taxonomy.save(two, "a", themes)
    assert not theme_table(two, Filters(dataset="a")).empty  # nothing stored


def test_topic_terms_become_literal_patterns():
    assert taxonomy.key_for("Kerst cadeau!") == "kerst_cadeau"
    pattern = taxonomy.pattern_for("c++ kabel")
    assert re.search(pattern, "de c++  kabel mist") and not re.search(pattern, "c kabel")


def test_an_older_database_is_upgraded_and_retagged(two):
    two.let_go()
    with duckdb.connect(str(two.path)) as con:  # as a database from before taxonomy v2 looked
        con.execute("DROP TABLE dataset_themes; DROP TABLE taxonomies")
        con.execute("UPDATE enrichment SET themes = [], taxonomy_version = 1")
    from nps_core.jobs.demo import ensure_demo
    assert ensure_demo(two) is False  # has data: upgraded, not reloaded
    tagged = theme_table(two, Filters(dataset="b")).set_index("theme")
    assert tagged.loc["delivery", "mentions"] == 2  # "levering" twice, by reading
    assert enrich(two)["retagged"] == 0
