"""Discovery, adoption by example and sentiment on real exports of three
sectors besides retail (airline, hotel, telecom), against sentences labelled
by reading before discovery ever ran on them (tests/discovery_eval.py; the
table: `python tests/discovery_eval.py`). The exports are fetched text kept
outside the repository (built by tools/corpus.py; env NPS_CORPUS_DIR); the
labels are ours, in tests/corpus/labels/ with a README saying how and when
they were labelled.

The floors are the figures measured on 2026-11-26 (rounded down), so a change
that makes any of them worse fails here. The issue's goal, coverage >= 0.8 of
the labelled topics on held-out sentences, is NOT reached in any sector:
measured 0.11 (airline), 0.00 (hotel), 0.00 (telecom); where the measured
coverage is 0 there is no floor to assert (it could not fail), the other
figures of that half still are.
"""

import pytest
from corpus_files import reason
from discovery_eval import SECTORS, SPLITS, evaluate, missing_for

pytestmark = pytest.mark.slow

# per sector: labelled sentences per half (tuning, held-out), then per half the floors
LABELLED = {"airline": (81, 97), "hotel": (94, 61), "telecom": (65, 101)}
FLOORS = {
    "airline": {"tuning": {"coverage": 0.11, "precision": 0.31, "recall": 0.28, "nl>en recall": 0.71},
                "held-out": {"coverage": 0.11, "precision": 0.41, "recall": 0.44, "nl>en recall": 0.69}},
    "hotel": {"tuning": {"coverage": 0.11, "precision": 0.39, "recall": 0.41, "nl>en recall": 0.65},
              "held-out": {"precision": 0.36, "recall": 0.36, "nl>en recall": 0.59}},
    "telecom": {"tuning": {"precision": 0.32, "recall": 0.24, "nl>en recall": 0.36},
                "held-out": {"precision": 0.36, "recall": 0.30, "nl>en recall": 0.40}},
}
# sentiment against the score, whole export; the airline's on another BA scrape (discovery_eval.SECTORS says why).
# Hotel: the comment is Booking.com's "negative" field only, so it says little about the overall score.
SPEARMAN = {"airline": 0.76, "hotel": 0.15, "telecom": 0.36}


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
