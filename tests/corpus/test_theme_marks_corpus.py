"""Themes that learn from 20 simulated marks each, on the labelled corpus
(tests/support/theme_marks_eval.py says how the marks are simulated from the tuning
half and the held-out half scored). Runs when the corpus is installed.

The floors are the figures measured 2026-12-05, rounded down. Issue 27's goal,
held-out precision >= 0.80 at recall >= 0.60 in two of three sectors, is NOT
met: airline 0.79 / 0.67, hotel 0.85 / 0.48, telecom 0.69 / 0.51 (before the
marks, the adopted topics alone: 0.39 / 0.49, 0.53 / 0.59, 0.26 / 0.26).
"""

import pytest
from corpus_files import reason
from discovery_eval import SECTORS, missing_for
from theme_marks_eval import evaluate

pytestmark = pytest.mark.slow

# held-out (precision, recall) after the marks
AFTER = {"airline": (0.78, 0.66), "hotel": (0.84, 0.47), "telecom": (0.68, 0.50)}


@pytest.mark.parametrize("sector", list(SECTORS))
def test_marks_lift_held_out_precision_to_their_floors(tmp_path, sector):
    if missing_for(sector):
        pytest.skip(reason(missing_for(sector)))
    r = evaluate(sector, tmp_path)
    held = r["held-out"]
    assert held["precision"] >= AFTER[sector][0] and held["recall"] >= AFTER[sector][1], held
    assert held["precision"] > r["before"]["precision"]  # the marks help where it matters
    assert r["marks"] <= 20 * r["themes"]
