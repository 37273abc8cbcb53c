"""Search by meaning on real exports of five sectors against 48 queries judged
by reading (tests/corpus/queries/, README there; the measure:
tests/support/search_eval.py; the table: `python bench/search_eval.py`). The exports
are fetched text kept outside the repository (tools/corpus.py; env
NPS_CORPUS_DIR); without them this skips, naming what is missing.

The floors are the precision@10 measured after the stance reranking (issue 28
item 1), rounded down, so a change that makes any of them worse fails here;
the ceilings are the opposite-stance sentences measured in the top 5 of the
negated queries. The issue's goal, precision@10 >= 0.80 on the held-out half,
is NOT reached (measured 0.68); nor is "no opposite sentence in the top 5 of
a negated query" (5 sentences in 3 of the 14 held-out negated queries).
"""

import pytest
from corpus_files import reason
from search_eval import build, evaluate, missing_exports

pytestmark = pytest.mark.slow

# measured 2026-12-05 (before -> after): tuning nl 0.58 -> 0.67, en 0.65 -> 0.82;
# held-out nl 0.49 -> 0.63, en 0.65 -> 0.73
FLOORS = {("tuning", "nl"): 0.66, ("tuning", "en"): 0.81, ("held-out", "nl"): 0.62, ("held-out", "en"): 0.73}
# opposite-stance sentences in the top 5 of the 14 negated queries of each half (before: 11 and 13)
CEILINGS = {"tuning": 1, "held-out": 5}


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    gone = missing_exports()
    if gone:
        pytest.skip(reason(gone))
    return evaluate(build(tmp_path_factory.mktemp("search")))


def test_precision_at_10_keeps_its_floors(measured):
    after = measured["after"]["summary"]
    below = {part: round(after[part]["p10"], 3) for part, floor in FLOORS.items() if after[part]["p10"] < floor}
    assert not below, f"below the floor {FLOORS}: {below}"


def test_the_reranking_beats_the_cosine_alone_in_every_half_and_language(measured):
    before, after = measured["before"]["summary"], measured["after"]["summary"]
    assert all(after[part]["p10"] > before[part]["p10"] for part in FLOORS)


def test_negated_queries_keep_opposite_sentences_out_of_their_top_5(measured):
    after = measured["after"]["summary"]
    over = {half: after[(half, "all")]["opposite5"] for half, most in CEILINGS.items()
            if after[(half, "all")]["opposite5"] > most}
    assert not over, f"more opposite sentences than {CEILINGS}: {over}"
