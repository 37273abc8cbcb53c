"""Sentiment of a comment, from -1 (very negative) to 1 (very positive).

English: vaderSentiment. Dutch: VADER's own rules (negation, boosters,
"maar"/"but" shifts, capitals, exclamation marks, the compound score) run
over a Dutch lexicon, with Dutch negations and intensifiers added to VADER's
lists. The lexicon is CLiPS Pattern's Dutch adjective lexicon (the reference
Dutch polarity resource, `data/sentiment_nl_pattern.tsv`, with its inflected
forms) overlaid by our service-domain words (`data/sentiment_nl.txt`), whose
valence wins ("naar" is listed there as neutral: Pattern has its "nasty"
sense, but in comments it is the preposition, "naar boven"). Accuracy is measured by tests/engine/test_enrichment.py on a
hand-labelled corpus.

A review that mixes praise and complaint is read clause by clause (the
clauses of vectors.split): the comment's lexical score is the mean of its
clauses' scores, a clause after "but"/"maar"/"however" counting double (the
writer's verdict usually follows the contrast). One compound score over a
long review saturates at +-1 whatever the mix; the mean keeps the balance.

English comments add a learned n-gram score: a linear model over the
words and word pairs of each clause (ngrams(), negated words marked), so it
reads "never again", "not_bad", "seat was fine" as the reviewers who wrote
them rated them. It is trained by tools/train_sentiment.py on about 65,000
real rated reviews of eight sectors (insurance, restaurant, clothing,
electronics, hotel, theme park, airport lounge, banking; the rating, scaled
to [-1, 1], is the target) and our English hand-labelled development
comments; a comment's n-gram score is the mean over its clauses (weighted
as the lexical score weighs them), and text_score() weighs it with the
lexical score as that tool fitted them.

Dutch and other comments blend the lexical score with a learned vector score
instead (the vector score weighs `MODEL_SHARE`): a linear model on each clause's sentence
vector, trained by the same tool on the same reviews and our hand-labelled
comments of both languages. The vectors are multilingual (a Dutch word lies
near its English translation), so what the English reviews teach carries to
Dutch; it reads tone that no lexicon word carries ("mijn koffer is
kwijtgeraakt"). The blend is applied in SQL once the sentence vectors exist
(nps_core/text/enrich.py, blend_sql). Measured by bench/sentiment_eval.py
(Spearman against the reviewer's rating: held-out files, and each training
sector left out in turn; Dutch sign accuracy) and tests/engine/test_sentiment.py.

MODEL_VERSION names the scorer: stored with each score, it tells which
stored scores an older scorer made.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

import numpy as np
import vaderSentiment.vaderSentiment as vader

from nps_core import DATA_DIR
from nps_core.text.stopwords import EN as STOPWORDS
from nps_core.text.vectors import CONTRAST, DIM, split

NL_LEXICON = DATA_DIR / "sentiment_nl.txt"
NL_PATTERN = DATA_DIR / "sentiment_nl_pattern.tsv"
MODEL_FILE = DATA_DIR / "sentiment_model.npy"  # DIM weights and a bias (tools/train_sentiment.py)
NGRAM_FILE = DATA_DIR / "sentiment_en_ngrams.json"  # n-gram weights and the text_score weights (same tool)
# The version stored with every score (text/enrich.py scores a comment of another version again):
# the weights' checksum, and REVISION, raised by hand when a change of this module's rules changes scores
# (2: issue 28, the n-gram score weighs clauses as the lexical score does; new share and spreads).
REVISION = 2
MODEL_VERSION = f"{REVISION}-" + hashlib.sha256(b"".join(
    f.read_bytes() for f in (NL_LEXICON, NL_PATTERN, MODEL_FILE, NGRAM_FILE))).hexdigest()[:12]
MODEL_SHARE = 0.3  # the vector score's share in the blend of a non-English comment (see tools/train_sentiment.py)
SPREAD = 1.8  # see blend_sql
EN_SPREAD = 0.7  # see blend_sql and text_score
AFTER_CONTRAST = 2.0  # a clause after "but"/"maar" weighs double in the comment's mean
# answers that say there is nothing to say: no tone at all ("No comment" read
# as negative put promoters among "Worth a read")
NO_OPINION = re.compile(r"(?i)^\W*(?:no comments?|none|n/?a|nvt|n\.v\.t|geen(?: opmerkingen| commentaar| op- of aanmerkingen)?"
                        r"|nee|no|nothing|niets|niks|-+)\W*$")

# Dutch words VADER's rules need: negations and degree words. Adding them to
# VADER's module lists is harmless for English text, which never contains them.
NL_NEGATIONS = ("niet", "geen", "nooit", "niks", "niets", "nergens", "zonder", "allerminst")
NL_BOOSTERS_UP = ("heel", "erg", "zeer", "super", "echt", "enorm", "ontzettend", "hartstikke", "bijzonder",
                  "extreem", "totaal", "volledig", "uiterst", "mega", "best", "behoorlijk")
NL_BOOSTERS_DOWN = ("beetje", "redelijk", "vrij", "wat", "nogal", "enigszins", "soms")
vader.NEGATE.extend(w for w in NL_NEGATIONS if w not in vader.NEGATE)
vader.BOOSTER_DICT.update({w: vader.B_INCR for w in NL_BOOSTERS_UP})
vader.BOOSTER_DICT.update({w: vader.B_DECR for w in NL_BOOSTERS_DOWN})


# Phrases that carry the tone of service comments but no sentiment word VADER
# knows ("nog steeds geen", "left in the rain"): joined into one token and
# given a valence, per language.
DOMAIN = {
    "nl": {
        "scheelt een hoop gedoe": 1.8, "scheelt gedoe": 1.6, "zonder gedoe": 1.8, "zoonder gedoe": 1.8,
        "nog steeds geen": -2.0, "nooit meer": -2.6, "geen reactie": -2.2, "geen antwoord": -2.2,
        "laat niemand iets weten": -2.0, "niemand": -1.2, "lukt niet": -1.8, "werkt niet": -2.0,
        "doet het niet": -2.0, "in de regen": -1.5, "valt tegen": -2.0, "valt erg tegen": -2.4,
        "verstand van zaken": 2.0, "niet klagen": 1.8, "geen klachten": 1.8, "geen problemen": 1.6,
        "ja dag": -1.6, "ander verhaal": -1.5, "op tijd": 1.5, "binnen een dag": 1.4, "dezelfde dag": 1.4,
        "kapotte": -2.2, "gebroken": -2.0, "ingedeukt": -1.8, "lekt": -1.8, "crasht": -1.8,
        "uitverkocht": -1.2, "foutcode": -1.5, "doolhof": -1.5, "bagger": -2.6, "nergens": -0.8,
        "geannuleerd": -1.4, "geweigerd": -1.6, "opgelost": 1.8, "meteen": 1.0, "direct": 0.8,
        "teruggebeld": 1.2, "geduldig": 1.8, "rustig": 0.8, "snapte": -0.3, "snappen": -0.3,
        "mooi": 1.9, "werkend": 0.5, "te laat": -1.8, "veel te laat": -2.4, "nog steeds": -1.2,
        "mislukt": -2.0, "foutmelding": -1.8, "bedroevend": -2.5, "kraakt": -1.2, "nachtmerrie": -2.8,
        "buggy": -2.0, "twee keer afgeschreven": -2.0, "dubbel afgeschreven": -2.0, "geen bericht": -2.0,
        "geen excuses": -2.0, "opnieuw doen": -1.5, "niks snapt": -2.0,
        "loopt vast": -2.0, "niet werkend": -2.0, "wist er niks van": -2.2, "wist het niet": -1.8,
        "geen idee": -1.8, "gek van": -2.0, "kan niet beter": 2.8, "morgen in huis": 1.8,
        "chapeau": 2.5, "dat noem ik service": 2.8, "eerlijk": 0.5, "afgesproken tijd": -0.5,
        "goedkoper": 1.5, "voordeliger": 1.5, "duurder": -1.5, "te duur": -2.2, "veel te duur": -2.6,
        "omslachtig": -1.8, "ingewikkeld": -1.5, "onbereikbaar": -2.2, "ramp": -2.6, "eeuwig": -1.2,
        "achteruit": -1.5, "teleurgesteld": -2.2, "teleurstellend": -2.2, "heerlijk": 2.5,
        "vlekkeloos": 2.5, "degelijk": 2.0, "aanrader": 2.6, "zo geregeld": 2.0, "in orde": 1.5,
        # Pattern reads "simpel" as simple-minded; in a survey it means easy
        "simpel": 1.2, "klopt niet": -1.8, "klopt niks van": -2.0,
    },
    "en": {
        "still waiting": -2.0, "never again": -2.6, "no issues": 1.6, "no problems": 1.6,
        "no complaints": 1.6, "in stock": 1.0, "out of stock": -1.4, "unavailable": -1.3, "gave up": -1.8,
        "nobody": -1.2, "smoothly": 1.8, "earlier than expected": 2.0, "next day": 1.2, "on time": 1.5,
        "kept me informed": 1.8, "in the rain": -1.5, "rip-off": -2.6, "ripoff": -2.6, "a joke": -2.0,
        "late": -1.5, "lost": -1.8, "broken": -2.0, "broke": -1.8, "leaks": -1.8, "crashed": -1.8,
        "crashes": -1.8, "damaged": -2.0, "missing": -1.5, "took forever": -2.2, "forever": -1.0,
        "waited ages": -2.2, "refunded": 1.0, "simple": 1.2, "same day": 1.4, "within": 0.5,
        "couldn't even": -1.8, "make up your mind": -1.8, "nice try": -1.8, "less than": -0.8,
        "best price": 2.0, "quick": 1.5, "impressive": 2.2, "does not": -0.5, "doesn't work": -2.0,
        "expensive": -1.5, "too expensive": -2.2, "overpriced": -2.2, "cheaper": 1.5, "faster": 1.2,
        "faulty": -1.8, "no wait": 1.8, "straight through": 1.6, "knew his stuff": 2.2,
        "knew her stuff": 2.2, "knowledgeable": 2.0, "nightmare": -2.8, "logging me out": -1.8,
        "can't find": -1.5, "cannot find": -1.5, "didn't understand": -2.0, "read from a script": -1.8,
        "peeling": -1.8, "carried it up": 1.8, "5 stars": 2.5, "five stars": 2.5, "for nothing": -1.5,
        "took 2 weeks": -1.5, "weeks for an answer": -2.0, "even though i ordered late": 1.0,
        "nobody else": 1.2, "in stock when": 1.2, "cut off": -1.8, "no clue": -2.0, "snapped": -1.8,
        "dismissive": -2.0, "hassle free": 2.2, "no one called back": -2.2, "on hold": -1.2,
        # tone words VADER lacks, from the tuning reviews (bench/sentiment_eval.py) and the dev comments
        "tasty": 1.8, "attentive": 1.8, "professional": 1.5, "polite": 1.5, "smooth": 1.5, "decent": 1.0,
        "filthy": -2.5, "cramped": -1.5, "grumpy": -1.5, "stranded": -2.0, "no explanation": -1.8,
        "no response": -2.0, "no answer": -2.0, "billed twice": -2.0, "charged twice": -2.0,
        "didn't care": -2.0, "did not care": -2.0, "made up for it": 1.8,
    },
}


def _token(phrase: str) -> str:
    return "".join(ch for ch in phrase if ch.isalnum())


@lru_cache(maxsize=None)
def _phrase_pattern(language: str) -> re.Pattern:
    """All the language's phrases in one pattern, longest first, so one scan
    joins them (a pattern per phrase cost 200 scans of every clause)."""
    phrases = sorted(DOMAIN[language], key=len, reverse=True)
    return re.compile(rf"(?<![\w'])(?:{'|'.join(map(re.escape, phrases))})(?![\w'])")


def _join_phrases(text: str, language: str) -> str:
    return _phrase_pattern(language).sub(lambda m: f" {_token(m.group(0))} ", text.lower())


_LONG_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")
_SHORT_VOWEL = re.compile(r"(?<![aeiou])[aeiou]([bdgklmnprt])$")
_UNSTRESSED = ("ig", "lijk", "isch", "el", "er", "en", "em")


def inflections(adjective: str) -> set[str]:
    """The attributive (-e) and comparative (-er) forms of a Dutch adjective:
    groot → grote, groter; snel → snelle, sneller; boos → boze; lief → lieve;
    duur → dure, duurder. Over-generating is harmless: a form that does not
    exist never occurs in a comment."""
    if adjective.endswith("e"):
        return {adjective + "r"}
    if adjective[-1] in "aiouy":
        return set()
    stem = adjective
    if stem.endswith(("s", "f")) and not stem.endswith(("sch", "ss", "ff")):
        stem = stem[:-1] + {"s": "z", "f": "v"}[stem[-1]]
    long = _LONG_VOWEL.search(stem)
    if long:
        stem = stem[:long.start()] + long.group(1)[0] + long.group(2)
    elif _SHORT_VOWEL.search(stem) and not (adjective.endswith(_UNSTRESSED) and _syllables(adjective) > 1):
        stem += stem[-1]
    comparative = adjective + "der" if adjective.endswith("r") else stem + "er"
    return {adjective + "e", stem + "e", comparative}


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word))


def _dutch_lexicon() -> dict[str, float]:
    """Pattern's adjectives with their inflections, then our domain words on top."""
    lexicon: dict[str, float] = {}
    for line in NL_PATTERN.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, valence = line.split("\t")
            for form in inflections(word):
                lexicon.setdefault(form, float(valence))
            lexicon[word] = float(valence)
    for line in NL_LEXICON.read_text(encoding="utf-8").splitlines():
        if line.strip():
            word, valence = line.split("\t")[:2]
            lexicon[word] = float(valence)
    return lexicon


@lru_cache(maxsize=None)
def _analyser(language: str) -> vader.SentimentIntensityAnalyzer:
    if language == "nl":
        analyser = vader.SentimentIntensityAnalyzer(lexicon_file=str(NL_LEXICON))
        analyser.lexicon = _dutch_lexicon()
    else:
        analyser = vader.SentimentIntensityAnalyzer()
    analyser.lexicon.update({_token(p): v for p, v in DOMAIN[language].items()})
    analyser.lexicon["joke"] = -1.5  # "delivery is a joke": never praise in a survey
    return analyser


def lexicon(language: str) -> dict[str, float]:
    """Word (or joined phrase) -> valence, as the scorer of `language` reads it."""
    return _analyser(language).lexicon


def _score(text: str, language: str) -> float:
    prepared = _join_phrases(text, language)
    if language == "nl":  # "maar" plays VADER's "but": what follows it counts more
        prepared = prepared.replace(" maar ", " but ")
    # capitals carry anger: VADER reads them from the original casing
    if text.isupper():
        prepared = prepared.upper()
    return _analyser(language).polarity_scores(prepared)["compound"]


def score(text: str | None, language: str) -> float:
    """Lexical sentiment in [-1, 1]: the weighted mean of the clauses'
    scores; an empty comment or one without an opinion is 0."""
    if no_opinion(text):
        return 0.0
    parts = clauses(text)
    if len(parts) <= 1:
        return _clause_score(text, language)
    weights = np.array([w for _, w in parts])
    scores = np.array([_clause_score(c, language) for c, _ in parts])
    return round(float(weights @ scores / weights.sum()), 4)


def no_opinion(text: str | None) -> bool:
    """Empty, or a placeholder such as "No comment", "Geen", "n.v.t."."""
    return not text or not text.strip() or bool(NO_OPINION.match(text))


def clauses(text: str) -> list[tuple[str, float]]:
    """The comment's clauses (vectors.split) with their weight in the mean:
    AFTER_CONTRAST for a clause that a contrast word introduces."""
    out, end = [], 0
    for clause in split(text):
        start = text.find(clause, end)
        if start < 0:  # a clause split() joined with the next one: plain weight
            out.append((clause, 1.0))
            continue
        gap = text[end:start]
        out.append((clause, AFTER_CONTRAST if CONTRAST.search(" " + gap) else 1.0))
        end = start + len(clause)
    return out


@lru_cache(maxsize=1 << 18)
def _clause_score(text: str, language: str) -> float:
    """Compound sentiment of one clause in [-1, 1], computed once per distinct
    clause and language (comments repeat clauses: "Snel geleverd."). A
    clause in neither language is scored both ways and the stronger reading
    kept."""
    if language in ("nl", "en"):
        # a short comment can be mis-detected; no sentiment word at all in
        # its language is the sign, so read it in the other one
        first = _score(text, language)
        return first or _score(text, "en" if language == "nl" else "nl")
    return max((_score(text, "nl"), _score(text, "en")), key=abs)


_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NEGATION = re.compile(r"^(?:not|no|never|nothing|nobody|none|cannot|without|hardly|\w+n't)$")


def ngrams(clause: str) -> set[str]:
    """The features of the learned n-gram score: a clause's lower-case words
    and pairs of adjacent words ("never again"). A word after a negation in
    the clause is marked ("no complaints" -> "not_complaints", "not bad at
    all" -> "not_bad"): a negated complaint is not a complaint, and a mark
    the training reviews never showed weighs nothing, which leaves the
    reading to the lexical score, whose rules handle negation."""
    tokens = _TOKEN.findall(clause.lower().replace("\u2019", "'"))
    marked, negated = [], False
    for t in tokens:
        if _NEGATION.match(t):  # a marker, not a feature: in reviews it comes with complaints,
            negated = True      # so alone it weighed "no complaints" down
        elif not negated:
            marked.append(t)
        elif t not in STOPWORDS:  # "not_to", "not_them" would only learn the negation's weight
            marked.append(f"not_{t}")
    return set(marked) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}


@lru_cache(maxsize=1)
def ngram_model() -> dict:
    """{"lexical_weight", "ngram_weight", "weights": {n-gram: weight}, "trained_on"}."""
    return json.loads(NGRAM_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1 << 18)
def _ngram_clause(clause: str) -> float:
    weights = ngram_model()["weights"]
    return sum(weights.get(g, 0.0) for g in ngrams(clause))


def ngram_score(text: str) -> float:
    """The learned n-gram score of an English comment in [-1, 1]: its clauses'
    summed n-gram weights, averaged with the lexical score's clause weights
    (a clause after "but" counts AFTER_CONTRAST times: without it "Long hold
    time, but the agent fixed my problem" read as a complaint)."""
    parts = clauses(text)
    if not parts:
        return 0.0
    total = sum(w for _, w in parts)
    return max(-1.0, min(1.0, sum(w * _ngram_clause(c) for c, w in parts) / total))


def text_score(text: str | None, language: str) -> float:
    """The sentiment computed in Python. English: final, the lexical and
    n-gram scores weighted as tools/train_sentiment.py fitted them, spread by
    tanh(EN_SPREAD * x) (see blend_sql). Other languages: the lexical score,
    which blend_sql mixes with the vector score once the sentence vectors exist."""
    lexical = score(text, language)
    if language != "en" or no_opinion(text):
        return lexical
    m = ngram_model()
    return round(float(np.tanh(EN_SPREAD * (m["lexical_weight"] * lexical + m["ngram_weight"] * ngram_score(text)))), 4)


@lru_cache(maxsize=1)
def model() -> np.ndarray:
    """The learned clause model: DIM weights, then the bias."""
    weights = np.load(MODEL_FILE).astype(np.float32)
    if weights.shape != (DIM + 1,):
        raise ValueError(f"{MODEL_FILE.name}: expected {DIM + 1} numbers, found {weights.shape}")
    return weights


def model_sql(vec: str) -> tuple[str, list]:
    """SQL for the learned score of a FLOAT[] clause vector column, with its
    parameters (the weights are bound, not spliced into the text)."""
    w = model()
    return f"greatest(-1, least(1, list_dot_product({vec}, ?::FLOAT[]) + ?))", [w[:DIM].tolist(), float(w[DIM])]


def blend_sql(lexical: str, learned: str) -> str:
    """SQL for the stored sentiment of a comment not in English: the lexical
    and vector scores, the vector score weighing MODEL_SHARE, spread by
    tanh(SPREAD * x). (English comments are final in text_score: the vector
    score reads "no complaints" as "complaints", a sentence vector being its
    content words, negations dropped, and added to the n-gram score it gained
    0.006 Spearman on the sectors left out.) A mean of clauses is milder than
    one compound score over the whole text; the spread (monotone: ranks and
    signs stay) gives back the compound's scale, so the thresholds that read
    it ("very negative" at -0.5, Worth a read) keep their meaning. SPREAD and
    EN_SPREAD were set for the model of 2026-12-05 so that the share at or
    below -0.5 matches: of the demo's distinct comments 11.9 % of the Dutch
    and 16.8 % of the English are there (one compound score: 12.3 and 15.5 %);
    at or above 0.5: 41.5 and 24.9 % (compound: 36 and 34 %)."""
    return f"tanh({SPREAD} * ({1 - MODEL_SHARE} * {lexical} + {MODEL_SHARE} * {learned}))"
