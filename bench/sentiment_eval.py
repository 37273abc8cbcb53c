"""Sentiment against the reviewer's own rating on real reviews: per held-out
file, per sector left out of training, and Dutch sign accuracy.

The rating is never an input. Spearman rank correlation with the rating is
printed beside VADER's (vaderSentiment's compound score on the same text, the
baseline the issue measures against):

- held-out files (role "held-out" in SOURCES): the bench's evaluation files,
  never trained on: British Airways and other airlines' reviews, hotel
  (Booking.com), telecom, banking (US mortgage lenders), events. Each comment
  is scored by the real enrichment (tests/corpus_eval.stored_sentiment).
- --sectors, leave one sector out: for each sector of the training reviews
  (role "training"), tools/train_sentiment.py trains on the other sectors and
  our hand-labelled comments, and the sector's reviews are scored by that
  model (Model.scores: the formulas of sentiment.text_score and blend_sql on
  the same features); one table per sector, a row per file, and the mean.
  It trains once per sector: about ten minutes.
- Dutch sign accuracy (positive or negative, as labelled or rated: 1-2 stars
  negative, 4-5 positive) on the Dutch held-out sets: the held-out half of
  tests/data/sentiment_mixed.csv, the Dutch rows of
  tests/data/labelled_heldout.csv, and Keytrade Bank's Dutch Trustpilot
  reviews (the only real Dutch rated set found; never trained on).

ba_skytrax_reviews_2023.csv is left out: its `rating` column does not belong
to the review beside it (of the 439 rows rated 1, 195 say recommended=yes,
and "service on board was impeccable" is rated 1), so no method can be
measured against it.

    NPS_CORPUS_DIR=/work/corpus/exports python bench/sentiment_eval.py [--sectors] [--json]

The files are kept outside the repository (fetched text; sources and licences
in tests/corpus/manifest.json, built by tools/corpus.py): the exports in
NPS_CORPUS_DIR, the review sets in its sibling folder `reviews`. Missing
files are named with the command that builds them; the others are measured.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import vaderSentiment.vaderSentiment as vader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT / "tools"))
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
    role: str  # training or held-out
    options: dict = field(default_factory=dict)


PET_INSURERS = ("akc", "aspca", "embrace", "fetch", "figo", "healthypaws", "petsbest", "pumpkin", "spot")
TRUSTPILOT_BANKS = ("AEA000201011", "AEA000801018", "AED000201015")
SOURCES = [
    # held-out: the bench's evaluation files, never trained on. The British Airways file was the
    # tuning file (the lexicon changes were chosen looking at it, and the n-gram model of issue 14
    # trained on it); since issue 28 nothing trains on it
    Source("ba_reviews_2024_author_id.csv", "exports", "Rating", ["Review"], (1, 10), "airline (British Airways)",
           "held-out"),
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
    # training: rated reviews of eight sectors (tests/corpus/manifest.json names their sources);
    # the sector is what the leave-one-sector-out evaluation leaves out
    *[Source(f"pet_insurance_{p}_trustpilot.csv", "reviews", "rating", ["title", "text"], (1, 5), "insurance",
             "training") for p in PET_INSURERS],
    Source("zomato_restaurant_reviews.csv", "reviews", "Rating", ["Review"], (1, 5), "restaurant", "training"),
    Source("womens_clothing_reviews_all.csv", "reviews", "Rating", ["Title", "Review Text"], (1, 5), "clothing",
           "training"),
    Source("amazon_alexa_reviews.csv", "reviews", "rating", ["verified_reviews"], (1, 5), "electronics", "training"),
    Source("amazon_musical_instruments_reviews.csv", "reviews", "overall", ["summary", "reviewText"], (1, 5),
           "electronics", "training"),
    Source("tripadvisor_hotel_reviews.csv", "reviews", "Rating", ["Review"], (1, 5), "hotel", "training"),
    Source("datafiniti_hotel_reviews.csv", "reviews", "reviews.rating", ["reviews.title", "reviews.text"], (1, 5),
           "hotel", "training"),
    Source("disneyland_reviews.csv", "reviews", "Rating", ["Review_Text"], (1, 5), "theme park", "training"),
    # overall_rating is 1-5 but 67 rows are on a 1-10 scale; those are dropped (max_rating)
    Source("skytrax_lounge_reviews.csv", "reviews", "overall_rating", ["content"], (1, 5), "airport lounge",
           "training", {"max_rating": 5}),
    *[Source(f"trustpilot_bank_{b}.csv", "reviews", "Rating", ["Review Title", "Review Text"], (1, 5), "banking",
             "training", {"language": ("Language", "en")}) for b in TRUSTPILOT_BANKS],
    Source("keytrade_bank_trustpilot.csv", "reviews", "rating", ["title", "text"], (1, 5), "banking", "training",
           {"language": ("language", "en")}),
]
# the real Dutch rated reviews: Keytrade Bank's Dutch Trustpilot reviews, never trained on
DUTCH_REVIEWS = Source("keytrade_bank_trustpilot.csv", "reviews", "rating", ["title", "text"], (1, 5), "banking",
                       "held-out", {"language": ("language", "nl")})
# the scrapers' boilerplate and the hotel file's placeholders carry no tone
NOISE = r"(?i)^\W*(?:✅\s*)?(?:trip verified|not verified|verified review)\s*\|\s*|^\s*no (?:negative|positive)\s*$"
MIXED = ROOT / "tests" / "data" / "sentiment_mixed.csv"
HELD_OUT = ROOT / "tests" / "data" / "labelled_heldout.csv"


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
    options = {k: v for k, v in source.options.items() if k not in ("max_rating", "language")}
    df = pd.read_excel(file) if file.suffix == ".xlsx" else pd.read_csv(file, **options)
    parts = [df[c].astype("string").fillna("").str.replace(NOISE, "", regex=True).str.strip()
             .replace("NULL", "") for c in source.columns]
    text = parts[0]
    for p in parts[1:]:  # "liked. disliked": one comment, two parts
        text = (text + ". " + p).str.strip(". ")
    out = pd.DataFrame({"comment": text, "rating": pd.to_numeric(df[source.rating], errors="coerce")})
    if "language" in source.options:  # one language of a multilingual file
        column, wanted = source.options["language"]
        out = out[df[column] == wanted]
    out = out[(out["comment"].str.len() > 0) & out["rating"].notna()]
    if "max_rating" in source.options:
        out = out[out["rating"] <= source.options["max_rating"]]
    return out.reset_index(drop=True)


def available() -> list[Source]:
    return [s for s in SOURCES if path(s).exists()]


def missing() -> list[str]:
    """The corpus files not installed, by their manifest names."""
    return corpus_files.missing(*dict.fromkeys(corpus_name(s) for s in [*SOURCES, DUTCH_REVIEWS]))


def vader_scores(texts: list[str]) -> list[float]:
    analyser = vader.SentimentIntensityAnalyzer()
    return [analyser.polarity_scores(t)["compound"] for t in texts]


def spearman(scores, ratings) -> float:
    return round(pd.Series(list(scores)).corr(pd.Series(list(ratings)), method="spearman"), 3)


def evaluate(score=None) -> list[dict]:
    """Spearman per installed held-out file, ours and VADER's; `score(texts) ->
    list[float]` defaults to the sentiment enrichment stores
    (tests/corpus_eval.stored_sentiment)."""
    score = score or stored_sentiment
    rows = []
    for source in available():
        if source.role != "held-out":
            continue
        df = load(source)
        texts = df["comment"].tolist()
        rows.append({"file": source.name, "sector": source.sector, "n": len(df),
                     "spearman": spearman(score(texts), df["rating"]),
                     "vader": spearman(vader_scores(texts), df["rating"])})
    return rows


def by_sector(cache: Path) -> list[dict]:
    """Leave one sector out: a row per training file and one per sector ("all"),
    our Spearman (trained without the sector) and VADER's."""
    import train_sentiment as ts

    data = ts.training_reviews() + ts.hand_labelled()
    f = ts.features(data.texts, cache)
    vad = np.array(vader_scores(data.texts))
    out = []
    for sector in sorted(set(data.sector) - {"hand"}):
        model = ts.train(f, data, np.flatnonzero(data.sector != sector))
        rows = np.flatnonzero(data.sector == sector)
        ours = model.scores(f, rows)
        for name in [*dict.fromkeys(data.file[rows]), "all"]:
            part = slice(None) if name == "all" else data.file[rows] == name
            out.append({"sector": sector, "file": name, "n": len(rows[part]),
                        "spearman": spearman(ours[part], data.target[rows][part]),
                        "vader": spearman(vad[rows][part], data.target[rows][part])})
    return out


def _signs(labels: list[str], scores) -> dict:
    right = sum((s > 0) == (label == "positive") and s != 0 for label, s in zip(labels, scores))
    return {"n": len(labels), "accuracy": round(right / len(labels), 3)}


def dutch_sign_accuracy(score=None) -> list[dict]:
    """Sign accuracy on each installed Dutch held-out set (see the module's docstring)."""
    score = score or stored_sentiment
    sets = []
    with open(MIXED, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == "held-out" and r["language"] == "nl"]
    sets.append(("sentiment_mixed.csv held-out half (hand-written)", rows))
    with open(HELD_OUT, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["language"] == "nl" and r["sentiment"] != "neutral"]
    sets.append(("labelled_heldout.csv (hand-written)", rows))
    if path(DUTCH_REVIEWS).exists():
        df = load(DUTCH_REVIEWS)
        df = df[df["rating"] != 3]
        sets.append((f"{DUTCH_REVIEWS.name}, Dutch, 1-2 vs 4-5 stars (real reviews)",
                     [{"comment": c, "sentiment": "positive" if r > 3 else "negative"}
                      for c, r in zip(df["comment"], df["rating"])]))
    out = []
    for name, rows in sets:
        texts, labels = [r["comment"] for r in rows], [r["sentiment"] for r in rows]
        out.append({"set": name, **_signs(labels, score(texts)), "vader": _signs(labels, vader_scores(texts))["accuracy"]})
    return out


def _print(result: dict) -> None:
    print("held-out files: Spearman with the rating")
    print(f"{'sector':<27} {'file':<38} {'n':>6} {'ours':>6} {'VADER':>6}")
    for r in result["files"]:
        print(f"{r['sector']:<27} {r['file']:<38} {r['n']:>6} {r['spearman']:>6.3f} {r['vader']:>6.3f}")
    if "sectors" in result:
        sectors = [r for r in result["sectors"] if r["file"] == "all"]
        for sector in sectors:
            print(f"\nleft out: {sector['sector']} (trained on the other sectors)")
            print(f"{'file':<42} {'n':>6} {'ours':>6} {'VADER':>6} {'gain':>6}")
            for r in result["sectors"]:
                if r["sector"] == sector["sector"]:
                    print(f"{r['file']:<42} {r['n']:>6} {r['spearman']:>6.3f} {r['vader']:>6.3f} "
                          f"{r['spearman'] - r['vader']:>+6.3f}")
        mean = np.mean([r["spearman"] for r in sectors]), np.mean([r["vader"] for r in sectors])
        print(f"\nmean over {len(sectors)} sectors: ours {mean[0]:.3f}, VADER {mean[1]:.3f}")
    print("\nDutch sign accuracy")
    for d in result["dutch"]:
        print(f"{d['set']:<66} n={d['n']:<4} ours {d['accuracy']:.3f}  VADER {d['vader']:.3f}")
    if result["missing"]:
        print(f"\nnot measured: {corpus_files.reason(result['missing'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sectors", action="store_true", help="also leave each training sector out in turn")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "nps_sentiment_cache",
                        help="where the encoder's word vectors are kept between runs")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    result = {"files": evaluate(), "dutch": dutch_sign_accuracy(), "missing": missing()}
    if args.sectors:
        result["sectors"] = by_sector(args.cache)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(result))
    else:
        _print(result)
        print(f"{result['seconds']} s")


if __name__ == "__main__":
    main()
