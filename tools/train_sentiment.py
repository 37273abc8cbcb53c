"""Train the learned half of the sentiment score (nps_core/text/sentiment.py)
and write data/sentiment_model.npy.

Training data: our own hand-labelled comments only, the development parts:
tests/data/labelled_comments.csv (positive/negative rows) and the "dev" rows
of tests/data/sentiment_mixed.csv. Never the held-out rows, never the
real-export files the method is evaluated on. Each clause of a comment
(vectors.split) is a training row with the comment's sign as its target; the
model is ridge regression on the clause's sentence vector (closed form, so
the result is the same on every run).

    python tools/train_sentiment.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nps_core.db.store import Store  # noqa: E402
from nps_core.text import sentiment, vectors  # noqa: E402

DATA = ROOT / "tests" / "data"
RIDGE = 10.0  # chosen with bench/sentiment_eval.py on the tuning file


def training_comments() -> list[tuple[str, float]]:
    rows = []
    with open(DATA / "labelled_comments.csv", encoding="utf-8", newline="") as fh:
        rows += [(r["comment"], r["sentiment"]) for r in csv.DictReader(fh)]
    with open(DATA / "sentiment_mixed.csv", encoding="utf-8", newline="") as fh:
        rows += [(r["comment"], r["sentiment"]) for r in csv.DictReader(fh) if r["split"] == "dev"]
    return [(c, 1.0 if s == "positive" else -1.0) for c, s in rows if s in ("positive", "negative")]


def train() -> np.ndarray:
    texts, targets = [], []
    for comment, sign in training_comments():
        for clause in vectors.split(comment):
            texts.append(clause)
            targets.append(sign)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "train.duckdb")
        with store.write():  # creates the file and its schema
            pass
        x = vectors.embed(store, texts).astype(np.float64)
    x = np.hstack([x, np.ones((len(x), 1))])
    weights = np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ np.array(targets))
    print(f"{len(texts)} clauses from {len(training_comments())} comments")
    return weights.astype(np.float32)


if __name__ == "__main__":
    np.save(sentiment.MODEL_FILE, train())
    print(f"wrote {sentiment.MODEL_FILE}")
