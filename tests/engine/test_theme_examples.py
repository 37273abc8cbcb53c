"""Themes defined by example sentences: stored with the dataset's taxonomy,
tagging by meaning across Dutch and English (alone or OR-ed with a rule),
the editor's preview, tagging of later imports, exports; and the measured
targets on the hand-written labelled set (tests/support/theme_examples_eval.py).
Expected tags come from reading the comments, never from the code."""

import csv

import pytest
from conftest import write_csv
from theme_examples_eval import airline_figures, calibrate, engine_figures, labelled_store

from nps_core.analysis.export import export
from nps_core.analysis.filters import Filters
from nps_core.analysis.themes import theme_table
from nps_core.db.errors import StoreError
from nps_core.ingest.importer import import_file
from nps_core.text import taxonomy

COMMENTS = [  # (score, comment, caught by the English phone examples: by reading)
    (2, "Ik heb drie kwartier in de wacht gestaan aan de telefoon.", True),
    (3, "Niemand nam de telefoon op bij de klantenservice.", True),
    (9, "Snelle levering, netjes verpakt.", False),
    (8, "De prijs is prima.", False),
    (1, "Het pakket kwam te laat. Daarna nog een uur in de telefonische wachtrij.", True),
    (10, "Fijne winkel met een mooi assortiment.", False),
]
PHONE = {"key": "phone_wait", "nl": "Wachten aan de telefoon", "en": "Waiting on the phone",
         "examples": ["I was on hold for forty minutes", "Nobody answers the phone",
                      "The waiting time on the helpline is far too long"]}
PRICE = {"key": "price", "nl": "Prijs", "en": "Price", "examples": ["It is far too expensive", "Good value for money"]}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    path = tmp_path_factory.mktemp("examples")
    rows = [{"response_id": f"r{i}", "responded_at": "2025-03-01", "score": s, "comment": c,
             "nps_type": "transaction"} for i, (s, c, _) in enumerate(COMMENTS)]
    from nps_core.db.store import Store
    store = Store(path / "nps.duckdb", lock_timeout=5)
    import_file(store, write_csv(path / "shop.csv", rows), dataset="shop")
    return store


def _tagged(store, key, dataset="shop"):
    with store.read() as con:
        return {c for c, ts in con.execute(
            "SELECT r.comment, t.themes FROM responses r JOIN dataset_themes t ON t.dataset = r.dataset "
            "AND t.comment_key = md5(r.comment) WHERE r.dataset = ?", [dataset]).fetchall() if key in ts}


def test_english_examples_catch_dutch_comments_and_are_stored(shop):
    taxonomy.save(shop, "shop", [PHONE, PRICE])
    assert _tagged(shop, "phone_wait") == {c for _, c, phone in COMMENTS if phone}
    assert _tagged(shop, "price") == {"De prijs is prima."}
    stored = taxonomy.current(shop, "shop")["themes"]
    assert stored[0]["examples"] == PHONE["examples"] and stored[0]["pattern"] == ""
    table = theme_table(shop, Filters(dataset="shop"), "en").set_index("theme")
    assert table.loc["phone_wait", "mentions"] == 3 and table.loc["phone_wait", "label"] == "Waiting on the phone"
    # scores 2, 3, 1: three detractors of three mentioning responses
    assert table.loc["phone_wait", "nps"] == pytest.approx(-100.0)


def test_a_rule_and_examples_together_catch_either(shop):
    both = {**PRICE, "pattern": r"\bwinkel\b"}
    taxonomy.save(shop, "shop", [PHONE, both])
    assert _tagged(shop, "price") == {"De prijs is prima.", "Fijne winkel met een mooi assortiment."}


def test_preview_counts_what_examples_gain_and_lose_against_the_saved_theme(shop):
    taxonomy.save(shop, "shop", [{**PHONE, "examples": ["Nobody answers the phone"]}, PRICE])
    # one example catches its own paraphrase only (by reading: the other two speak of waiting)
    assert _tagged(shop, "phone_wait") == {"Niemand nam de telefoon op bij de klantenservice."}
    p = taxonomy.preview(shop, "shop", PHONE, replaces="phone_wait")
    assert (p["comments"], p["caught"], p["before"], p["gained"], p["lost"]) == (6, 3, 1, 2, 0)
    assert set(p["gained_examples"]) == {c for _, c, phone in COMMENTS if phone} - _tagged(shop, "phone_wait")
    # the sentence that caught a two-sentence comment is its phone sentence, not the parcel one
    assert p["why"]["Het pakket kwam te laat. Daarna nog een uur in de telefonische wachtrij."] == \
        "Daarna nog een uur in de telefonische wachtrij."
    # the examples dropped for a narrow rule: it catches one comment and loses the saved one
    narrow = taxonomy.preview(shop, "shop", {**PHONE, "examples": [], "pattern": "drie kwartier"}, replaces="phone_wait")
    assert (narrow["caught"], narrow["gained"], narrow["lost"]) == (1, 1, 1)
    assert narrow["lost_examples"] == ["Niemand nam de telefoon op bij de klantenservice."]


def test_a_later_import_is_tagged_by_the_examples(shop, tmp_path):
    taxonomy.save(shop, "shop", [PHONE, PRICE])
    rows = [{"response_id": "late1", "responded_at": "2025-03-02", "score": 4,
             "comment": "Waited on the phone for an hour before anyone picked up", "nps_type": "transaction"}]
    import_file(shop, write_csv(tmp_path / "late.csv", rows), dataset="shop")
    assert "Waited on the phone for an hour before anyone picked up" in _tagged(shop, "phone_wait")


def test_export_carries_the_example_tags(shop, tmp_path):
    taxonomy.save(shop, "shop", [PHONE, PRICE])
    out = tmp_path / "out.csv"
    export(shop, Filters(dataset="shop"), "csv", out)
    with open(out, encoding="utf-8") as fh:
        themes = {r["comment"]: r["themes"] for r in csv.DictReader(fh)}
    assert themes["Niemand nam de telefoon op bij de klantenservice."] == "phone_wait"
    assert themes["Snelle levering, netjes verpakt."] == ""


@pytest.mark.parametrize("theme, message", [
    ({"key": "a", "pattern": "", "examples": ["", "  "]}, "no example sentences and no rule"),
    ({"key": "a", "examples": ["!!!"]}, "needs words"),
    ({"key": "a", "examples": ["x" * 301]}, "at most 300"),
    ({"key": "a", "examples": [f"sentence {i}" for i in range(51)]}, "at most 50"),
])
def test_bad_examples_are_refused_with_a_reason(theme, message):
    with pytest.raises(StoreError, match=message):
        taxonomy.validate([theme])


def test_examples_are_cleaned_and_a_topic_draft_carries_its_sentences():
    (clean,) = taxonomy.validate([{"key": "a", "examples": "Too expensive\n\n  Too expensive \nGood value"}])
    assert clean["examples"] == ["Too expensive", "Good value"] and clean["pattern"] == ""
    draft = taxonomy.draft_for(["seat", "legroom"], "seat · legroom", ["No legroom at all", "Comfortable seat"])
    assert draft["examples"] == ["No legroom at all", "Comfortable seat"] and draft["pattern"] == ""
    assert taxonomy.validate([draft])[0]["key"] == "seat"


# -- the measured targets (hand-written labelled set, in the repository) -----

@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    return labelled_store(tmp_path_factory.mktemp("labelled"))


def test_rule_and_threshold_are_the_best_on_the_tuning_part(labelled):
    tuned = calibrate(labelled)
    best = max(tuned, key=lambda rule: tuned[rule]["f1"])
    assert best == "nearest centre"  # the rule taxonomy.nearest implements
    assert taxonomy.EXAMPLE_THRESHOLD == tuned[best]["threshold"]


# measured on the held-out part (python tests/support/theme_examples_eval.py): en>nl 0.79 / 0.68,
# nl>en 0.86 / 0.78, both>en 0.92 / 0.85, both>nl 0.75 / 0.75 (precision / recall)
TARGETS = {"en>nl": (0.75, 0.65), "nl>en": (0.80, 0.75), "both>en": (0.85, 0.80), "both>nl": (0.70, 0.70)}


def test_cross_lingual_catching_meets_its_targets_on_held_out_sentences(labelled):
    figures = engine_figures(labelled)
    missed = {d: figures[d] for d, (p, r) in TARGETS.items()
              if figures[d]["precision"] < p or figures[d]["recall"] < r}
    assert not missed, f"below target: {missed}"


# measured on real review sentences (python tests/support/theme_examples_eval.py). Re-measured 2026-12-05 on
# the airline sentences labelled again by reading for the rebuilt corpus (tests/corpus/labels/, 205
# sentences; the first 178 were lost): en>en 0.51 / 0.75, nl>en 0.51 / 0.76 (precision / recall).
# On the lost labels: en>en 0.39 / 0.65, nl>en 0.40 / 0.71, held to (0.35, 0.60) and (0.35, 0.65).
# Long reviews carry many sentences of other topics; the examples' rule catches too many of them
# (precision): the figure to improve, kept here, rounded down, so it cannot silently drop. The
# labels are committed, so this runs without the corpus.
AIRLINE_TARGETS = {"en>en": (0.51, 0.74), "nl>en": (0.51, 0.76)}


def test_airline_themes_by_example_on_real_review_sentences(labelled):
    figures = airline_figures(labelled)
    missed = {d: figures[d] for d, (p, r) in AIRLINE_TARGETS.items()
              if figures[d]["precision"] < p or figures[d]["recall"] < r}
    assert not missed, f"below target: {missed}"
