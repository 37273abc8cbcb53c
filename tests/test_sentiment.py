"""Sentiment of comments that mix praise and complaint (issue 14 item 6).

tests/data/sentiment_mixed.csv: 264 comments written for this test (210 Dutch,
54 English; airline, telecom, bank, energy, hotel, retail, care, public
services), labelled positive/negative by reading them, most with one clause
of each tone. Rows come in pairs on one subject; pairs alternate between
"dev" (the learned model may train on them: tools/train_sentiment.py) and
"held-out" (never trained or tuned on). The targets are measured on the
held-out half, through the real enrichment (tests/corpus_eval.stored_sentiment).

The Spearman target against real ratings runs on the real-export corpus
(NPS_CORPUS_DIR) and skips when it is not installed.
"""

import csv
import os
from pathlib import Path

import pytest
import vaderSentiment.vaderSentiment as vader
from corpus_eval import stored_sentiment

from nps_core.text.sentiment import AFTER_CONTRAST, clauses, score

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


CORPUS = Path(os.environ.get("NPS_CORPUS_DIR") or ROOT.parent / "shared" / "corpus" / "exports")


@pytest.mark.slow
def test_spearman_against_the_rating_on_real_airline_reviews():
    """bench/sentiment_eval.py's tuning file (British Airways reviews, 1,800)
    and the held-out Skytrax seat reviews (other airlines): the rating is never
    an input. Per-file figures: `python bench/sentiment_eval.py`."""
    if not CORPUS.is_dir():
        pytest.skip(f"real-export corpus not installed at {CORPUS} (set NPS_CORPUS_DIR)")
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    from sentiment_eval import FILES, load

    got = {}
    for name, rating, columns, options in FILES[:2]:
        df = load(name, rating, columns, options)
        df["sentiment"] = stored_sentiment(df["comment"].tolist())
        got[name] = df["sentiment"].corr(df["rating"], method="spearman")
    tuning, held_out = got.values()
    assert tuning >= 0.75, got
    assert held_out >= 0.63, got


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
