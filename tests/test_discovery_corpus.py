"""Discovery, adoption by example and sentiment on real exports of three
sectors besides retail (airline, hotel, telecom), against sentences labelled
by reading before discovery ever ran on them (tests/discovery_eval.py; the
table: `python tests/discovery_eval.py`). The exports are fetched text kept
outside the repository (built by tools/corpus.py; env NPS_CORPUS_DIR); the
labels are ours, in tests/corpus/labels/ with a README saying how and when
they were labelled.

The floors are the figures measured (rounded down), so a change that makes
any of them worse fails here. The issue's goal, coverage >= 0.8 of the
labelled topics on held-out sentences, is NOT reached in any sector: measured
0.25 (airline), 0.11 (hotel), 0.00 (telecom); where the measured coverage is
0 there is no floor to assert (it could not fail), the other figures of that
half still are.
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
# per sector: labelled sentences per half (tuning, held-out), then per half the floors
LABELLED = {"airline": (101, 104), "hotel": (82, 84), "telecom": (108, 104)}
FLOORS = {
    "airline": {"tuning": {"coverage": 0.12, "precision": 0.47, "recall": 0.50, "nl>en recall": 0.80},
                "held-out": {"coverage": 0.25, "precision": 0.43, "recall": 0.46, "nl>en recall": 0.72}},
    "hotel": {"tuning": {"coverage": 0.11, "precision": 0.58, "recall": 0.54, "nl>en recall": 0.60},
              "held-out": {"coverage": 0.11, "precision": 0.64, "recall": 0.62, "nl>en recall": 0.65}},
    "telecom": {"tuning": {"coverage": 0.14, "precision": 0.34, "recall": 0.29, "nl>en recall": 0.55},
                "held-out": {"precision": 0.46, "recall": 0.46, "nl>en recall": 0.63}},
}
# sentiment against the score, whole export; the airline's on another BA scrape (discovery_eval.SECTORS says why).
# Hotel: the comment is Booking.com's "negative" field only, so it says little about the overall score.
SPEARMAN = {"airline": 0.83, "hotel": 0.30, "telecom": 0.38}


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


@pytest.mark.parametrize("sector", list(SECTORS))
def test_sentiment_ranks_like_the_score(results, sector):
    assert _result(results, sector)["spearman"] >= SPEARMAN[sector]
