"""Discovery on real airline reviews, against sentences labelled by reading
before discovery ever ran on them (tests/discovery_eval.py). The export and
labels are fetched text kept outside the repository (env NPS_CORPUS_DIR)."""

import pytest
from discovery_eval import available, evaluate

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not available(), reason="real-export corpus not installed: set NPS_CORPUS_DIR (see tests/discovery_eval.py)")
def test_discovery_on_held_out_airline_sentences(tmp_path):
    result = evaluate(tmp_path)
    assert result["in_topics"] == result["sentences"] == 178
    # measured 2026-11-26, nothing tuned on this set: coverage 0.2 (crew, overall), mean purity 0.63;
    # the goal is coverage >= 0.8, NOT reached: these floors only catch a regression
    assert result["coverage"] >= 0.2
    assert result["purity"] >= 0.6
