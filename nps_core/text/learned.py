"""A theme that learns from the manager's marks: one small classifier per theme.

A theme starts as a rule and/or example sentences (taxonomy.py). Once the
manager has marked some of its sentences right, wrong or missed
(text/marks.py), it becomes a logistic regression over, per sentence:

- the sentence vector (vectors.py, 512 numbers),
- whether the theme's rule matches the sentence (0/1),
- the cosine of the sentence to the theme's examples' centre (0 without examples),
- the cosines to the centre of the theme's yes sentences and of its no
  sentences (a nearest-centroid vote that twenty marks can already steer),

trained on the theme's marks (right and missed: yes; wrong: no), its example
sentences (yes) and the other themes' right and missed sentences (no: a
sentence speaks of one theme), with a ridge penalty. It is fitted by
Newton's method (iteratively reweighted least squares) in numpy: a few
hundred sentences and 516 features take milliseconds, so the theme is
retrained at once after every mark.

A sentence is caught by a learned theme when its probability is at least
THRESHOLD and highest among the learned themes (like taxonomy.nearest, one
learned theme per sentence); rule-only themes keep tagging as before.

THRESHOLD, the penalties and the centroid features were chosen on the
tuning half of the labelled corpus (tests/support/theme_marks_eval.py), by marking
one half of its reviews and scoring the other; the held-out half only
reports. Measured that way (2026-12-05), the centroid features raised
precision at equal recall (telecom 0.60 / 0.52 to 0.67 / 0.47, hotel 0.57 /
0.50 to 0.71 / 0.49); a weaker ridge on the vector trades precision for
recall (1.0: 0.75 / 0.24, 0.1: 0.76 / 0.29, 0.01: 0.67 / 0.47 on telecom).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from nps_core.base.sql import quote_literal

THRESHOLD = 0.5
DIM = 512  # the sentence vector's length: features() puts it first
L2_VECTOR = 0.01  # ridge on the 512 vector weights
L2_DEFINITION = 0.01  # ridge on the other features and the intercept
ITERATIONS = 25
MIN_MARKS = 4  # fewer marks, or marks of one verdict only: the theme keeps its rule and examples


@dataclass(frozen=True)
class Model:
    """A fitted theme: weights over features() plus the two mark similarities,
    the intercept last; the centres of its yes and no training sentences."""

    weights: np.ndarray
    positive: np.ndarray
    negative: np.ndarray

    def probability(self, f: np.ndarray) -> np.ndarray:
        x = f[:, :DIM]
        full = np.hstack([f, (x @ self.positive)[:, None], (x @ self.negative)[:, None]])
        return 1.0 / (1.0 + np.exp(-np.clip(full @ self.weights[:-1] + self.weights[-1], -30, 30)))


def features(x: np.ndarray, rule: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    """Rows of [sentence vector, rule hit, similarity to the examples]."""
    return np.hstack([x, rule.reshape(-1, 1).astype(x.dtype), similarity.reshape(-1, 1).astype(x.dtype)])


def _unit(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)


def fit(f: np.ndarray, y: np.ndarray) -> Model:
    """Penalised logistic regression by Newton's method, over features() and
    each sentence's similarity to the centres of the yes and of the no
    sentences (for a training sentence, the centre of the others: it must not
    vote for itself)."""
    x = f[:, :DIM].astype(np.float64)
    yes, no = x[y == 1].sum(axis=0), x[y == 0].sum(axis=0)
    own_yes = _unit(yes[None, :] - x * (y == 1)[:, None])
    own_no = _unit(no[None, :] - x * (y == 0)[:, None])
    a = np.hstack([f, np.einsum("ij,ij->i", x, own_yes)[:, None], np.einsum("ij,ij->i", x, own_no)[:, None],
                   np.ones((len(f), 1))]).astype(np.float64)
    penalty = np.full(a.shape[1], L2_VECTOR)
    penalty[DIM:] = L2_DEFINITION  # the features after the vector, and the intercept
    beta = np.zeros(a.shape[1])
    for _ in range(ITERATIONS):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ beta, -30, 30)))
        step = np.linalg.solve((a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty), a.T @ (p - y) + penalty * beta)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return Model(beta, _unit(yes), _unit(no))


def trainable(y: np.ndarray) -> bool:
    """Enough marks of both kinds to learn from."""
    return bool(len(y) >= MIN_MARKS and 0 < y.sum() < len(y))


def decide(probabilities: dict[str, np.ndarray], n: int) -> list[str | None]:
    """Per sentence, the learned theme with the highest probability when it reaches THRESHOLD."""
    if not probabilities:
        return [None] * n
    keys = list(probabilities)
    p = np.vstack([probabilities[k] for k in keys])
    best = p.argmax(axis=0)
    return [keys[j] if p[j, i] >= THRESHOLD else None for i, j in enumerate(best)]


# -- from the store: the marks of a dataset, the features of its sentences

VERDICTS = ("right", "wrong", "missed")
LATEST_MARKS_SQL = """SELECT theme, sentence_key, sentence, verdict FROM theme_marks WHERE dataset = ?
                      QUALIFY row_number() OVER (PARTITION BY theme, sentence_key ORDER BY mark_id DESC) = 1
                      ORDER BY theme, sentence_key"""


def rule_hits(con, themes: list[dict], texts: list[str]) -> dict[str, np.ndarray]:
    """Per theme with a rule, whether it matches each text (DuckDB's RE2, as the tagger)."""
    ruled = [th for th in themes if th.get("pattern")]
    if not ruled or not texts:
        return {th["key"]: np.zeros(len(texts), dtype=bool) for th in ruled}
    con.register("learned_texts", pa.table({"i": list(range(len(texts))), "text": texts}))
    try:
        rows = con.execute("SELECT " + ", ".join(
            f"regexp_matches(lower(text), {quote_literal(th['pattern'])})" for th in ruled)
            + " FROM learned_texts ORDER BY i").fetchall()
    finally:
        con.unregister("learned_texts")
    hits = np.array(rows, dtype=bool).reshape(len(texts), len(ruled))
    return {th["key"]: hits[:, j] for j, th in enumerate(ruled)}


def theme_features(con, themes: list[dict], centre_of: dict[str, np.ndarray], texts: list[str],
                   x: np.ndarray) -> dict[str, np.ndarray]:
    """Per theme, the feature rows of these texts (vectors `x`)."""
    rules = rule_hits(con, themes, texts)
    none = np.zeros(len(texts))
    return {th["key"]: features(x, rules.get(th["key"], none),
                                x @ centre_of[th["key"]] if th["key"] in centre_of else none)
            for th in themes}


def training(con, dataset: str, themes: list[dict], centre_of: dict[str, np.ndarray],
             keep: bool = False) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Per marked theme of the taxonomy: (features, labels, marks) of its
    training sentences: its marks, its examples, the other themes' right and missed."""
    from nps_core.text import vectors

    marks = con.execute(LATEST_MARKS_SQL, [dataset]).fetchall()
    keys = {th["key"] for th in themes}
    marks = [m for m in marks if m[0] in keys]
    if not marks:
        return {}
    examples = [(th["key"], e) for th in themes for e in th.get("examples", ())]
    texts = sorted({m[2] for m in marks} | {e for _, e in examples})
    row = {t: i for i, t in enumerate(texts)}
    x = vectors.embed_on(con, texts, keep)
    feats = theme_features(con, [th for th in themes if th["key"] in {m[0] for m in marks}], centre_of, texts, x)
    positive = {(m[0], row[m[2]]) for m in marks if m[3] != "wrong"} | {(k, row[e]) for k, e in examples}
    out = {}
    for theme, f in feats.items():
        mine = {row[m[2]]: m[3] != "wrong" for m in marks if m[0] == theme}
        mine |= {row[e]: True for k, e in examples if k == theme}
        others = {i for t, i in positive if t != theme and (theme, i) not in positive}
        idx = sorted(set(mine) | others)
        y = np.array([1.0 if mine.get(i, False) else 0.0 for i in idx])
        out[theme] = (f[idx], y, sum(m[0] == theme for m in marks))
    return out


def models(con, dataset: str, themes: list[dict], centre_of: dict[str, np.ndarray],
           keep: bool = False) -> dict[str, Model]:
    """The fitted model of each theme of the dataset with enough marks (trainable)."""
    return {theme: fit(f, y) for theme, (f, y, _) in training(con, dataset, themes, centre_of, keep).items()
            if trainable(y)}
