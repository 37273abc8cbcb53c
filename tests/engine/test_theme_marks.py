"""Themes that learn from the manager's marks (issue 27 item 4):
nps_core/text/learned.py (the classifier), nps_core/text/marks.py (marks,
audit, precision, the editor's sentences) and the tagger using them."""

import json

import numpy as np
import pytest
from conftest import write_csv

from nps_core.cli import main
from nps_core.db import audit
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text import learned, marks, taxonomy
from nps_core.text.enrich import retag


def test_the_classifier_learns_a_direction_from_a_few_marks():
    rng = np.random.default_rng(0)
    dim = learned.DIM
    yes_dir, no_dir = np.eye(dim)[0], np.eye(dim)[1]

    def around(d, n):
        v = d + 0.3 * rng.standard_normal((n, dim)) / np.sqrt(dim)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    x = np.vstack([around(yes_dir, 8), around(no_dir, 8)])
    y = np.array([1.0] * 8 + [0.0] * 8)
    model = learned.fit(learned.features(x, np.zeros(16), np.zeros(16)), y)
    new = np.vstack([around(yes_dir, 5), around(no_dir, 5)])
    p = model.probability(learned.features(new, np.zeros(10), np.zeros(10)))
    assert (p[:5] > 0.5).all() and (p[5:] < 0.5).all()
    # one learned theme per sentence: the surer one, when it reaches the threshold (worked by hand)
    assert learned.decide({"a": np.array([0.9, 0.6, 0.2]), "b": np.array([0.7, 0.8, 0.3])}, 3) == ["a", "b", None]
    assert learned.trainable(np.array([1.0, 1, 0, 1])) and not learned.trainable(np.array([1.0, 1, 1, 1]))


DELIVERY_RIGHT = ["The parcel was delivered a day late", "Delivery took two weeks", "Bezorging duurde drie dagen",
                  "The courier delivered to the wrong house", "Delivery driver left the box in the rain"]
DELIVERY_WRONG = ["Staff delivered excellent advice on the sofa", "The speech she delivered at the event was moving"]
OTHER = ["Friendly staff in the shop", "Prices are too high", "The sofa fabric feels cheap", "Great advice in store",
         "Het personeel was vriendelijk", "Too expensive for what you get"]


@pytest.fixture
def shop(tmp_path):
    rows = [{"id": f"r{i}", "date": f"2025-03-{1 + i % 28:02d}", "score": str(i % 11), "type": "transaction",
             "comment": c} for i, c in enumerate((DELIVERY_RIGHT + DELIVERY_WRONG + OTHER) * 3)]
    path = write_csv(tmp_path / "shop.csv", rows)
    store = Store(tmp_path / "nps.duckdb")
    import_file(store, path, dataset="shop", theme_pack="empty")
    taxonomy.save(store, "shop", [{"key": "delivery", "nl": "Levering", "en": "Delivery", "pattern": r"deliver|bezorg"},
                                  {"key": "staff", "nl": "Personeel", "en": "Staff", "pattern": r"staff|personeel"}])
    return store, path


def _tagged(store, comment):
    with store.read() as con:
        return set(con.execute("SELECT t.themes FROM dataset_themes t JOIN enrichment e USING (comment_key) "
                               "WHERE t.dataset = 'shop' AND e.comment = ?", [comment]).fetchone()[0])


def test_marks_teach_the_theme_survive_reimport_and_retag_and_are_audited(shop):
    store, path = shop
    assert "delivery" in _tagged(store, DELIVERY_WRONG[0])  # the rule alone catches "delivered advice"
    marked = [("delivery", s, "right") for s in DELIVERY_RIGHT[:3]] + [("delivery", s, "wrong") for s in DELIVERY_WRONG]
    marked += [("staff", OTHER[0], "right"), ("staff", OTHER[4], "missed")]
    marks.add_marks(store, "shop", marked, who="tester")
    for comment in DELIVERY_WRONG:
        assert "delivery" not in _tagged(store, comment)
    for comment in DELIVERY_RIGHT:
        assert "delivery" in _tagged(store, comment)
    import_file(store, path, dataset="shop")  # the same file again: nothing new, the marks stay
    retag(store)
    assert "delivery" not in _tagged(store, DELIVERY_WRONG[0]) and "delivery" in _tagged(store, DELIVERY_RIGHT[4])
    listed = marks.marks(store, "shop", "delivery")
    assert len(listed) == 5 and {m["verdict"] for m in listed} == {"right", "wrong"}
    trail = audit.entries(store)
    assert (trail["action"] == "mark_theme").sum() == len(marked)
    # the latest mark of a sentence counts
    marks.add_mark(store, "shop", "delivery", DELIVERY_RIGHT[0], "wrong", who="tester")
    assert {m["sentence"]: m["verdict"] for m in marks.marks(store, "shop", "delivery")}[DELIVERY_RIGHT[0]] == "wrong"


def test_precision_from_the_marks(shop):
    store, _ = shop
    marks.add_marks(store, "shop", [("delivery", s, "right") for s in DELIVERY_RIGHT[:3]]
                    + [("delivery", s, "wrong") for s in DELIVERY_WRONG] + [("delivery", DELIVERY_RIGHT[3], "missed")])
    (row,) = marks.theme_precision(store, "shop")
    # checked: 3 right of the 5 caught sentences the manager judged (the missed one is not a caught sentence)
    assert (row["theme"], row["right"], row["wrong"], row["missed"]) == ("delivery", 3, 2, 1)
    assert row["checked"] == pytest.approx(3 / 5) and row["learned"] is True
    assert row["precision"] is None or 0 <= row["precision"] <= 1


def test_the_editor_shows_sentences_with_their_verdict(shop):
    store, _ = shop
    marks.add_mark(store, "shop", "delivery", DELIVERY_WRONG[1], "wrong")
    theme = next(th for th in taxonomy.current(store, "shop")["themes"] if th["key"] == "delivery")
    shown = marks.preview_sentences(store, "shop", theme, replaces="delivery", k=50)
    caught = {s["sentence"]: s["verdict"] for s in shown["caught"]}
    assert set(DELIVERY_RIGHT) <= set(caught) and shown["learned"] is False
    assert caught[DELIVERY_WRONG[1]] == "wrong"  # one mark is too few to learn from: the rule still catches it
    marks.add_marks(store, "shop", [("delivery", s, "right") for s in DELIVERY_RIGHT[:3]]
                    + [("delivery", DELIVERY_WRONG[0], "wrong")])
    shown = marks.preview_sentences(store, "shop", theme, replaces="delivery", k=50)
    caught = {s["sentence"]: s["verdict"] for s in shown["caught"]}
    near = {s["sentence"]: s["verdict"] for s in shown["near"]}
    assert shown["learned"] is True and near[DELIVERY_WRONG[1]] == "wrong" and caught[DELIVERY_RIGHT[0]] == "right"
    assert all(0 <= s["score"] <= 1 for s in shown["caught"] + shown["near"])


def test_bad_marks_are_refused(shop):
    store, _ = shop
    with pytest.raises(StoreError, match="verdict"):
        marks.add_mark(store, "shop", "delivery", DELIVERY_RIGHT[0], "maybe")
    with pytest.raises(StoreError, match="no theme"):
        marks.add_mark(store, "shop", "parking", DELIVERY_RIGHT[0], "right")
    with pytest.raises(StoreError, match="needs words"):
        marks.add_mark(store, "shop", "delivery", "   ", "right")


def test_cli_themes_mark_and_marks(shop, capsys):
    store, _ = shop
    db = str(store.path)
    assert main(["themes", "--db", db, "--dataset", "shop", "--mark", "delivery", "right", DELIVERY_RIGHT[0],
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["marked"]["marks"] == 1 and out["themes"][0]["right"] == 1
    assert main(["themes", "--db", db, "--dataset", "shop", "--marks", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["sentence"] for m in out["marks"]] == [DELIVERY_RIGHT[0]] and out["themes"][0]["learned"] is False
