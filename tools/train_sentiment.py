"""Train the learned parts of the sentiment score (nps_core/text/sentiment.py)
and write them to data/:

- sentiment_en_ngrams.json: the English n-gram weights, and the weights
  text_score() gives the lexical and the n-gram score;
- sentiment_model.npy: the vector score (DIM weights and a bias), blended
  with the lexical score for Dutch and other non-English comments.

Training set: the reviews whose role is "training" in
bench/sentiment_eval.SOURCES, about 65,000 rated reviews of eight sectors
(insurance, restaurant, clothing, electronics, hotel, theme park, airport
lounge, banking), built into the corpus's reviews/ folder by tools/corpus.py
(sources, licences and recipes: tests/corpus/manifest.json). The rating,
scaled to [-1, 1], is the target. The bench's held-out files are never read
here, and a training review whose text is also in one of them is dropped.
Our hand-labelled development comments (tests/data: labelled_comments.csv
and the "dev" half of sentiment_mixed.csv) are added with their sign as the
target: short survey answers ("No complaints") are rare in reviews, and they
are the only Dutch text trained on (the one real Dutch rated set, Keytrade
Bank's reviews, is kept to measure Dutch). The multilingual sentence vectors
carry what the reviews teach to Dutch. A hand-labelled comment weighs
HAND_WEIGHT reviews in the n-gram model and HAND_WEIGHT_VECTORS in the vector
model, whose score serves Dutch and other non-English comments only: chosen
with sentiment.MODEL_SHARE by 5-fold cross-validation of Dutch sign accuracy
on the Dutch development comments (0.88 with the vectors, 0.87 without).

Sectors differ in size by two orders of magnitude (26,000 insurance reviews,
1,400 theme-park reviews), so a review weighs (its sector's size)^-SECTOR_POWER:
no sector's vocabulary dominates, the large ones still count more.

All three parts are ridge regressions with deterministic solvers (the same
weights on every run): the n-gram model by LSQR (far more n-grams than the
normal equations hold), the vector model by its normal equations, and
text_score's two weights by least squares on out-of-fold n-gram scores.
Features are what nps_core computes at scoring time: sentiment.score (the
lexical score), sentiment.ngrams per clause averaged with the clauses' weights, and
the mean of the clauses' sentence vectors (vectors.embed_on), so the bench's
leave-one-sector-out figures (bench/sentiment_eval.py --sectors) measure the
same model.

    NPS_CORPUS_DIR=/work/corpus/exports python tools/train_sentiment.py [--cache DIR]

--cache keeps the encoder's word vectors in DIR/words.duckdb between runs
(encoding the reviews' 70,000 words takes two minutes).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import lsqr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus_files  # noqa: E402, I001
from sentiment_eval import SOURCES, available, corpus_dir, corpus_name, load  # noqa: E402  (puts tests/ on the path)

from nps_core.db.store import Store
from nps_core.text import language, sentiment, vectors  # noqa: E402

DATA = ROOT / "tests" / "data"
RIDGE_NGRAMS = 3.0  # chosen by leave-one-sector-out Spearman (bench/sentiment_eval.py --sectors)
RIDGE_VECTORS = 10.0  # with HAND_WEIGHT_VECTORS: Dutch development comments, cross-validated
SECTOR_POWER = 0.5
MIN_COUNT = 3  # an n-gram in fewer training comments gets no weight
HAND_WEIGHT = 10.0
HAND_WEIGHT_VECTORS = 100.0
FOLDS = 3
DIGITS = 5  # the n-gram weights are stored rounded: the file stays small
CHUNK = 5_000  # comments embedded at a time (their clauses' vectors are averaged at once)


@dataclass
class Reviews:
    """Texts with their target in [-1, 1], sector and file ("hand" for our labelled comments)."""
    texts: list[str]
    target: np.ndarray
    sector: np.ndarray
    file: np.ndarray

    def __add__(self, other: Reviews) -> Reviews:
        return Reviews(self.texts + other.texts, *(np.concatenate([a, b]) for a, b in (
            (self.target, other.target), (self.sector, other.sector), (self.file, other.file))))


def evaluation_texts() -> set[str]:
    """The comments of every held-out file that is installed (a training review among them is dropped)."""
    return {t for s in available() if s.role == "held-out" for t in load(s)["comment"]}


def training_reviews() -> Reviews:
    """The training reviews, their ratings scaled to [-1, 1], and their sectors."""
    missing = corpus_files.missing(*[corpus_name(s) for s in SOURCES if s.role == "training"])
    if missing:
        raise SystemExit(f"training files missing: {corpus_files.reason(missing)}")
    held_out = evaluation_texts()
    texts, targets, sectors, files, seen = [], [], [], [], set()
    for source in SOURCES:
        if source.role != "training":
            continue
        df = load(source)
        keep = ~df["comment"].isin(held_out | seen)  # a review repeated in a file is read once
        df = df[keep & ~df["comment"].duplicated()]
        seen |= set(df["comment"])
        low, high = source.scale
        texts += df["comment"].tolist()
        targets.append(((df["rating"] - low) / (high - low) * 2 - 1).to_numpy())
        sectors += [source.sector] * len(df)
        files += [source.name] * len(df)
    return Reviews(texts, np.concatenate(targets), np.array(sectors), np.array(files))


def hand_labelled() -> Reviews:
    """The development comments with a tone, their sign as the target."""
    rows = []
    with open(DATA / "labelled_comments.csv", encoding="utf-8", newline="") as fh:
        rows += list(csv.DictReader(fh))
    with open(DATA / "sentiment_mixed.csv", encoding="utf-8", newline="") as fh:
        rows += [r for r in csv.DictReader(fh) if r["split"] == "dev"]
    rows = [r for r in rows if r["sentiment"] in ("positive", "negative")]
    return Reviews([r["comment"] for r in rows], np.array([1.0 if r["sentiment"] == "positive" else -1.0 for r in rows]),
                   np.array(["hand"] * len(rows)), np.array(["hand"] * len(rows)))


@dataclass
class Features:
    """What the score reads of each comment: its language, lexical score,
    n-gram features (mean over clauses; columns named by `vocab`) and mean
    clause vector."""
    language: np.ndarray
    lexical: np.ndarray
    ngrams: sparse.csr_matrix
    vocab: list[str]
    vectors: np.ndarray


def features(texts: list[str], cache: Path) -> Features:
    langs = np.array([language.detect(t) for t in texts])
    lexical = np.array([sentiment.score(t, lg) for t, lg in zip(texts, langs)])
    rows = [ngram_features(t) for t in texts]
    vocab = sorted({g for r in rows for g in r})
    return Features(langs, lexical, _matrix(rows, {g: i for i, g in enumerate(vocab)}), vocab, clause_vectors(texts, cache))


def ngram_features(text: str) -> dict[str, float]:
    """Per clause 1 for each n-gram it has, averaged with the clauses' weights
    (sentiment.clauses), as ngram_score() sums the weights."""
    parts = [] if sentiment.no_opinion(text) else sentiment.clauses(text)
    total = sum(w for _, w in parts)
    feats: dict[str, float] = {}
    for clause, weight in parts:
        for g in sentiment.ngrams(clause):
            feats[g] = feats.get(g, 0.0) + weight / total
    return feats


def _matrix(rows: list[dict[str, float]], vocab: dict[str, int]) -> sparse.csr_matrix:
    data, ri, ci = [], [], []
    for i, r in enumerate(rows):
        for g, v in r.items():
            data.append(v)
            ri.append(i)
            ci.append(vocab[g])
    return sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), len(vocab)))


def clause_vectors(texts: list[str], cache: Path) -> np.ndarray:
    """Each comment's mean clause vector (vectors.split, vectors.embed_on), as the
    learned score averages its clauses' scores; the encoder's word vectors are
    kept in the cache store."""
    cache.mkdir(parents=True, exist_ok=True)
    store = Store(cache / "words.duckdb")
    out = np.zeros((len(texts), vectors.DIM), dtype=np.float32)
    with store.write() as con:
        for start in range(0, len(texts), CHUNK):
            parts = [vectors.split(t) for t in texts[start:start + CHUNK]]
            clauses = [c for p in parts for c in p]
            vecs = vectors.embed_on(con, clauses, keep=True)
            ends = np.cumsum([len(p) for p in parts])
            for i, (p, end) in enumerate(zip(parts, ends)):
                if p:
                    out[start + i] = vecs[end - len(p):end].mean(axis=0)
    return out


def weights(sector: np.ndarray, hand: float) -> np.ndarray:
    """A review's weight: (its sector's size)^-SECTOR_POWER, scaled to a mean of 1
    over the reviews; our hand-labelled comments `hand` each."""
    names, inverse, counts = np.unique(sector, return_inverse=True, return_counts=True)
    w = counts[inverse].astype(float) ** -SECTOR_POWER
    reviews = sector != "hand"
    w[reviews] /= w[reviews].mean()
    w[~reviews] = hand
    return w


@dataclass
class Model:
    ngrams: np.ndarray  # a weight per Features.vocab column
    vector: np.ndarray  # DIM weights, then the bias
    lexical_weight: float
    ngram_weight: float

    def english(self, f: Features, rows: np.ndarray) -> np.ndarray:
        """sentiment.text_score of English comments."""
        mix = self.lexical_weight * f.lexical[rows] + self.ngram_weight * self.ngram_score(f, rows)
        return np.tanh(sentiment.EN_SPREAD * mix)

    def ngram_score(self, f: Features, rows: np.ndarray) -> np.ndarray:
        return np.clip(f.ngrams[rows] @ self.ngrams, -1, 1)

    def other(self, f: Features, rows: np.ndarray) -> np.ndarray:
        """sentiment.blend_sql of non-English comments (on the mean clause vector,
        where the SQL averages the clauses' clipped scores: the same when no clause is clipped)."""
        learned = np.clip(f.vectors[rows] @ self.vector[:-1] + self.vector[-1], -1, 1)
        return np.tanh(sentiment.SPREAD * ((1 - sentiment.MODEL_SHARE) * f.lexical[rows]
                                           + sentiment.MODEL_SHARE * learned))

    def scores(self, f: Features, rows: np.ndarray) -> np.ndarray:
        """The stored sentiment of each comment, by its language."""
        return np.where(f.language[rows] == "en", self.english(f, rows), self.other(f, rows))


def fit_ngrams(f: Features, y: np.ndarray, w: np.ndarray, rows: np.ndarray, english: np.ndarray) -> np.ndarray:
    """Weighted ridge regression on the English rows' n-gram features, the
    target centred (a clause with no known n-gram scores 0, not the mean
    review); n-grams in fewer than MIN_COUNT of them get no weight."""
    rows = rows[english[rows]]
    x = f.ngrams[rows]
    known = np.flatnonzero(np.asarray((x > 0).sum(axis=0)).ravel() >= MIN_COUNT)
    root = np.sqrt(w[rows])
    centred = y[rows] - np.average(y[rows], weights=w[rows])
    solved = lsqr(sparse.diags(root) @ x[:, known], root * centred, damp=np.sqrt(RIDGE_NGRAMS),
                  atol=1e-6, btol=1e-6, iter_lim=2000)[0]
    beta = np.zeros(len(f.vocab))
    beta[known] = solved
    return beta


def fit_vectors(f: Features, y: np.ndarray, w: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Weighted ridge regression on the mean clause vectors (the bias not shrunk)."""
    x = np.hstack([f.vectors[rows].astype(np.float64), np.ones((len(rows), 1))])
    penalty = RIDGE_VECTORS * np.eye(x.shape[1])
    penalty[-1, -1] = 0
    return np.linalg.solve(x.T @ (x * w[rows, None]) + penalty, x.T @ (w[rows] * y[rows]))


def train(f: Features, data: Reviews, rows: np.ndarray) -> Model:
    """The model on `rows` of data; text_score's two weights by least squares
    on the English reviews' out-of-fold n-gram scores (in-sample ones would
    overrate the n-grams)."""
    w_all, w_vec = np.zeros(len(data.texts)), np.zeros(len(data.texts))
    w_all[rows] = weights(data.sector[rows], HAND_WEIGHT)
    w_vec[rows] = weights(data.sector[rows], HAND_WEIGHT_VECTORS)
    english = f.language == "en"
    fold = np.random.default_rng(0).integers(0, FOLDS, len(data.texts))
    reviews = rows[(data.sector[rows] != "hand") & english[rows]]
    oof = np.zeros(len(data.texts))
    for k in range(FOLDS):
        beta = fit_ngrams(f, data.target, w_all, rows[fold[rows] != k], english)
        part = reviews[fold[reviews] == k]
        oof[part] = np.clip(f.ngrams[part] @ beta, -1, 1)
    a, c = np.linalg.lstsq(np.column_stack([f.lexical[reviews], oof[reviews]]), data.target[reviews], rcond=None)[0]
    return Model(fit_ngrams(f, data.target, w_all, rows, english), fit_vectors(f, data.target, w_vec, rows),
                 float(a), float(c))


def ngram_file(model: Model, f: Features, trained_on: list[str]) -> dict:
    kept = {g: round(float(v), DIGITS) for g, v in zip(f.vocab, model.ngrams) if round(float(v), DIGITS)}
    return {"trained_on": trained_on, "by": "tools/train_sentiment.py",
            "lexical_weight": round(model.lexical_weight, 4), "ngram_weight": round(model.ngram_weight, 4),
            "weights": dict(sorted(kept.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "nps_sentiment_cache")
    args = parser.parse_args()
    print(f"corpus: {corpus_dir()}")
    data = training_reviews() + hand_labelled()
    f = features(data.texts, args.cache)
    model = train(f, data, np.arange(len(data.texts)))
    sectors, counts = np.unique(data.sector, return_counts=True)
    trained_on = [f"{s} ({n})" for s, n in zip(sectors, counts) if s != "hand"]
    trained_on.append(f"hand-labelled development comments ({counts[list(sectors).index('hand')]})")
    print(f"trained on {len(data.texts)} comments: {', '.join(trained_on)}; text_score = "
          f"{model.lexical_weight:.3f} * lexical + {model.ngram_weight:.3f} * n-grams")
    np.save(sentiment.MODEL_FILE, model.vector.astype(np.float32))
    sentiment.NGRAM_FILE.write_text(json.dumps(ngram_file(model, f, trained_on), ensure_ascii=False, indent=0) + "\n",
                                    encoding="utf-8")
    print(f"wrote {sentiment.MODEL_FILE} and {sentiment.NGRAM_FILE}")


if __name__ == "__main__":
    main()
