"""Names of discovered topics: a phrase from the comments themselves, the
distinctive words beside it, and the rule that tells a topic with a subject
from a generic one.

The phrase (issue 27: "engineer never turned up", not "back · call · day")
is a word n-gram of 2-4 words from the topic's own sentences that neither
starts nor ends with a function word of Dutch or English or a filler word
(below; a verb's particle may end it: "turned up") and holds at least one subject word (below) and,
where one does, one of the topic's words (`terms`: the label, the words and
the phrase agree). Each
candidate said by at least MIN_PHRASE_MENTIONS of the topic's sentences is
scored KeyBERT-style: how close its vector is to the topic's centre (the
cosine, with the same word-mean vectors as the sentences) plus how
distinctive it is of the topic against the others (class-based TF-IDF,
scaled to the topic's best); further phrases are picked by maximal marginal
relevance, so the alternatives say something else. The words (`terms`) are
the class-based TF-IDF words and two-word phrases, as before, filler words
left out like function words ("time · days · day" named the topic of
engineers who never came).

Generic: a subject word is a content word that is neither filler
(stopwords.FILLER: "make", "going", "nothing", "later") nor a sentiment word
(in the English or Dutch sentiment lexicon with |valence| >= SENTIMENT_VALENCE:
"good", "excellent", "slecht"). A topic whose first GENERIC_WORDS words hold
fewer than MIN_SUBJECTS subject words is generic: filler ("make · going ·
give"), or praise or complaint with no subject ("good · great · excellent").
Discovery folds those into "general praise" / "general complaint"; the
benchmark applies the same rule to BERTopic's top words.

Only the sentences nearest each topic's centre are read (NAMING_SAMPLE), so
naming costs the same at ten thousand sentences as at a million.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

import numpy as np

from nps_core.text.stopwords import ALL as STOPWORDS
from nps_core.text.stopwords import FILLER, words

TERMS = 6  # words listed per topic (the label is the first three)
PHRASES = 3  # the phrase and two alternatives
MIN_PHRASE, MAX_PHRASE = 2, 4  # words in a phrase
MIN_PHRASE_MENTIONS = 2  # a phrase one customer used is theirs, not the topic's
EDGE = STOPWORDS | FILLER  # words a phrase neither starts nor ends with ("nothing we didn")
PARTICLES = frozenset("up out off down back through over op uit af terug".split())  # may end a phrase
NAMING_SAMPLE = 400  # sentences nearest the centre read per topic
MMR_DIVERSITY = 0.5  # weight of the difference to the phrases already picked
GENERIC_WORDS, MIN_SUBJECTS = 6, 2
SENTIMENT_VALENCE = 1.0
NEGATIONS = frozenset("not no never nothing niet geen nooit niets".split())
TOPIC, PRAISE, COMPLAINT = "topic", "general_praise", "general_complaint"  # a discovered item's kind


@lru_cache(maxsize=1)
def sentiment_words() -> frozenset[str]:
    """Words the English or Dutch sentiment lexicon gives a clear valence."""
    from nps_core.text.sentiment import lexicon  # VADER and the Dutch lexicon load on first use
    return frozenset(w for lang in ("en", "nl") for w, v in lexicon(lang).items()
                     if abs(v) >= SENTIMENT_VALENCE and " " not in w)


def tone(sentences: list[str]) -> float:
    """The mean lexical valence of sentences (both languages' lexicons, a
    word after a negation within three words counted the other way): whether
    a generic topic is praise or complaint."""
    from nps_core.text.sentiment import lexicon
    valence = {**lexicon("nl"), **lexicon("en")}
    total = 0.0
    for s in sentences:
        ws = words(s)
        total += sum(-valence.get(w, 0.0) if NEGATIONS & set(ws[max(0, i - 3):i]) else valence.get(w, 0.0)
                     for i, w in enumerate(ws))
    return total / max(len(sentences), 1)


def is_subject(word: str) -> bool:
    """A word that can say what a comment is about."""
    return len(word) > 2 and word not in STOPWORDS and word not in FILLER and word not in sentiment_words()


def is_generic(terms: list[str]) -> bool:
    """Whether a topic named by these words (most distinctive first; phrases
    count word by word) has no subject: fewer than MIN_SUBJECTS subject
    words among its first GENERIC_WORDS words."""
    first = list(dict.fromkeys(w for t in terms for w in t.split()))[:GENERIC_WORDS]
    return sum(map(is_subject, first)) < MIN_SUBJECTS


def _terms_of(ws: list[str]) -> set[str]:
    """Content words other than filler, and pairs of two adjacent ones."""
    keep = [w if (w not in STOPWORDS and w not in FILLER and len(w) > 2) else None for w in ws]
    terms = {w for w in keep if w}
    terms |= {f"{a} {b}" for a, b in zip(keep, keep[1:]) if a and b}
    return terms


def _phrases_of(ws: list[str]) -> set[str]:
    """Word n-grams that could name a topic (see the module's docstring)."""
    out = set()
    for n in range(MIN_PHRASE, MAX_PHRASE + 1):
        for i in range(len(ws) - n + 1):
            g = ws[i:i + n]
            if g[0] in EDGE or (g[-1] in EDGE and g[-1] not in PARTICLES) or g[-1] == g[0]:
                continue
            if any(map(is_subject, g)):
                out.add(" ".join(g))
    return out


def _ctfidf(per: list[Counter], sizes: np.ndarray) -> list[dict[str, float]]:
    """Class-based TF-IDF of each topic's counts: the share of the topic's
    sentences saying the term, times log(1 + average topic size / the term's
    count over all topics)."""
    overall = Counter()
    for c in per:
        overall.update(c)
    average = sizes.sum() / max(len(per), 1)
    return [{t: n / size * math.log(1 + average / overall[t]) for t, n in c.items()} if size else {}
            for c, size in zip(per, sizes)]


def nearest(labels: np.ndarray, sims: np.ndarray, k: int, limit: int = NAMING_SAMPLE) -> list[np.ndarray]:
    """Per topic, the indices of its sentences nearest its centre first (at most `limit`)."""
    order = np.lexsort((-sims, labels))
    starts = np.searchsorted(labels[order], np.arange(k + 1))
    return [order[starts[t]:starts[t + 1]][:limit] for t in range(k)]


def name(texts: list[str], weights: list[int], labels: np.ndarray, sims: np.ndarray, centres: np.ndarray,
         embed) -> list[dict]:
    """Per topic (0 … k-1, k = len(centres)): {"terms", "phrases"} read from
    its sentences nearest the centre; `embed(list of texts)` gives unit
    vectors comparable with the centres (vectors.embed_on)."""
    k = len(centres)
    picked = nearest(labels, sims, k)
    tokens = {i: words(texts[i]) for idx in picked for i in idx}
    sizes = np.array([sum(weights[i] for i in idx) for idx in picked], dtype=float)
    term_counts, phrase_counts = [Counter() for _ in range(k)], [Counter() for _ in range(k)]
    for t, idx in enumerate(picked):
        for i in idx:
            term_counts[t].update(dict.fromkeys(_terms_of(tokens[i]), weights[i]))
            phrase_counts[t].update(dict.fromkeys(_phrases_of(tokens[i]), weights[i]))
    term_scores, phrase_scores = _ctfidf(term_counts, sizes), _ctfidf(phrase_counts, sizes)
    named = []
    for t in range(k):
        floor = max(2, 0.03 * sizes[t])  # a term of one or two sentences names nothing
        ranked = sorted((t_ for t_, n in term_counts[t].items() if n >= floor), key=lambda w: (-term_scores[t][w], w))
        chosen: list[str] = []
        for w in ranked:  # a word already inside a listed phrase adds nothing
            if not any(w in c.split() or c in w.split() for c in chosen):
                chosen.append(w)
            if len(chosen) == TERMS:
                break
        candidates = sorted(p for p, n in phrase_counts[t].items() if n >= MIN_PHRASE_MENTIONS)
        # the phrase says what the words say: one with a listed word where there is one
        said = {w for c in chosen for w in c.split()}
        named.append(([p for p in candidates if said & set(p.split())] or candidates, chosen))
    every = sorted({p for candidates, _ in named for p in candidates})
    row = dict(zip(every, range(len(every))))
    vecs = embed(every)  # one look-up of the word vectors for all topics' candidates
    return [{"terms": chosen, "phrases": _rank(candidates, vecs[[row[p] for p in candidates]], phrase_scores[t],
                                               centres[t])}
            for t, (candidates, chosen) in enumerate(named)]


def _rank(candidates: list[str], vecs: np.ndarray, distinct: dict[str, float], centre: np.ndarray) -> list[str]:
    """The PHRASES best candidates (vectors `vecs`): closeness to the centre
    plus scaled distinctiveness, then maximal marginal relevance among them."""
    if not candidates:
        return []
    best = max(distinct[p] for p in candidates) or 1.0
    score = vecs @ centre + np.array([distinct[p] / best for p in candidates])
    chosen = [int(np.argmax(score))]
    while len(chosen) < min(PHRASES, len(candidates)):
        redundancy = (vecs @ vecs[chosen].T).max(axis=1)
        mmr = (1 - MMR_DIVERSITY) * score - MMR_DIVERSITY * redundancy
        mmr[chosen] = -np.inf
        chosen.append(int(np.argmax(mmr)))
    return [candidates[i] for i in chosen]
