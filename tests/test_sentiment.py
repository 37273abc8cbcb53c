"""Sentiment of comments that mix praise and complaint (issue 14 item 6).

tests/data/sentiment_mixed.csv: 264 comments written for this test (210 Dutch,
54 English; airline, telecom, bank, energy, hotel, retail, care, public
services), labelled positive/negative by reading them, most with one clause
of each tone. Rows come in pairs on one subject; pairs alternate between
"dev" (the learned model may train on them: tools/train_sentiment.py) and
"held-out" (never trained or tuned on). The targets are measured on the
held-out half, through the real enrichment (tests/corpus_eval.stored_sentiment).

The Spearman targets against real ratings run on the real-export corpus
(NPS_CORPUS_DIR, and the review sets beside it) and skip when it is not installed.
"""

import csv
import math
import sys
from pathlib import Path

import pytest
import vaderSentiment.vaderSentiment as vader
from corpus_eval import stored_sentiment
from corpus_files import require

from nps_core.text.sentiment import AFTER_CONTRAST, EN_SPREAD, clauses, ngram_model, ngrams, score, text_score

DATA = Path(__file__).resolve().parent / "data" / "sentiment_mixed.csv"
ROOT = Path(__file__).resolve().parents[1]


def _rows(split: str) -> list[dict]:
    with open(DATA, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["split"] == split]


@pytest.fixture(scope="module")
def held_out():
    rows = _rows("held-out")
    for r, s in zip(rows, stored_sentiment([r["comment"] for r in rows])):
        r["score"] = s
    return rows


def _accuracy(rows, lang):
    mine = [r for r in rows if r["language"] == lang]
    right = sum((r["score"] > 0) == (r["sentiment"] == "positive") and r["score"] != 0 for r in mine)
    return right / len(mine), len(mine)


def test_the_set_is_split_in_halves_by_pair():
    dev, held = _rows("dev"), _rows("held-out")
    assert len(held) >= 130 and sum(r["language"] == "nl" for r in held) >= 100
    assert not {r["comment"] for r in dev} & {r["comment"] for r in held}


def test_dutch_sign_accuracy_on_held_out_mixed_comments(held_out):
    accuracy, n = _accuracy(held_out, "nl")
    assert n >= 100
    assert accuracy >= 0.85, accuracy


def test_english_sign_accuracy_on_held_out_mixed_comments(held_out):
    """The issue sets no English sign target; this floor is the whole-text
    VADER reading's 0.70 on all 54 English comments here (before clause-level
    scoring), which the blend must not fall below on the held-out half."""
    accuracy, n = _accuracy(held_out, "en")
    assert n >= 25
    assert accuracy >= 0.70, accuracy


def test_a_mixed_comment_is_the_weighted_mean_of_its_clauses():
    """Clauses without any of our domain words, so plain VADER is the oracle:
    praise, then a complaint after "but", which weighs AFTER_CONTRAST."""
    plain = vader.SentimentIntensityAnalyzer()
    first, second = "The crew were lovely", "the food was awful"
    a, b = (plain.polarity_scores(t)["compound"] for t in (first, second))
    assert a > 0.4 and b < -0.4
    expected = (a + AFTER_CONTRAST * b) / (1 + AFTER_CONTRAST)
    assert score(f"{first}, but {second}.", "en") == pytest.approx(expected, abs=1e-3)
    assert [w for _, w in clauses(f"{first}, but {second}.")] == [1.0, AFTER_CONTRAST]


def test_a_long_mixed_review_does_not_saturate():
    """Three praising and three complaining sentences: VADER over the whole
    text reads it as near-certain praise or complaint; clause by clause it is
    balanced."""
    review = ("The crew were lovely. The food was awful. The seats were comfortable. "
              "The toilets were filthy. The pilot was friendly. The delay was terrible.")
    whole = vader.SentimentIntensityAnalyzer().polarity_scores(review)["compound"]
    assert abs(whole) > abs(score(review, "en"))
    assert abs(score(review, "en")) < 0.25


def test_ngram_features_mark_negated_words():
    """Written out by hand: words and word pairs; after a negation its
    content words are marked and its function words dropped, the negation
    itself is no feature."""
    assert ngrams("The food was cold") == {"the", "food", "was", "cold", "the food", "food was", "was cold"}
    assert ngrams("No complaints at all") == {"not_complaints", "no complaints", "complaints at", "at all"}


def test_english_text_score_is_the_fitted_mix_of_lexical_and_ngram_scores():
    """The n-gram score is the mean over the clauses of the clause's summed
    weights (features listed by hand), weighed with the lexical score by the
    trained weights and spread; a Dutch comment gets its lexical score alone."""
    model = ngram_model()
    weights = model["weights"]
    clauses = [["the", "seats", "were", "comfortable", "the seats", "seats were", "were comfortable"],
               ["the", "food", "was", "cold", "the food", "food was", "was cold"]]
    learned = sum(sum(weights.get(g, 0.0) for g in c) for c in clauses) / 2
    comment = "The seats were comfortable, but the food was cold"
    mix = model["lexical_weight"] * score(comment, "en") + model["ngram_weight"] * max(-1.0, min(1.0, learned))
    assert text_score(comment, "en") == pytest.approx(math.tanh(EN_SPREAD * mix), abs=1e-4)
    dutch = "De stoelen waren comfortabel, maar het eten was koud"
    assert text_score(dutch, "nl") == score(dutch, "nl")


def test_negated_complaints_read_as_praise():
    """Short survey answers the review-trained part must not misread: a
    negated complaint is praise, "never again" is not."""
    praise = ["No complaints at all", "Nothing to complain about", "Not bad at all", "Could not fault them"]
    complaints = ["Never again", "Nobody called me back"]
    got = dict(zip(praise + complaints, stored_sentiment(praise + complaints)))
    assert all(got[t] > 0 for t in praise), got
    assert all(got[t] < 0 for t in complaints), got


# Spearman against the reviewer's rating (bench/sentiment_eval.py; the rating
# is never an input). The issue asks 0.75 on real English reviews. The tuning
# file reaches it. The held-out files do not: each is held to the figure
# measured, rounded down to the hundredth, so a regression fails; the figure
# before the n-gram model (lexicon + vector blend) is noted beside it.
# Re-measured 2026-12-05 on the corpus rebuilt by tools/corpus.py (issue 26):
# the seat, telecom, banking and events files are the original sources and
# measure exactly as on 2026-11-26 (0.673, 0.572, 0.640, 0.256). The hotel
# file is another excerpt of the same Booking.com data: 0.421 (the old file:
# 0.491). The British Airways files are other scrapes of the same reviews: the
# tuning file measures 0.839 (old file 0.852; the n-gram model was trained on
# the old file, so this one is only partly in sample) and the held-out scrape
# has 1,171 reviews the tuning file does not hold: 0.816 (old: 0.723 on 273).
# Those 1,171 may still include reviews of the lost training file, which
# cannot be checked any more: read that figure as an upper bound.
TARGET = 0.75
HELD_OUT_FLOORS = {
    "skytrax_seat_reviews.csv": 0.67,  # other airlines: 0.673 (0.648 before)
    "hotel_reviews_booking_semicolon.csv": 0.42,  # hotel: 0.421 on this excerpt (on the lost one 0.491, 0.421 before)
    "telecom_callscript_nps.xlsx": 0.57,  # telecom: 0.572 (0.539 before)
    "bank_reviews_us.xlsx": 0.63,  # banking, ratings 1 or 5 only: 0.640 (0.635 before)
    "sudzilla_event_survey_googleforms.csv": 0.25,  # events, 37 answers: 0.256 (0.344 before)
}
BA_NOT_IN_TRAINING_FLOOR = 0.81  # 1,171 British Airways reviews the tuning file does not hold: 0.816 (old: 0.72)


def _bench():
    sys.path.insert(0, str(ROOT / "bench"))
    import sentiment_eval

    return sentiment_eval


@pytest.fixture(scope="module")
def spearman():
    """Spearman per file; skips unless the tuning and training files are there
    (a held-out figure is reported apart from its overlap with them)."""
    bench = _bench()
    require(*[bench.corpus_name(s) for s in bench.SOURCES if s.role != "held-out"])
    return {r["file"]: r for r in bench.evaluate()}


@pytest.mark.slow
def test_spearman_on_the_tuning_file_reaches_the_target(spearman):
    assert spearman["ba_reviews_2024_author_id.csv"]["spearman"] >= TARGET, spearman


@pytest.mark.slow
def test_spearman_on_held_out_british_airways_reviews(spearman):
    require("ba_reviews_pandas_index.csv")
    row = spearman["ba_reviews_pandas_index.csv"]
    assert row["n_not_in_training"] >= 250
    assert row["spearman_not_in_training"] >= BA_NOT_IN_TRAINING_FLOOR, row


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HELD_OUT_FLOORS))
def test_spearman_on_held_out_sectors(spearman, name):
    require(next(_bench().corpus_name(s) for s in _bench().SOURCES if s.name == name))
    row = spearman[name]
    assert row["role"] == "held-out" and "overlap_with_training" not in row, row
    assert row["spearman"] >= HELD_OUT_FLOORS[name], row


def test_worth_a_read_lists_real_contradictions_only(store, tmp_path):
    """The demo misfiled both ways: a promoter's praise read as negative ("naar
    boven": Pattern's "naar" = nasty), a promoter's "No comment", and a
    detractor's complaint that begins politely. Only the true contradictions
    may be listed: a promoter who complains, a detractor who praises."""
    from conftest import write_csv

    from nps_core.analysis.filters import Filters
    from nps_core.analysis.themes import mismatches
    from nps_core.ingest.importer import import_file

    rows = [
        (10, "De bezorger heeft de doos zelfs naar boven gedragen!"),  # praise
        (9, "No comment"),
        (9, "Geen"),
        (10, "Het bestelproces is heel simpel!"),  # praise
        (9, "Drie weken gewacht en niemand reageerde op mijn mails, waardeloos"),  # promoter who complains
        (2, "The agent was polite, but the issue is still not fixed after four calls."),  # complaint
        (4, "De informatie op de site klopt niet en dubbel afgeschreven!!!"),  # complaint
        (1, "Super vriendelijk geholpen, echt top!"),  # detractor who praises
    ]
    data = [{"response_id": f"w{i}", "responded_at": "2025-04-01", "score": s, "comment": c, "nps_type": "product"}
            for i, (s, c) in enumerate(rows)]
    import_file(store, write_csv(tmp_path / "w.csv", data), dataset="w")
    promoters = list(mismatches(store, Filters(dataset="w"), "promoter", limit=10)["comment"])
    detractors = list(mismatches(store, Filters(dataset="w"), "detractor", limit=10)["comment"])
    assert promoters == ["Drie weken gewacht en niemand reageerde op mijn mails, waardeloos"]
    assert detractors == ["Super vriendelijk geholpen, echt top!"]
