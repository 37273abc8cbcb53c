"""Sentiment of a comment, from -1 (very negative) to 1 (very positive).

English: vaderSentiment. Dutch: VADER's own rules (negation, boosters,
"maar"/"but" shifts, capitals, exclamation marks, the compound score) run
over a Dutch lexicon, `data/sentiment_nl.txt`, with Dutch negations and
intensifiers added to VADER's lists. No maintained Dutch resource of this
kind was found in the registries, so the lexicon is ours; its accuracy is
measured by tests/test_enrichment.py on a hand-labelled corpus.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import vaderSentiment.vaderSentiment as vader

NL_LEXICON = Path(__file__).resolve().parents[1] / "data" / "sentiment_nl.txt"

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
        "ja dag": -1.6, "ander verhaal": -1.2, "op tijd": 1.5, "binnen een dag": 1.4, "dezelfde dag": 1.4,
        "kapotte": -2.2, "gebroken": -2.0, "ingedeukt": -1.8, "lekt": -1.8, "crasht": -1.8,
        "uitverkocht": -1.2, "foutcode": -1.5, "doolhof": -1.5, "bagger": -2.6, "nergens": -0.8,
        "geannuleerd": -1.4, "geweigerd": -1.6, "opgelost": 1.8, "meteen": 1.0, "direct": 0.8,
        "teruggebeld": 1.2, "geduldig": 1.8, "rustig": 0.8, "snapte": -0.3, "snappen": -0.3,
        "mooi": 1.9, "werkend": 0.5, "te laat": -1.8, "veel te laat": -2.4, "nog steeds": -1.2,
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
    },
}


def _token(phrase: str) -> str:
    return "".join(ch for ch in phrase if ch.isalnum())


@lru_cache(maxsize=None)
def _phrase_patterns(language: str) -> list[tuple[re.Pattern, str]]:
    return [(re.compile(rf"(?<![\w']){re.escape(p)}(?![\w'])"), f" {_token(p)} ")
            for p in sorted(DOMAIN[language], key=len, reverse=True)]


def _join_phrases(text: str, language: str) -> str:
    lowered = text.lower()
    for pattern, token in _phrase_patterns(language):
        lowered = pattern.sub(token, lowered)
    return lowered


@lru_cache(maxsize=None)
def _analyser(language: str) -> vader.SentimentIntensityAnalyzer:
    if language == "nl":
        analyser = vader.SentimentIntensityAnalyzer(lexicon_file=str(NL_LEXICON))
    else:
        analyser = vader.SentimentIntensityAnalyzer()
    analyser.lexicon.update({_token(p): v for p, v in DOMAIN[language].items()})
    analyser.lexicon["joke"] = -1.5  # "delivery is a joke": never praise in a survey
    return analyser


def _score(text: str, language: str) -> float:
    prepared = _join_phrases(text, language)
    if language == "nl":  # "maar" plays VADER's "but": what follows it counts more
        prepared = prepared.replace(" maar ", " but ")
    # capitals carry anger: VADER reads them from the original casing
    if text.isupper():
        prepared = prepared.upper()
    return _analyser(language).polarity_scores(prepared)["compound"]


def score(text: str | None, language: str) -> float:
    """Compound sentiment in [-1, 1]; an empty comment is 0. A comment in
    neither language is scored both ways and the stronger reading kept."""
    if not text or not text.strip():
        return 0.0
    if language in ("nl", "en"):
        return _score(text, language)
    return max((_score(text, "nl"), _score(text, "en")), key=abs)
