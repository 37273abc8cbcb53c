"""Topic discovery: what customers talk about, found with no taxonomy.

The sentences of the comments in scope (stored with their vectors by
text/vectors.py) are grouped by spherical k-means on what each is about:
the mean vector of its subject words (subject_vectors). The groups are
shaped for a manager (_shaped): near-identical ones merged, generic ones
(no subject: "good · great · excellent") folded into general praise and
general complaint, each named by a phrase from its own sentences and its
distinctive words (topic_names.py). Per topic: the responses that mention
it, their NPS, the topic's impact on NPS (the same leave-one-out definition
as themes), mean sentiment, monthly trend and the sentences nearest its
centre that say its name as examples.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from nps_core.analysis import periods, topic_names
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql, scope
from nps_core.analysis.themes import add_impact
from nps_core.base.i18n import t
from nps_core.base.metrics import COUNTS_SQL, add_stats
from nps_core.db.store import Store
from nps_core.text import vectors
from nps_core.text.stopwords import words
from nps_core.text.vectors import matrix

SENTENCES_PER_TOPIC = 60  # k is the sentence count over this, within the bounds below
MIN_TOPICS, MAX_TOPICS = 4, 40
FIT_SAMPLE = 10_000  # k-means learns its centres on at most this many sentences, then assigns all
ITERATIONS = 20
SEED = 14
MERGE_CENTRES = 0.95  # topics this close are one (at 0.9 distinct ones merged: tuning F1 0.45 -> 0.37)
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


def _merged(x: np.ndarray, labels: np.ndarray, groups: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Topics relabelled by `groups` (topic -> group, any integers), numbered
    0 … g-1 in order of first appearance; with each group's centre (the
    normalised mean of its sentences) and every sentence's cosine to it."""
    _, new = np.unique(np.asarray(groups), return_inverse=True)
    labels = new[labels]
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], np.arange(new.max() + 1))
    centres = np.add.reduceat(x[order], starts, axis=0)  # every group has a sentence: no empty slice
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    centres = np.divide(centres, norms, out=np.zeros_like(centres), where=norms > 0)
    return labels, centres, np.einsum("ij,ij->i", x, centres[labels])


def _union(pairs, k: int) -> list[int]:
    """The group of each of k items, joining every pair (union-find)."""
    parent = list(range(k))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[root(a)] = root(b)
    return [root(i) for i in range(k)]


def subject_vectors(con, texts: list[str], x: np.ndarray) -> np.ndarray:
    """What a sentence is about, as a vector: the mean of its subject words'
    vectors (topic_names.is_subject: no sentiment or filler word), so "the
    food was good" groups with food, not with "the crew was good"; a
    sentence without a subject word keeps its stored vector."""
    subjects = [" ".join(w for w in words(t) if topic_names.is_subject(w)) for t in texts]
    out = vectors.embed_on(con, subjects)
    empty = ~out.any(axis=1)
    out[empty] = x[empty]
    return out


def _examples(texts: list[str], sims: np.ndarray, inside: np.ndarray, names: list[str]) -> list[str]:
    """EXAMPLES sentences of a topic that say what its name says: those with
    its phrase or one of its first words first, then the others; nearest the
    centre first within each; fragments (under 4 words) and run-ons (over 30)
    after the rest; one sentence per wording."""
    said = [f" {n} " for n in names if n]
    gists = [" ".join(words(texts[i])) for i in inside]
    length = np.array([len(g.split()) for g in gists])
    named = np.array([not any(n in f" {g} " for n in said) for g in gists])
    examples, seen = [], set()
    for j in np.lexsort((-sims[inside], (length < 4) | (length > 30), named)):
        if gists[j] not in seen:  # "on hold for 65 minutes" and "… 36 minutes" say one thing
            seen.add(gists[j])
            examples.append(texts[inside[j]])
        if len(examples) == EXAMPLES:
            break
    return examples


def _shaped(con, x: np.ndarray, texts: list[str], weights: list[int],
            labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[dict]]:
    """The k-means topics made into what a manager reads: topics whose centres
    are near-identical (cosine >= MERGE_CENTRES) or whose phrases coincide
    merged; generic topics (topic_names.is_generic) folded into one "general
    praise" and one "general complaint" by the tone of their sentences.
    Returns labels, centres, each sentence's cosine to its centre, and per
    topic its names (topic_names.name) with its "kind"."""
    def embed(phrases):
        return vectors.embed_on(con, phrases)

    k = int(labels.max()) + 1
    labels, centres, sims = _merged(x, labels, list(range(k)))
    close = np.argwhere(np.triu(centres @ centres.T, 1) >= MERGE_CENTRES)
    labels, centres, sims = _merged(x, labels, _union(close, len(centres)))
    names = topic_names.name(texts, weights, labels, sims, centres, embed)
    first = {}
    same = [(first.setdefault(n["phrases"][0], t), t) for t, n in enumerate(names) if n["phrases"]]
    if any(a != b for a, b in same):
        labels, centres, sims = _merged(x, labels, _union(same, len(centres)))
        names = topic_names.name(texts, weights, labels, sims, centres, embed)
    kinds = [topic_names.TOPIC] * len(names)
    generic = [t for t, n in enumerate(names) if topic_names.is_generic(n["terms"])]
    if generic:
        sample = topic_names.nearest(labels, sims, len(names))
        kind_of = {t: topic_names.PRAISE if topic_names.tone([texts[i] for i in sample[t]]) >= 0
                   else topic_names.COMPLAINT for t in generic}
        # every generic topic joins the first generic topic of its kind
        leader = {kind: min(t for t in generic if kind_of[t] == kind) for kind in set(kind_of.values())}
        labels, centres, sims = _merged(x, labels, [leader[kind_of[t]] if t in kind_of else t
                                                    for t in range(len(names))])
        names = topic_names.name(texts, weights, labels, sims, centres, embed)
        folded = {int(labels[sample[leader[kind]][0]]): kind for kind in leader}
        kinds = [folded.get(t, topic_names.TOPIC) for t in range(len(names))]
    return labels, centres, sims, [{**n, "kind": kind} for n, kind in zip(names, kinds)]


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
        texts = tbl.column("sentence").to_pylist()
        x = subject_vectors(con, texts, matrix(tbl.column("vec")))
        keys = tbl.column("sentence_key").to_pylist()
        k = int(min(MAX_TOPICS, max(MIN_TOPICS, len(x) // SENTENCES_PER_TOPIC)))
        rng = np.random.default_rng(SEED)
        sample = x[rng.choice(len(x), FIT_SAMPLE, replace=False)] if len(x) > FIT_SAMPLE else x
        labels, sims = _assign(x, _kmeans(sample, k, rng))
        weights = tbl.column("mentions").to_pylist()
        labels, centres, sims, names = _shaped(con, x, texts, weights, labels)
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
    trend = add_stats(periods.label(trend, "month")) if not trend.empty else trend
    topics = []
    for row in per.itertuples():
        inside = np.flatnonzero(labels == row.topic)
        name = names[row.topic]
        terms = name["terms"]
        phrase = (name["phrases"] or terms or [None])[0] if name["kind"] == topic_names.TOPIC else None
        examples = _examples(texts, sims, inside, [phrase] + terms[:3] if phrase else terms[:3])
        months = trend[trend["topic"] == row.topic]
        topics.append({
            "label": " · ".join(terms[:3]) or examples[0], "phrase": phrase, "kind": name["kind"],
            "phrases": name["phrases"] if phrase else [],
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


def title(topic: dict, lang: str) -> str:
    """A discovered topic's name for people: its phrase in the comments' own
    words, or "general praise" / "general complaint" for a generic one."""
    return topic["phrase"] or t(f"topic_{topic['kind']}", lang)
