"""Sentiment against the reviewer's own rating on real reviews, per file and sector.

The rating is never an input: each comment is scored by nps_core's sentiment
(through the real enrichment, tests/corpus_eval.stored_sentiment) and the
Spearman rank correlation with the rating is printed per file, with its role:

- tuning: ba_reviews_2024_author_id.csv. The lexicon changes were chosen
  looking at it, and tools/train_sentiment.py trains on it.
- training: files tools/train_sentiment.py trains the learned scores on and
  nothing else; a figure on them is in-sample.
- held-out: never trained or tuned on. Whole sources and sectors: other
  airlines' seat reviews, hotel (Booking.com), telecom, banking, events.

The British Airways files come from one review site, so some reviews appear in
two of them: the overlap of a held-out file with the training reviews is
printed and the figure on its other reviews is given too (for
ba_reviews_pandas_index.csv that part is the held-out figure).

ba_skytrax_reviews_2023.csv is left out: its `rating` column does not belong
to the review beside it (of the 439 rows rated 1, 195 say recommended=yes,
and "service on board was impeccable" is rated 1), so no method can be
measured against it.

Dutch: no real Dutch review set with ratings could be fetched, so Dutch is
measured by sign accuracy on the held-out half of our hand-written mixed
comments (tests/data/sentiment_mixed.csv), printed last.

    NPS_CORPUS_DIR=/path/to/exports python bench/sentiment_eval.py [--json]

The files are kept outside the repository (fetched text; sources and licences
in tests/corpus/manifest.json, built by tools/corpus.py): the real exports in
NPS_CORPUS_DIR, the review sets fetched for the sentiment in its sibling
folder `reviews`. Missing files are named on stderr with the command that
builds them; the others are measured.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))
import corpus_files  # noqa: E402
from corpus_eval import stored_sentiment  # noqa: E402


@dataclass(frozen=True)
class Source:
    """A rated review file: where it is, which columns hold the rating and
    the comment (several are joined: the hotel's liked/disliked halves, a
    title and its text), the rating's scale, its sector and role."""
    name: str
    folder: str  # "exports" (NPS_CORPUS_DIR) or "reviews" (its sibling)
    rating: str
    columns: list[str]
    scale: tuple[float, float]
    sector: str
    role: str  # tuning, training or held-out
    options: dict = field(default_factory=dict)


TUNING = "ba_reviews_2024_author_id.csv"
SOURCES = [
    Source(TUNING, "exports", "Rating", ["Review"], (1, 10), "airline (British Airways)", "tuning"),
    # Skytrax airport-lounge reviews: overall_rating is 1-5 but 67 rows are on a
    # 1-10 scale; those are dropped (max_rating)
    Source("skytrax_lounge_reviews.csv", "reviews", "overall_rating", ["content"], (1, 5), "airport lounge",
           "training", {"max_rating": 5}),
    Source("womens_clothing_reviews.csv", "reviews", "Rating", ["Title", "Review Text"], (1, 5), "retail (clothing)",
           "training"),
    Source("skytrax_seat_reviews.csv", "exports", "overall_rating", ["content"], (1, 10), "airline (other airlines)",
           "held-out"),
    Source("ba_reviews_pandas_index.csv", "exports", "Rating", ["Review"], (1, 10), "airline (British Airways)",
           "held-out"),
    Source("hotel_reviews_booking_semicolon.csv", "exports", "Reviewer_Score", ["Positive_Review", "Negative_Review"],
           (0, 10), "hotel", "held-out", {"sep": ";"}),
    Source("telecom_callscript_nps.xlsx", "exports", "SCORE", ["LTR_COMMENT"], (0, 10), "telecom", "held-out"),
    Source("bank_reviews_us.xlsx", "reviews", "Stars", ["Reviews"], (1, 5), "banking (mortgage lenders)", "held-out"),
    Source("sudzilla_event_survey_googleforms.csv", "exports", "On a scale of 0-10, how would you rate Sudzilla?",
           ["...why?"], (0, 10), "events", "held-out"),
]
# the scrapers' boilerplate and the hotel file's placeholders carry no tone
NOISE = r"(?i)^\W*(?:✅\s*)?(?:trip verified|not verified|verified review)\s*\|\s*|^\s*no (?:negative|positive)\s*$"
MIXED = ROOT / "tests" / "data" / "sentiment_mixed.csv"


def corpus_dir() -> Path:
    return corpus_files.exports_dir()


def corpus_name(source: Source) -> str:
    """The file's name in tests/corpus/manifest.json terms: "exports/x.csv", "reviews/y.csv"."""
    return f"{source.folder}/{source.name}"


def path(source: Source) -> Path:
    return corpus_files.path(corpus_name(source))


def load(source: Source) -> pd.DataFrame:
    """The file's comments (noise removed, parts joined) with their ratings."""
    file = path(source)
    options = {k: v for k, v in source.options.items() if k != "max_rating"}
    df = pd.read_excel(file) if file.suffix == ".xlsx" else pd.read_csv(file, **options)
    parts = [df[c].astype("string").fillna("").str.replace(NOISE, "", regex=True).str.strip()
             .replace("NULL", "") for c in source.columns]
    text = parts[0]
    for p in parts[1:]:  # "liked. disliked": one comment, two parts
        text = (text + ". " + p).str.strip(". ")
    out = pd.DataFrame({"comment": text, "rating": pd.to_numeric(df[source.rating], errors="coerce")})
    out = out[(out["comment"].str.len() > 0) & out["rating"].notna()]
    if "max_rating" in source.options:
        out = out[out["rating"] <= source.options["max_rating"]]
    return out.reset_index(drop=True)


def available() -> list[Source]:
    return [s for s in SOURCES if path(s).exists()]


def _spearman(df: pd.DataFrame) -> float:
    return round(df["sentiment"].corr(df["rating"], method="spearman"), 3)


def evaluate(score=None) -> list[dict]:
    """Spearman per file; `score(texts) -> list[float]` defaults to the
    sentiment enrichment stores (tests/corpus_eval.stored_sentiment)."""
    score = score or stored_sentiment
    trained: set[str] = set()
    rows = []
    for source in available():
        df = load(source)
        df["sentiment"] = score(df["comment"].tolist())
        row = {"file": source.name, "sector": source.sector, "role": source.role, "n": len(df),
               "spearman": _spearman(df)}
        if source.role == "held-out":
            fresh = df[~df["comment"].isin(trained)]
            if len(fresh) < len(df):
                row["overlap_with_training"] = len(df) - len(fresh)
                row["n_not_in_training"] = len(fresh)
                row["spearman_not_in_training"] = _spearman(fresh)
        else:
            trained |= set(df["comment"])
        rows.append(row)
    return rows


def dutch_sign_accuracy(score=None) -> dict:
    """Sign accuracy on the held-out Dutch comments of tests/data/sentiment_mixed.csv."""
    score = score or stored_sentiment
    with open(MIXED, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == "held-out" and r["language"] == "nl"]
    got = score([r["comment"] for r in rows])
    right = sum((s > 0) == (r["sentiment"] == "positive") and s != 0 for r, s in zip(rows, got))
    return {"set": "sentiment_mixed.csv held-out, nl (hand-written)", "n": len(rows),
            "accuracy": round(right / len(rows), 3)}


if __name__ == "__main__":
    t0 = time.perf_counter()
    gone = corpus_files.missing(*[corpus_name(s) for s in SOURCES])
    if gone:  # said before measuring: a figure over fewer files is not the same figure
        print(f"not measured: {corpus_files.reason(gone)}", file=sys.stderr)
    result, dutch = evaluate(), dutch_sign_accuracy()
    if "--json" in sys.argv:
        print(json.dumps({"files": result, "dutch": dutch}))
    else:
        for r in result:
            extra = (f"  (overlap with training {r['overlap_with_training']}; the other "
                     f"{r['n_not_in_training']}: {r['spearman_not_in_training']:.3f})"
                     if r.get("overlap_with_training") else "")
            print(f"{r['role']:<9} {r['sector']:<27} {r['file']:<38} n={r['n']:<5} spearman {r['spearman']:.3f}{extra}")
        print(f"dutch     sign accuracy {dutch['accuracy']:.3f} (n={dutch['n']}, {dutch['set']})")
        print(f"{time.perf_counter() - t0:.1f} s")
