"""Discovery, adoption by example and sentiment on real exports of three
sectors besides retail (airline, hotel, telecom), against sentences labelled
by reading before discovery ever ran on them (tests/support/discovery_eval.py; the
table: `python tests/support/discovery_eval.py`). The exports are fetched text kept
outside the repository (built by tools/corpus.py; env NPS_CORPUS_DIR); the
labels are ours, in tests/corpus/labels/ with a README saying how and when
they were labelled.

The floors are the figures measured (rounded down), so a change that makes
any of them worse fails here. The issue's goal, coverage >= 0.8 of the
labelled topics on held-out sentences, was withdrawn by issue 27 (it measured
0-11 %): best-match F1 beside BERTopic's replaced it. Where the measured
coverage is 0 there is no floor to assert (it could not fail), the other
figures of that half still are.
"""

import pytest
from corpus_files import reason
from discovery_eval import SECTORS, SPLITS, evaluate, missing_for

pytestmark = pytest.mark.slow

# Re-measured 2026-12-05 on the rebuilt corpus (tools/corpus.py; issue 26), whose labels were
# written again by reading (tests/corpus/labels/): the first corpus and its labels were lost, so
# these figures are on other sentences (the hotel export also on another excerpt of the same
# Booking.com data) and are not comparable one to one with the old ones. Nothing in discovery
# changed. Old floors (2026-11-26, first corpus), for the record:
#   LABELLED airline (81, 97), hotel (94, 61), telecom (65, 101)
#   airline tuning cov 0.11 prec 0.31 rec 0.28 nl>en 0.71 | held-out cov 0.11 prec 0.41 rec 0.44 nl>en 0.69
#   hotel   tuning cov 0.11 prec 0.39 rec 0.41 nl>en 0.65 | held-out          prec 0.36 rec 0.36 nl>en 0.59
#   telecom tuning          prec 0.32 rec 0.24 nl>en 0.36 | held-out          prec 0.36 rec 0.30 nl>en 0.40
#   SPEARMAN airline 0.76, hotel 0.15, telecom 0.36
# Re-measured 2026-12-05 after issue 27 (topics clustered on their subject words, merged, generic ones
# folded, named by phrases). Floors before it, for the record:
#   airline tuning cov 0.12 prec 0.47 rec 0.50 | held-out cov 0.25 prec 0.43 rec 0.46
#   hotel   tuning cov 0.11 prec 0.58 rec 0.54 | held-out cov 0.11 prec 0.64 rec 0.62
#   telecom tuning cov 0.14 prec 0.34 rec 0.29 | held-out          prec 0.46 rec 0.46
# Adoption by example lost in hotel and telecom (its themes are now made better by marks:
# tests/corpus/test_theme_marks_corpus.py); best-match F1 rose in every held-out half but telecom's (0.39 both).
# per sector: labelled sentences per half (tuning, held-out), then per half the floors
LABELLED = {"airline": (101, 104), "hotel": (82, 84), "telecom": (108, 104)}
FLOORS = {
    "airline": {"tuning": {"coverage": 0.12, "best_match_f1": 0.44, "precision": 0.53, "recall": 0.55,
                           "nl>en recall": 0.79},
                "held-out": {"coverage": 0.37, "best_match_f1": 0.54, "precision": 0.53, "recall": 0.56,
                             "nl>en recall": 0.71}},
    "hotel": {"tuning": {"coverage": 0.21, "best_match_f1": 0.45, "precision": 0.50, "recall": 0.46,
                         "nl>en recall": 0.59},
              "held-out": {"coverage": 0.21, "best_match_f1": 0.52, "precision": 0.50, "recall": 0.49,
                           "nl>en recall": 0.64}},
    "telecom": {"tuning": {"best_match_f1": 0.42, "precision": 0.33, "recall": 0.29, "nl>en recall": 0.55},
                "held-out": {"coverage": 0.16, "best_match_f1": 0.38, "precision": 0.32, "recall": 0.29,
                             "nl>en recall": 0.62}},
}
# BERTopic 0.17.4 on the same sentences and vectors (bench/topics_vs_bertopic.py, 2026-12-05; not run here:
# a bench dependency): held-out best-match F1. Issue 27's goal is ours >= BERTopic's in every sector; met in
# airline (0.55 against 0.49) and hotel (0.53 against 0.41), not in telecom (0.386 against 0.392).
BERTOPIC_F1 = {"airline": 0.492, "hotel": 0.408, "telecom": 0.392}
MAX_GENERIC = 0.05  # of the listed topics, by topic_names.is_generic (BERTopic's: 0.03, 0.09, 0.12)
# sentiment against the score, whole export; the airline's on another BA scrape (discovery_eval.SECTORS says why).
# Hotel: the comment is Booking.com's "negative" field only, so it says little about the overall score.
# airline 0.83 before issue 28 retrained sentiment on eight sectors (measured 0.778 after, 2026-12-05)
SPEARMAN = {"airline": 0.77, "hotel": 0.30, "telecom": 0.38}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return {}, tmp_path_factory.mktemp("sectors")


def _result(results, sector):
    if missing_for(sector):
        pytest.skip(reason(missing_for(sector)))
    done, tmp = results
    if sector not in done:
        done[sector] = evaluate(sector, tmp)
    return done[sector]


@pytest.mark.parametrize("sector", list(SECTORS))
def test_labelled_sentences_are_split_and_found_in_topics(results, sector):
    r = _result(results, sector)
    assert tuple(r[name]["sentences"] for name in SPLITS) == LABELLED[sector]
    for name in SPLITS:  # a labelled sentence outside every topic would go unscored
        assert r[name]["in_topics"] >= 0.95 * r[name]["sentences"], (name, r[name]["in_topics"])


@pytest.mark.parametrize("sector", list(SECTORS))
def test_discovery_and_adoption_keep_their_measured_floors(results, sector):
    r = _result(results, sector)
    missed = {(name, figure): (r[name][figure], floor) for name, floors in FLOORS[sector].items()
              for figure, floor in floors.items() if (r[name][figure] or 0) < floor}
    assert not missed, f"below floor (measured, floor): {missed}"


@pytest.mark.parametrize("sector", ["airline", "hotel"])
def test_held_out_best_match_f1_at_least_bertopics(results, sector):
    assert _result(results, sector)["held-out"]["best_match_f1"] >= BERTOPIC_F1[sector]


@pytest.mark.parametrize("sector", list(SECTORS))
def test_few_generic_topics_and_every_item_named_by_a_phrase(results, sector):
    r = _result(results, sector)
    assert r["generic"] <= MAX_GENERIC
    assert all(r["phrases"][i] for i, label in enumerate(r["labels"]) if r["kinds"][i] == "topic")


@pytest.mark.parametrize("sector", list(SECTORS))
def test_sentiment_ranks_like_the_score(results, sector):
    assert _result(results, sector)["spearman"] >= SPEARMAN[sector]
