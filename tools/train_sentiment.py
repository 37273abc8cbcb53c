"""Train the learned parts of the sentiment score (nps_core/text/sentiment.py):
data/sentiment_model.npy (the vector score) and data/sentiment_en_ngrams.json
(the English n-gram score and the weights text_score() gives it).

Training data, and nothing else:
- real rated reviews, the rating (scaled to [-1, 1]) as the target: the
  "tuning" and "training" files of bench/sentiment_eval.SOURCES, i.e.
  British Airways reviews (ba_reviews_2024_author_id.csv in NPS_CORPUS_DIR),
  Skytrax airport-lounge reviews and women's clothing reviews (in the sibling
  folder `reviews`; sources and licences in the README there). These are
  fetched texts kept outside the repository; only the numbers derived from
  them are committed. The held-out files are never read here.
- our own hand-labelled comments, the development parts only:
  tests/data/labelled_comments.csv and the "dev" rows of
  tests/data/sentiment_mixed.csv (target +1/-1), weighted HAND_WEIGHT times,
  so the few Dutch comments count against thousands of English reviews.

Both models are ridge regressions in closed form (the same result on every
run). A comment's features are the mean over its clauses (vectors.split) of
the clause's features, as the scores are computed: the vector score is the
mean of the clauses' linear scores (enrich.py, in SQL), the n-gram score the
mean of the clauses' summed n-gram weights. The two weights of text_score()
(lexical and n-gram score, beside the vector score at MODEL_SHARE) are fitted
by least squares on out-of-fold scores of the training reviews.

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

from sentiment_eval import SOURCES, corpus_dir, load, path  # noqa: E402

from nps_core.db.store import Store  # noqa: E402
from nps_core.text import language, sentiment, vectors  # noqa: E402

DATA = ROOT / "tests" / "data"
RIDGE_VECTORS = 3.0
RIDGE_NGRAMS = 3.0
MIN_COUNT = 3  # an n-gram in fewer training comments gets no weight
HAND_WEIGHT = 10.0
FOLDS = 5
DIGITS = 5  # the n-gram weights are stored rounded: the file stays small and readable


def reviews() -> tuple[list[str], np.ndarray, list[str]]:
    """The training reviews, their ratings scaled to [-1, 1], and the files read."""
    texts, targets, names = [], [], []
    for source in SOURCES:
        if source.role == "held-out":
            continue
        if not path(source).exists():
            raise SystemExit(f"training file missing: {path(source)} (set NPS_CORPUS_DIR; see {__doc__.split(':')[0]})")
        df = load(source)
        low, high = source.scale
        texts += df["comment"].tolist()
        targets.append(((df["rating"] - low) / (high - low) * 2 - 1).to_numpy())
        names.append(f"{source.name} ({len(df)})")
    return texts, np.concatenate(targets), names


def hand_labelled() -> tuple[list[str], np.ndarray]:
    rows = []
    with open(DATA / "labelled_comments.csv", encoding="utf-8", newline="") as fh:
        rows += [(r["comment"], r["sentiment"]) for r in csv.DictReader(fh)]
    with open(DATA / "sentiment_mixed.csv", encoding="utf-8", newline="") as fh:
        rows += [(r["comment"], r["sentiment"]) for r in csv.DictReader(fh) if r["split"] == "dev"]
    rows = [(c, 1.0 if s == "positive" else -1.0) for c, s in rows if s in ("positive", "negative")]
    return [c for c, _ in rows], np.array([t for _, t in rows])


class Clauses:
    """The comments' clauses (vectors.split) and each distinct clause's vector,
    encoded once (the encoder is the slow part)."""

    def __init__(self, texts: list[str]):
        self.parts = {t: vectors.split(t) for t in texts}
        flat = sorted({c for p in self.parts.values() for c in p})
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "train.duckdb")
            with store.write():  # creates the file and its schema
                pass
            self.vec = dict(zip(flat, vectors.embed(store, flat).astype(np.float64)))

    def mean_vectors(self, texts: list[str]) -> np.ndarray:
        """Each comment's mean clause vector (zeros for a comment without a clause)."""
        out = np.zeros((len(texts), vectors.DIM))
        for i, t in enumerate(texts):
            if self.parts[t]:
                out[i] = np.mean([self.vec[c] for c in self.parts[t]], axis=0)
        return out

    def vector_scores(self, model: np.ndarray, texts: list[str]) -> np.ndarray:
        """The vector score as enrich.py computes it: the mean over clauses of the clipped linear score."""
        return np.array([np.mean([np.clip(self.vec[c] @ model[:-1] + model[-1], -1, 1) for c in self.parts[t]])
                         if self.parts[t] else 0.0 for t in texts])


def ngram_rows(texts: list[str]) -> list[dict[str, float]]:
    """Each comment's n-gram features: per clause 1 for each n-gram it has, averaged over clauses."""
    out = []
    for text in texts:
        parts = vectors.split(text) if not sentiment.no_opinion(text) else []
        feats: dict[str, float] = {}
        for clause in parts:
            for g in sentiment.ngrams(clause):
                feats[g] = feats.get(g, 0.0) + 1.0 / len(parts)
        out.append(feats)
    return out


def fit_ngrams(rows: list[dict[str, float]], y: np.ndarray) -> dict[str, float]:
    """Ridge regression on the n-gram features (centred target; solved in the
    dual, since there are more n-grams than comments). The intercept is left
    out of the model: a clause with no known n-gram scores 0, not the mean review."""
    counts: dict[str, int] = {}
    for r in rows:
        for g in r:
            counts[g] = counts.get(g, 0) + 1
    vocab = {g: i for i, g in enumerate(sorted(g for g, k in counts.items() if k >= MIN_COUNT))}
    x = _matrix(rows, vocab)
    gram = (x @ x.T).toarray()
    alpha = np.linalg.solve(gram + RIDGE_NGRAMS * np.eye(len(y)), y - y.mean())
    w = np.asarray(x.T @ alpha).ravel()
    return {g: float(w[i]) for g, i in vocab.items()}


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


def fit_vectors(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted ridge regression with a bias: DIM weights, then the bias."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    return np.linalg.solve((x1 * w[:, None]).T @ x1 + RIDGE_VECTORS * np.eye(x1.shape[1]), (x1 * w[:, None]).T @ y)


def train() -> tuple[np.ndarray, dict]:
    texts, y, names = reviews()
    hand, hand_y = hand_labelled()
    clauses = Clauses(texts + hand)
    x_reviews, x_hand = clauses.mean_vectors(texts), clauses.mean_vectors(hand)
    rows = ngram_rows(texts)
    # out-of-fold n-gram and vector scores of the reviews, for text_score's weights
    fold = np.random.default_rng(0).integers(0, FOLDS, len(texts))
    oof_ngrams, oof_vectors = np.zeros(len(texts)), np.zeros(len(texts))
    for f in range(FOLDS):
        tr, te = fold != f, fold == f
        weights = fit_ngrams([r for r, t in zip(rows, tr) if t], y[tr])
        oof_ngrams[te] = ngram_scores(weights, [r for r, t in zip(rows, te) if t])
        model = fit_vectors(np.vstack([x_reviews[tr], x_hand]), np.concatenate([y[tr], hand_y]),
                            np.concatenate([np.ones(tr.sum()), np.full(len(hand), HAND_WEIGHT)]))
        oof_vectors[te] = clauses.vector_scores(model, [t for t, k in zip(texts, te) if k])
    lexical = np.array([sentiment.score(t, language.detect(t)) for t in texts])
    # pre-tanh blend = (1 - share) * (a * lexical + c * ngrams) + share * vectors
    share = sentiment.MODEL_SHARE
    a, c = np.linalg.lstsq(np.column_stack([(1 - share) * lexical, (1 - share) * oof_ngrams]),
                           y - share * oof_vectors, rcond=None)[0]
    model = fit_vectors(np.vstack([x_reviews, x_hand]), np.concatenate([y, hand_y]),
                        np.concatenate([np.ones(len(texts)), np.full(len(hand), HAND_WEIGHT)]))
    weights = fit_ngrams(rows, y)
    print(f"{len(texts)} reviews from {', '.join(names)}; {len(hand)} hand-labelled comments; "
          f"{len(weights)} n-grams; text_score = {a:.3f} * lexical + {c:.3f} * n-grams")
    ngram_file = {
        "trained_on": names, "by": "tools/train_sentiment.py",
        "lexical_weight": round(float(a), 4), "ngram_weight": round(float(c), 4),
        "weights": {g: round(v, DIGITS) for g, v in sorted(weights.items()) if round(v, DIGITS)},
    }
    return model.astype(np.float32), ngram_file


if __name__ == "__main__":
    print(f"corpus: {corpus_dir()}")
    vector_model, ngram_model = train()
    np.save(sentiment.MODEL_FILE, vector_model)
    sentiment.NGRAM_FILE.write_text(json.dumps(ngram_model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {sentiment.MODEL_FILE} and {sentiment.NGRAM_FILE}")
