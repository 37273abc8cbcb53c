"""Topics named as phrases, generic topics folded (issue 27 item 2):
nps_core/analysis/topic_names.py and discovery.discover's phrase, kind and
examples. Expected values are worked out by hand from the documented rules."""

import json

import numpy as np
import pytest
from conftest import write_csv

from nps_core.analysis import topic_names
from nps_core.analysis.discovery import discover
from nps_core.analysis.filters import Filters
from nps_core.cli import main
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text.stopwords import words


def test_phrase_candidates_neither_start_nor_end_with_a_function_or_filler_word():
    # the, never (filler), up (a particle: may end), for, the; "engineer", "turned", "appointment" carry it
    assert topic_names._phrases_of(words("The engineer never turned up for the appointment")) == {
        "engineer never turned", "engineer never turned up", "turned up"}
    # "wachten op" has no subject word ("wachten" is a sentiment word, "op" a function word)
    got = topic_names._phrases_of(words("Wachten op de monteur duurde drie weken"))
    assert "wachten op de monteur" in got and "drie weken" in got and "wachten op" not in got


@pytest.mark.parametrize("terms, generic", [
    (["good", "great", "excellent"], True),  # praise with no subject
    (["make", "going", "give"], True),  # filler
    (["nothing anything everything"], True),  # phrases count word by word
    (["later", "back", "first"], True),
    (["slecht", "vreselijk"], True),  # Dutch sentiment words
    (["engineer", "appointment", "late"], False),
    (["monteur", "aansluiting"], False),
    (["service", "customer", "excellent"], False),
])
def test_a_topic_without_two_subject_words_is_generic(terms, generic):
    assert topic_names.is_generic(terms) is generic


def test_mmr_picks_the_closest_distinctive_phrase_then_a_different_one():
    centre = np.array([0.8, 0.0, 0.6])
    vecs = np.array([[1.0, 0.0, 0.0], [0.99, 0.14, 0.0], [0.0, 0.0, 1.0]])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    # equally distinctive (1 each once scaled); closeness 0.80, 0.79, 0.60: "a c" is second by score, but it
    # says what "a b" says (cosine 0.99): MMR 0.5 × 1.79 − 0.5 × 0.99 = 0.40 against 0.5 × 1.6 − 0 = 0.80
    ranked = topic_names._rank(["a b", "a c", "d e"], vecs, {"a b": 2.0, "a c": 2.0, "d e": 2.0}, centre)
    assert ranked == ["a b", "d e", "a c"]


ENGINEER = ["The engineer never turned up for the installation", "Engineer never turned up, took a day off for nothing",
            "De monteur is niet komen opdagen", "Second time the engineer never turned up",
            "The engineer never turned up and nobody called"]
BILL = ["My bill was wrong again", "The bill doubled without warning", "Factuur klopt niet, te veel betaald",
        "Wrong bill for the third month", "The bill shows charges I never agreed to"]
PRAISE = ["Great!", "Excellent", "Super goed", "Very good", "Fantastic, thank you"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("names")
    rows = [{"id": f"r{i}", "date": f"2025-0{1 + i % 3}-1{i % 9}", "score": str(i % 11), "type": "transaction",
             "comment": c} for i, c in enumerate((ENGINEER + BILL + PRAISE) * 4)]
    s = Store(tmp / "nps.duckdb")
    import_file(s, write_csv(tmp / "t.csv", rows), dataset="t")
    return s


def test_discovered_topics_carry_a_phrase_from_their_own_sentences_and_agreeing_examples(store):
    topics = discover(store, Filters(dataset="t"), limit=40)
    named = [tp for tp in topics if tp["kind"] == topic_names.TOPIC]
    engineer = next(tp for tp in named if "engineer" in tp["phrase"] or "monteur" in tp["phrase"])
    assert engineer["phrase"] in " ".join(words(" ".join(ENGINEER)))  # taken from the comments, word for word
    assert any(engineer["phrase"] in " ".join(words(e)) for e in engineer["examples"])  # an example says it
    assert all(e in ENGINEER + BILL + PRAISE or any(e in c for c in ENGINEER) for e in engineer["examples"])
    # praise with no subject is not a topic of its own
    assert not any(tp["label"].split(" · ")[0] in ("great", "excellent", "fantastic") for tp in named)
    for tp in topics:
        assert tp["kind"] in (topic_names.TOPIC, topic_names.PRAISE, topic_names.COMPLAINT)
        assert (tp["phrase"] is None) == (tp["kind"] != topic_names.TOPIC)


def test_discover_json_has_a_phrase_for_every_item(store, capsys):
    assert main(["discover", "--db", str(store.path), "--dataset", "t", "--limit", "40", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out and all(isinstance(tp["phrase"], str) and tp["phrase"] for tp in out)
    assert {"label", "phrase", "kind", "terms", "n", "share", "nps", "impact", "sentiment", "examples"} <= set(out[0])
    general = [tp for tp in out if tp["kind"] != "topic"]
    assert all(tp["phrase"] in ("general praise", "general complaint") for tp in general)
