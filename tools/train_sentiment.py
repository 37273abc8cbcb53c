"""Train the learned parts of the sentiment score (nps_core/text/sentiment.py)
and write them to data/:

- sentiment_en_ngrams.json, the English n-gram score and the weights
  text_score() gives it beside the lexical score. Trained on real rated
  reviews, the rating scaled to [-1, 1] as the target: the "tuning" and
  "training" files of bench/sentiment_eval.SOURCES, i.e. British Airways
  reviews (ba_reviews_2024_author_id.csv in NPS_CORPUS_DIR), Skytrax
  airport-lounge reviews and women's clothing reviews (in its sibling folder
  `reviews`; sources and licences in the README there). These are fetched
  texts kept outside the repository (tests/corpus/manifest.json, built by
  tools/corpus.py); only the numbers derived from them are committed. The held-out files are never read here. Our English
  hand-labelled development comments (below) are added, weighted HAND_WEIGHT
  times: short survey answers ("No complaints") are rare in reviews.
- sentiment_model.npy, the vector score (used for Dutch and other
  non-English comments): our own hand-labelled comments only, the
  development parts (tests/data/labelled_comments.csv and the "dev" rows of
  tests/data/sentiment_mixed.csv), one row per clause with the comment's sign
  as its target. Trained on the reviews as well it read Dutch no better
  (hand-written held-out comments: 0.90 against 0.93) and misread a promoter's
  praise in the Worth-a-read test.

Both are ridge regressions in closed form (the same result on every run). A
review's n-gram features are the mean over its clauses (vectors.split) of
each clause's n-grams, as ngram_score() computes it. The two weights of
text_score() are fitted by least squares on out-of-fold n-gram scores.

    NPS_CORPUS_DIR=/path/to/exports python tools/train_sentiment.py
"""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus_files  # noqa: E402, I001
from sentiment_eval import SOURCES, corpus_dir, corpus_name, load, path  # noqa: E402  (puts tests/ on the path)

from nps_core.db.store import Store  # noqa: E402
from nps_core.text import language, sentiment, vectors  # noqa: E402

DATA = ROOT / "tests" / "data"
RIDGE_VECTORS = 10.0  # chosen with bench/sentiment_eval.py on the tuning file
RIDGE_NGRAMS = 3.0  # chosen by out-of-fold Spearman on the training reviews (1, 3, 10 tried)
MIN_COUNT = 3  # an n-gram in fewer training comments gets no weight
HAND_WEIGHT = 10.0
FOLDS = 5
DIGITS = 5  # the n-gram weights are stored rounded: the file stays small


def reviews() -> tuple[list[str], np.ndarray, list[str]]:
    """The training reviews, their ratings scaled to [-1, 1], and the files read."""
    texts, targets, names = [], [], []
    for source in SOURCES:
        if source.role == "held-out":
            continue
        if not path(source).exists():
            raise SystemExit(f"training file missing: {corpus_files.reason([corpus_name(source)])}")
        df = load(source)
        low, high = source.scale
        texts += df["comment"].tolist()
        targets.append(((df["rating"] - low) / (high - low) * 2 - 1).to_numpy())
        names.append(f"{source.name} ({len(df)})")
    return texts, np.concatenate(targets), names


def hand_labelled() -> list[dict]:
    """The development comments with a tone (positive/negative)."""
    rows = []
    with open(DATA / "labelled_comments.csv", encoding="utf-8", newline="") as fh:
        rows += list(csv.DictReader(fh))
    with open(DATA / "sentiment_mixed.csv", encoding="utf-8", newline="") as fh:
        rows += [r for r in csv.DictReader(fh) if r["split"] == "dev"]
    return [r for r in rows if r["sentiment"] in ("positive", "negative")]


def sign(row: dict) -> float:
    return 1.0 if row["sentiment"] == "positive" else -1.0


def train_vectors(hand: list[dict]) -> np.ndarray:
    """The vector model: DIM weights, then the bias."""
    texts, targets = [], []
    for row in hand:
        for clause in vectors.split(row["comment"]):
            texts.append(clause)
            targets.append(sign(row))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "train.duckdb")
        with store.write():  # creates the file and its schema
            pass
        x = vectors.embed(store, texts).astype(np.float64)
    x = np.hstack([x, np.ones((len(x), 1))])
    weights = np.linalg.solve(x.T @ x + RIDGE_VECTORS * np.eye(x.shape[1]), x.T @ np.array(targets))
    print(f"vector model: {len(texts)} clauses from {len(hand)} hand-labelled comments")
    return weights.astype(np.float32)


def ngram_rows(texts: list[str]) -> list[dict[str, float]]:
    """Each comment's n-gram features: per clause 1 for each n-gram it has, averaged over clauses."""
    out = []
    for text in texts:
        parts = [] if sentiment.no_opinion(text) else vectors.split(text)
        feats: dict[str, float] = {}
        for clause in parts:
            for g in sentiment.ngrams(clause):
                feats[g] = feats.get(g, 0.0) + 1.0 / len(parts)
        out.append(feats)
    return out


def fit_ngrams(rows: list[dict[str, float]], y: np.ndarray, w: np.ndarray) -> dict[str, float]:
    """Weighted ridge regression on the n-gram features (centred target;
    solved in the dual, since there are more n-grams than comments:
    beta = X' (W X X' + ridge I)^-1 W y). The intercept is left out of the
    model: a clause with no known n-gram scores 0, not the mean review."""
    counts: dict[str, int] = {}
    for r in rows:
        for g in r:
            counts[g] = counts.get(g, 0) + 1
    vocab = {g: i for i, g in enumerate(sorted(g for g, k in counts.items() if k >= MIN_COUNT))}
    x = _matrix(rows, vocab)
    gram = (x @ x.T).toarray()
    centred = y - np.average(y, weights=w)
    alpha = np.linalg.solve(w[:, None] * gram + RIDGE_NGRAMS * np.eye(len(y)), w * centred)
    beta = np.asarray(x.T @ alpha).ravel()
    return {g: float(beta[i]) for g, i in vocab.items()}


def _matrix(rows: list[dict[str, float]], vocab: dict[str, int]) -> sparse.csr_matrix:
    data, ri, ci = [], [], []
    for i, r in enumerate(rows):
        for g, v in r.items():
            if g in vocab:
                data.append(v)
                ri.append(i)
                ci.append(vocab[g])
    return sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), len(vocab)))


def ngram_scores(weights: dict[str, float], rows: list[dict[str, float]]) -> np.ndarray:
    return np.clip([sum(weights.get(g, 0.0) * v for g, v in r.items()) for r in rows], -1, 1)


def train_ngrams(hand: list[dict]) -> dict:
    texts, y, names = reviews()
    english = [r for r in hand if r["language"] == "en"]
    rows, hand_rows = ngram_rows(texts), ngram_rows([r["comment"] for r in english])
    hand_y = np.array([sign(r) for r in english])

    def fit(use: np.ndarray) -> dict[str, float]:
        """The model on the reviews in `use` and all English hand-labelled comments."""
        return fit_ngrams([r for r, u in zip(rows, use) if u] + hand_rows, np.concatenate([y[use], hand_y]),
                          np.concatenate([np.ones(use.sum()), np.full(len(hand_rows), HAND_WEIGHT)]))

    fold = np.random.default_rng(0).integers(0, FOLDS, len(texts))
    oof = np.zeros(len(texts))
    for f in range(FOLDS):
        oof[fold == f] = ngram_scores(fit(fold != f), [r for r, k in zip(rows, fold == f) if k])
    lexical = np.array([sentiment.score(t, language.detect(t)) for t in texts])
    a, c = np.linalg.lstsq(np.column_stack([lexical, oof]), y, rcond=None)[0]
    weights = fit(np.ones(len(texts), dtype=bool))
    print(f"n-gram model: {len(texts)} reviews from {', '.join(names)} and {len(english)} English hand-labelled "
          f"comments; {len(weights)} n-grams; text_score = {a:.3f} * lexical + {c:.3f} * n-grams")
    return {
        "trained_on": names + [f"English hand-labelled development comments ({len(english)})"],
        "by": "tools/train_sentiment.py",
        "lexical_weight": round(float(a), 4), "ngram_weight": round(float(c), 4),
        "weights": {g: round(v, DIGITS) for g, v in sorted(weights.items()) if round(v, DIGITS)},
    }


if __name__ == "__main__":
    print(f"corpus: {corpus_dir()}")
    hand = hand_labelled()
    np.save(sentiment.MODEL_FILE, train_vectors(hand))
    sentiment.NGRAM_FILE.write_text(json.dumps(train_ngrams(hand), ensure_ascii=False, indent=0) + "\n",
                                    encoding="utf-8")
    print(f"wrote {sentiment.MODEL_FILE} and {sentiment.NGRAM_FILE}")
