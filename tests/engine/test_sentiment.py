"""Sentiment of comments that mix praise and complaint (issue 14 item 6).

tests/data/sentiment_mixed.csv: 264 comments written for this test (210 Dutch,
54 English; airline, telecom, bank, energy, hotel, retail, care, public
services), labelled positive/negative by reading them, most with one clause
of each tone. Rows come in pairs on one subject; pairs alternate between
"dev" (the learned model may train on them: tools/train_sentiment.py) and
"held-out" (never trained or tuned on). The targets are measured on the
held-out half, through the real enrichment (tests/corpus_eval.stored_sentiment).

The Spearman targets against real ratings (held-out files, and each training
sector left out of the training in turn) and the Dutch sign accuracy on real
Dutch reviews run on the real-data corpus (NPS_CORPUS_DIR, and the review sets
beside it; tools/corpus.py builds both) and skip, naming what is missing, when
it is not installed.
"""

import csv
import hashlib
import math
import sys
import tempfile
from pathlib import Path

import pytest
import vaderSentiment.vaderSentiment as vader
from corpus_eval import stored_sentiment
from corpus_files import require

from nps_core.text.sentiment import (
    AFTER_CONTRAST,
    EN_SPREAD,
    MODEL_FILE,
    MODEL_VERSION,
    NGRAM_FILE,
    NL_LEXICON,
    NL_PATTERN,
    REVISION,
    clauses,
    ngram_model,
    ngrams,
    score,
    text_score,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "sentiment_mixed.csv"
ROOT = Path(__file__).resolve().parents[2]


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
    assert accuracy >= 0.88, accuracy  # 2026-12-05, broad training: 0.865 -> 0.885


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
    weights (features listed by hand), the clause after "but" counting
    AFTER_CONTRAST times as in the lexical score, weighed with the lexical
    score by the trained weights and spread; a Dutch comment gets its lexical
    score alone."""
    model = ngram_model()
    weights = model["weights"]
    clauses = [["the", "seats", "were", "comfortable", "the seats", "seats were", "were comfortable"],
               ["the", "food", "was", "cold", "the food", "food was", "was cold"]]
    first, second = (sum(weights.get(g, 0.0) for g in c) for c in clauses)
    learned = (first + AFTER_CONTRAST * second) / (1 + AFTER_CONTRAST)
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


def test_all_sentiment_weights_together_stay_small():
    """Issue 28: the model stays at most 20 MB (weights and lexicons it reads)."""
    assert sum(f.stat().st_size for f in (NGRAM_FILE, MODEL_FILE, NL_LEXICON, NL_PATTERN)) <= 20 * 2**20


def test_model_version_is_the_revision_and_a_digest_of_the_weights():
    """The version stored with each score changes whenever tools/train_sentiment.py
    rewrites the weights (or a lexicon changes): the digest of the files'
    bytes, computed here with hashlib, is in it."""
    h = hashlib.sha256()
    for f in (NL_LEXICON, NL_PATTERN, MODEL_FILE, NGRAM_FILE):
        h.update(f.read_bytes())
    assert MODEL_VERSION == f"{REVISION}-{h.hexdigest()[:12]}"


# Spearman against the reviewer's rating (bench/sentiment_eval.py; the rating is
# never an input), each floor the figure measured on 2026-12-05 with the model
# trained broadly (issue 28: 66,692 reviews of eight sectors), rounded down to
# the hundredth below, so a regression fails. Beside each: old -> new, "old"
# being issue 14's model measured the same day on the same rebuilt corpus. It
# had trained on British Airways reviews, many of which the two British Airways
# files repeat (its 0.84 on them was partly in sample); nothing trains on an
# evaluation file now. Telecom is a little worse (0.572 -> 0.550).
HELD_OUT_FLOORS = {
    "ba_reviews_2024_author_id.csv": 0.75,  # airline, British Airways: 0.839 -> 0.752 (VADER 0.667)
    "ba_reviews_pandas_index.csv": 0.78,  # airline, British Airways: 0.837 -> 0.781 (VADER 0.695)
    "skytrax_seat_reviews.csv": 0.67,  # airline, other airlines: 0.673 -> 0.676 (VADER 0.614)
    "hotel_reviews_booking_semicolon.csv": 0.51,  # hotel: 0.421 -> 0.518 (VADER 0.360)
    "telecom_callscript_nps.xlsx": 0.54,  # telecom: 0.572 -> 0.550 (VADER 0.530)
    "bank_reviews_us.xlsx": 0.65,  # banking, ratings 1 or 5 only: 0.640 -> 0.655 (VADER 0.453)
    "sudzilla_event_survey_googleforms.csv": 0.44,  # events, 37 answers: 0.256 -> 0.443 (VADER 0.308)
}
# Leave one sector out (bench/sentiment_eval.py --sectors): the sector's
# reviews scored by the model trained on the other seven, measured 2026-12-05,
# rounded down to the hundredth below; VADER's figure beside it. The issue's
# goals are not all met: the mean is 0.612 (goal 0.70), and banking and hotel
# beat VADER by less than 0.10.
SECTOR_FLOORS = {
    "airport lounge": 0.74,  # 0.743 (VADER 0.641)
    "banking": 0.57,  # 0.574 (VADER 0.503)
    "clothing": 0.59,  # 0.600 (VADER 0.451)
    "electronics": 0.56,  # 0.564 (VADER 0.381)
    "hotel": 0.64,  # 0.648 (VADER 0.555)
    "insurance": 0.59,  # 0.600 (VADER 0.482)
    "restaurant": 0.76,  # 0.770 (VADER 0.613)
    "theme park": 0.39,  # 0.399 (VADER 0.293)
}
SECTOR_MEAN_FLOOR = 0.61  # 0.612 (VADER 0.490)
# Keytrade Bank's Dutch Trustpilot reviews, 1-2 against 4-5 stars, never trained
# on: 0.890 on 2026-12-05 (goal 0.90; VADER, which reads no Dutch, 0.271)
DUTCH_REVIEWS_FLOOR = 0.88


def _bench():
    sys.path.insert(0, str(ROOT / "bench"))
    import sentiment_eval

    return sentiment_eval


@pytest.fixture(scope="module")
def spearman():
    """Spearman per installed held-out file (each test requires its own)."""
    return {r["file"]: r for r in _bench().evaluate()}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HELD_OUT_FLOORS))
def test_spearman_on_held_out_files(spearman, name):
    require(next(_bench().corpus_name(s) for s in _bench().SOURCES if s.name == name))
    assert spearman[name]["spearman"] >= HELD_OUT_FLOORS[name], spearman[name]


@pytest.fixture(scope="module")
def sectors():
    bench = _bench()
    require(*[bench.corpus_name(s) for s in bench.SOURCES if s.role == "training"])
    return {r["sector"]: r for r in bench.by_sector(Path(tempfile.gettempdir()) / "nps_sentiment_cache") if r["file"] == "all"}


@pytest.mark.slow
@pytest.mark.timeout(1800)  # eight trainings: 5 minutes on an idle machine, 13 on a loaded one
def test_each_sector_left_out_of_training_holds_its_floor_and_beats_vader(sectors):
    """Trains once per sector (several minutes)."""
    assert set(sectors) == set(SECTOR_FLOORS)
    for name, row in sectors.items():
        assert row["spearman"] >= SECTOR_FLOORS[name] and row["spearman"] > row["vader"], row
    mean = sum(r["spearman"] for r in sectors.values()) / len(sectors)
    assert mean >= SECTOR_MEAN_FLOOR, mean


@pytest.mark.slow
def test_dutch_sign_accuracy_on_real_dutch_reviews():
    bench = _bench()
    require(bench.corpus_name(bench.DUTCH_REVIEWS))
    row = next(d for d in bench.dutch_sign_accuracy() if d["set"].startswith(bench.DUTCH_REVIEWS.name))
    assert row["n"] >= 400 and row["accuracy"] >= DUTCH_REVIEWS_FLOOR, row


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
