"""Sentiment against the reviewer's own rating on the real-export corpus.

The rating is never an input: each comment is scored by nps_core's sentiment
and the Spearman rank correlation with the rating is printed per file.
ba_reviews_2024_author_id.csv is the TUNING file (weights and lexicon changes
were chosen looking at it); every other file is HELD OUT. The British Airways
files come from the same review site, so some reviews appear in two of them:
the overlap with the tuning file is printed and the figure on the held-out
part alone (reviews not in the tuning file) is given too.

ba_skytrax_reviews_2023.csv is left out: its `rating` column does not belong
to the review beside it (of the 439 rows rated 1, 195 say recommended=yes,
and "service on board was impeccable" is rated 1), so no method can be
measured against it.

    NPS_CORPUS_DIR=/path/to/exports python bench/sentiment_eval.py [--json]

The corpus is kept outside the repository; tests that use it
read NPS_CORPUS_DIR and skip when it is missing.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "tests"))
from corpus_eval import stored_sentiment  # noqa: E402

TUNING = "ba_reviews_2024_author_id.csv"
# file, rating column, comment column(s), read options; hotel reviews come as
# two halves (what the guest liked / disliked), read together as one comment
FILES = [
    (TUNING, "Rating", ["Review"], {}),
    ("skytrax_seat_reviews.csv", "overall_rating", ["content"], {}),
    ("ba_reviews_pandas_index.csv", "Rating", ["Review"], {}),
    ("hotel_reviews_booking_semicolon.csv", "Reviewer_Score", ["Positive_Review", "Negative_Review"], {"sep": ";"}),
    ("telecom_callscript_nps.xlsx", "SCORE", ["LTR_COMMENT"], {}),
    ("sudzilla_event_survey_googleforms.csv", "On a scale of 0-10, how would you rate Sudzilla?", ["...why?"], {}),
]
# the scrapers' boilerplate and the hotel file's placeholders carry no tone
NOISE = r"(?i)^\W*(?:✅\s*)?(?:trip verified|not verified|verified review)\s*\|\s*|^\s*no (?:negative|positive)\s*$"


def corpus_dir() -> Path:
    return Path(os.environ.get("NPS_CORPUS_DIR", ROOT.parent / "shared" / "corpus" / "exports"))


def load(name: str, rating: str, columns: list[str], options: dict) -> pd.DataFrame:
    """The file's comments (noise removed, halves joined) with their ratings."""
    path = corpus_dir() / name
    df = pd.read_excel(path) if name.endswith(".xlsx") else pd.read_csv(path, **options)
    parts = [df[c].astype("string").fillna("").str.replace(NOISE, "", regex=True).str.strip()
             .replace("NULL", "") for c in columns]
    text = parts[0]
    for p in parts[1:]:  # "liked. disliked": one comment, two halves
        text = (text + ". " + p).str.strip(". ")
    out = pd.DataFrame({"comment": text, "rating": pd.to_numeric(df[rating], errors="coerce")})
    return out[(out["comment"].str.len() > 0) & out["rating"].notna()].reset_index(drop=True)


def evaluate(score=None) -> list[dict]:
    """Spearman per file; `score(texts) -> list[float]` defaults to the
    sentiment enrichment stores (tests/corpus_eval.stored_sentiment)."""
    score = score or stored_sentiment
    tuning = None
    rows = []
    for name, rating, columns, options in FILES:
        if not (corpus_dir() / name).exists():
            continue
        df = load(name, rating, columns, options)
        df["sentiment"] = score(df["comment"].tolist())
        row = {"file": name, "role": "tuning" if name == TUNING else "held-out", "n": len(df),
               "spearman": round(df["sentiment"].corr(df["rating"], method="spearman"), 3)}
        if name == TUNING:
            tuning = set(df["comment"])
        elif tuning is not None:
            fresh = df[~df["comment"].isin(tuning)]
            row["overlap_with_tuning"] = len(df) - len(fresh)
            if len(fresh) < len(df):
                row["spearman_not_in_tuning"] = round(fresh["sentiment"].corr(fresh["rating"], method="spearman"), 3)
        rows.append(row)
    return rows


if __name__ == "__main__":
    t0 = time.perf_counter()
    result = evaluate()
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        for r in result:
            extra = (f"  (overlap with tuning {r['overlap_with_tuning']}, rest {r.get('spearman_not_in_tuning')})"
                     if r.get("overlap_with_tuning") else "")
            print(f"{r['role']:<9} {r['file']:<40} n={r['n']:<5} spearman {r['spearman']:.3f}{extra}")
        print(f"{time.perf_counter() - t0:.1f} s")
