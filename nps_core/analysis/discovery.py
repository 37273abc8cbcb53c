"""Topic discovery: what customers talk about, found with no taxonomy.

The sentences of the comments in scope (stored with their vectors by
text/vectors.py) are grouped by spherical k-means; each group is named by
the words and two-word phrases most distinctive of it against the other
groups (class-based TF-IDF), function words of Dutch and English excluded,
so a topic is named in the words its customers used. Per topic: the
responses that mention it, their NPS, the topic's impact on NPS (the same
leave-one-out definition as themes), mean sentiment, monthly trend and the
sentences nearest its centre as examples.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa

from nps_core.analysis import periods
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql, scope
from nps_core.analysis.themes import add_impact
from nps_core.base.metrics import COUNTS_SQL, add_stats
from nps_core.db.store import Store
from nps_core.text.stopwords import ALL as STOPWORDS
from nps_core.text.stopwords import words
from nps_core.text.vectors import matrix

SENTENCES_PER_TOPIC = 60  # k is the sentence count over this, within the bounds below
MIN_TOPICS, MAX_TOPICS = 4, 40
FIT_SAMPLE = 10_000  # k-means learns its centres on at most this many sentences, then assigns all
ITERATIONS = 20
SEED = 14
TERMS = 6  # terms listed per topic; the label is the first three
EXAMPLES = 3
MIN_MENTIONS = 5  # topics mentioned by fewer responses are not listed


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Centres of k clusters of unit vectors (cosine k-means, k-means++ start)."""
    centres = [x[rng.integers(len(x))]]
    closest = 1.0 - x @ centres[0]
    for _ in range(1, k):
        weights = np.clip(closest, 0, None) ** 2
        total = weights.sum()
        pick = rng.choice(len(x), p=weights / total) if total > 0 else rng.integers(len(x))
        centres.append(x[pick])
        closest = np.minimum(closest, 1.0 - x @ x[pick])
    c = np.array(centres)
    for _ in range(ITERATIONS):
        assign = np.argmax(x @ c.T, axis=1)
        onehot = np.zeros((k, len(x)), dtype=x.dtype)
        onehot[assign, np.arange(len(x))] = 1.0
        new = onehot @ x  # per centre, the sum of its vectors (one BLAS call)
        norms = np.linalg.norm(new, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        new[~empty] /= norms[~empty]
        new[empty] = c[empty]  # a centre that lost its sentences stays where it was
        if np.allclose(new, c, atol=1e-5):
            break
        c = new
    return c


def _assign(x: np.ndarray, c: np.ndarray, chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of each vector and its cosine similarity, in chunks (bounded memory)."""
    labels = np.empty(len(x), dtype=np.int32)
    sims = np.empty(len(x), dtype=np.float32)
    for i in range(0, len(x), chunk):
        s = x[i:i + chunk] @ c.T
        labels[i:i + chunk] = s.argmax(axis=1)
        sims[i:i + chunk] = s.max(axis=1)
    return labels, sims


def _terms_of(sentence: str) -> set[str]:
    """Content words and phrases of two adjacent content words."""
    ws = words(sentence)
    keep = [w if (w not in STOPWORDS and len(w) > 2) else None for w in ws]
    terms = {w for w in keep if w}
    terms |= {f"{a} {b}" for a, b in zip(keep, keep[1:]) if a and b}
    return terms


def _names(texts: list[str], weights: list[int], labels: np.ndarray, k: int) -> list[list[str]]:
    """Per topic, its most distinctive terms (class-based TF-IDF over the
    sentences, a term counted once per sentence and the sentence as often
    as the comments in scope say it)."""
    per = [Counter() for _ in range(k)]
    for text, weight, topic in zip(texts, weights, labels):
        per[topic].update(dict.fromkeys(_terms_of(text), weight))
    overall = Counter()
    for c in per:
        overall.update(c)
    size = np.bincount(labels, weights=weights, minlength=k)
    average = len(texts) / k
    names = []
    for topic, counts in enumerate(per):
        floor = max(2, 0.03 * size[topic])  # a term of one or two sentences names nothing
        scored = [(n / size[topic] * math.log(1 + average / overall[t]), t)
                  for t, n in counts.items() if n >= floor]
        ranked = [t for _, t in sorted(scored, key=lambda st: (-st[0], st[1]))]
        # a word already inside a listed phrase adds nothing
        chosen: list[str] = []
        for t in ranked:
            if not any(t in c.split() or c in t.split() for c in chosen):
                chosen.append(t)
            if len(chosen) == TERMS:
                break
        names.append(chosen)
    return names


def discover(store: Store, filters: Filters, limit: int = 15, members: bool = False) -> list[dict]:
    """The topics of the comments in scope, most mentioned first: dicts with
    label, terms, n (responses mentioning it), share (of commented
    responses), nps, nps_without, impact, sentiment, examples (sentences),
    trend (per month: period, n, nps); with `members`, also response_ids
    and sentence_keys (the responses mentioning it and its sentences, to
    read or to check)."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        scoped = f"(SELECT DISTINCT md5(comment) AS comment_key FROM responses WHERE {where} AND comment IS NOT NULL)"
        tbl = con.execute(
            f"""SELECT s.sentence_key, s.sentence, s.vec, m.mentions FROM sentences s
                JOIN (SELECT c.sentence_key, count(*) AS mentions FROM comment_sentences c
                      JOIN {scoped} USING (comment_key) GROUP BY ALL) m USING (sentence_key)
                ORDER BY s.sentence_key""",
            params,
        ).arrow()
        if isinstance(tbl, pa.RecordBatchReader):
            tbl = tbl.read_all()
        if tbl.num_rows < MIN_TOPICS * 2:
            return []
        x = matrix(tbl.column("vec"))
        texts = tbl.column("sentence").to_pylist()
        keys = tbl.column("sentence_key").to_pylist()
        k = int(min(MAX_TOPICS, max(MIN_TOPICS, len(x) // SENTENCES_PER_TOPIC)))
        rng = np.random.default_rng(SEED)
        sample = x[rng.choice(len(x), FIT_SAMPLE, replace=False)] if len(x) > FIT_SAMPLE else x
        labels, sims = _assign(x, _kmeans(sample, k, rng))
        con.register("topic_of", pa.table({"sentence_key": keys, "topic": labels}))
        base = (f"SELECT DISTINCT x.response_id, x.responded_at, x.score, x.sentiment, t.topic "
                f"FROM {enriched_sql(where)} JOIN comment_sentences c ON c.comment_key = md5(x.comment) "
                f"JOIN topic_of t ON t.sentence_key = c.sentence_key")
        # one scan: per topic (period NULL) and per topic and month
        both = con.execute(
            f"""SELECT topic, {periods.bucket_sql('month')} AS period, {COUNTS_SQL}, avg(sentiment) AS sentiment
                       {", list(response_id ORDER BY response_id) AS ids" if members else ""}
                FROM ({base}) GROUP BY GROUPING SETS ((topic), (topic, period)) ORDER BY topic, period""",
            params).df()
        per = both[both["period"].isna()]
        trend = both[both["period"].notna()].astype({"period": "int64"})
        total = con.execute(
            f"SELECT {COUNTS_SQL}, count(comment) FROM responses WHERE {where}", params).fetchone()
        con.unregister("topic_of")
    n, p, _, d, commented = total
    per = add_impact(add_stats(per), n, p, d)
    per = per[per["n"] >= MIN_MENTIONS].sort_values(["n", "topic"], ascending=[False, True]).head(limit)
    names = _names(texts, tbl.column("mentions").to_pylist(), labels, k)
    trend = add_stats(periods.label(trend, "month")) if not trend.empty else trend
    topics = []
    for row in per.itertuples():
        inside = np.flatnonzero(labels == row.topic)
        examples: list[str] = []
        seen: set[str] = set()
        # nearest the centre first; fragments (under 4 words) and run-ons (over 30) after the rest
        length = np.array([len(words(texts[i])) for i in inside])
        for i in inside[np.lexsort((-sims[inside], (length < 4) | (length > 30)))]:
            gist = " ".join(words(texts[i]))  # "on hold for 65 minutes" and "… 36 minutes" say one thing
            if gist not in seen:
                seen.add(gist)
                examples.append(texts[i])
            if len(examples) == EXAMPLES:
                break
        terms = names[row.topic]
        months = trend[trend["topic"] == row.topic]
        topics.append({
            "label": " · ".join(terms[:3]) or examples[0],
            "terms": terms, "n": int(row.n), "share": row.n / commented if commented else None,
            "nps": row.nps, "nps_without": row.nps_without, "impact": row.impact,
            "sentiment": row.sentiment, "examples": examples,
            "trend": [{"period": key, "n": int(m), "nps": v} for key, m, v in
                      zip(months["key"], months["n"], months["nps"])],
        })
        if members:
            topics[-1]["response_ids"] = list(row.ids)
            topics[-1]["sentence_keys"] = [keys[i] for i in inside]
    return topics
