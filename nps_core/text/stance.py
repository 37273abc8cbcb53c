"""What a sentence says about its subject: whether it denies something and
its tone; and how far two sentences agree on that.

Meaning search and themes defined by examples compare sentence vectors, which
are blind to "not" and to tone: "engineer did not turn up" and "Engineer
turned up", "no legroom at all" and "Legroom was okay" get the same vector.
A stance puts that back: `denies` from text/negation.py, `tone` from the
lexical sentiment of the sentence (text/sentiment.py, VADER's rules with the
Dutch lexicon, which read "not good" and "geen probleem" right).
`adjustment` turns two stances into a correction of their cosine.

The weights were chosen on the tuning half of the judged query set
(tests/corpus/queries/, tests/support/search_eval.py), never on its held-out half;
the figures are in docs/how-it-is-built.md ("Search by meaning").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nps_core.text import negation, sentiment

NEUTRAL = 0.05  # a tone closer to 0 says nothing
# A denial without a tone word is a complaint in survey comments ("no legroom",
# "niemand belde terug", "the router never arrived"); "no problems", "geen klachten"
# carry a tone word and keep VADER's positive reading.
DENIED_TONE = -0.5
# Tone agreement moves a sentence by at most W_TONE: the cosines of a query's
# 100 nearest sentences spread over about 0.1, so a shared tone reorders within it.
W_TONE = 0.1
# One of the two denies and their tones do not agree: the sentence affirms what the
# query denies ("Engineer turned up") or the reverse. Such a sentence goes below every
# sentence that does not contradict (a cosine 0.94 "Engineer turned up" against 0.71
# "the engineer never showed up"), and a theme never catches it. On the tuning
# queries any weight from 0.2 to 1 gave the same precision; the largest keeps that promise.
W_DENIAL = 1.0


@dataclass(frozen=True)
class Stance:
    denies: bool | None  # None: no stance on it (a theme whose examples differ)
    tone: float  # -1 … 1; 0: none


NONE = Stance(None, 0.0)


@lru_cache(maxsize=1 << 16)
def of(text: str, language: str) -> Stance:
    """The stance of a sentence in `language` (nl, en, or other: read both ways)."""
    denies = negation.denied(text)[0]
    tone = sentiment.score(text, language)
    if denies and abs(tone) < NEUTRAL:
        tone = DENIED_TONE
    return Stance(denies, tone)


def common(stances: list[Stance]) -> Stance:
    """The stance example sentences share: their tone if all lean the same
    way, a denial if all deny, an affirmation if none denies and their tone is
    shared; NONE for a theme about a subject whatever is said of it
    ("comfortable seat", "no legroom"; "friendly staff", "rude staff")."""
    tones = [s.tone for s in stances]
    same_way = bool(tones) and (all(t >= NEUTRAL for t in tones) or all(t <= -NEUTRAL for t in tones))
    tone = sum(tones) / len(tones) if same_way else 0.0
    if stances and all(s.denies for s in stances):
        return Stance(True, tone)
    return Stance(False if same_way and not any(s.denies for s in stances) else None, tone)


def _tones_agree(a: Stance, b: Stance) -> bool:
    return abs(a.tone) >= NEUTRAL and abs(b.tone) >= NEUTRAL and (a.tone > 0) == (b.tone > 0)


def adjustment(query: Stance, sentence: Stance) -> float:
    """What to add to the cosine of a sentence for a query (or a theme): the
    product of their tones times W_TONE, and -W_DENIAL when exactly one of them
    denies and their tones do not agree ("no legroom at all" and "legroom was
    tight" agree; "Legroom was okay" does not)."""
    contradicts = query.denies is not None and query.denies != sentence.denies and not _tones_agree(query, sentence)
    return W_TONE * query.tone * sentence.tone - W_DENIAL * contradicts
