"""Which words of a sentence are denied, in Dutch and English.

Sentence vectors are the mean of content words (text/vectors.py), and "not",
"geen", "never" are function words, so "engineer did not turn up" and
"Engineer turned up" get the same vector. Search and themes defined by
examples put the denial back from the text (analysis/search.py,
text/stance.py): whether a sentence denies something, and what.

A cue denies the content words after it in its clause ("no legroom at all",
"ik kan niet inloggen"), at most SCOPE of them. Dutch puts the verb of a main
clause before "niet" ("de airco werkte niet", "inloggen lukt niet"): a cue
with no content word after it denies the clause's words before it. A clause
ends at punctuation or at a word that starts another thought ("but", "omdat").
"""

from __future__ import annotations

import re
from functools import lru_cache

from nps_core.text.stopwords import ALL as FUNCTION_WORDS

SCOPE = 4  # content words a cue denies: "not" in a long sentence does not deny all of it
# VADER's list (vader.NEGATE) lacks "no" and "nobody" and counts "despite" and
# "rarely"; these are the words that deny in survey comments. Apostrophes may be
# missing ("didnt") or replaced by a space, as exports that strip punctuation
# write them ("didn t", Booking.com).
EN_CUES = frozenset("""not no never nobody noone nothing none nowhere neither nor without cannot cant
dont doesnt didnt isnt wasnt werent arent wont wouldnt couldnt shouldnt havent hasnt hadnt aint""".split())
NL_CUES = frozenset("niet geen nooit niemand niets niks nergens zonder noch nimmer allerminst".split())
CUES = EN_CUES | NL_CUES
# "not only … but", "niet alleen … maar": an addition, not a denial
NOT_DENIALS = re.compile(r"\b(?:not only|not just|niet alleen|niet enkel)\b")
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[.,;:!?()]")
CLAUSE_END = frozenset(""". , ; : ! ? ( ) but however although though because whereas while so
maar echter hoewel omdat want doordat terwijl dus""".split())


def _tokens(text: str) -> list[str]:
    """Lower-case words and punctuation, contractions made one cue ("didn't",
    "didn t" -> "didnt"; "no one" -> "noone")."""
    text = NOT_DENIALS.sub(" ", text.lower().replace("’", "'"))
    text = re.sub(r"\b(\w+n)'?\s?t\b", r"\1t", text)  # didn't, didn t -> didnt
    text = re.sub(r"\bno[- ]one\b", "noone", text)
    return TOKEN.findall(text)


def _content(word: str) -> bool:
    return word not in FUNCTION_WORDS and word not in CUES and len(word) > 1 and word not in CLAUSE_END


@lru_cache(maxsize=1 << 16)
def denied(text: str) -> tuple[bool, tuple[str, ...]]:
    """(whether the text denies something, the content words it denies).
    "No Negative" -> (True, ("negative",)); "Legroom was okay" -> (False, ())."""
    tokens = _tokens(text)
    negated, words = False, []
    for i, token in enumerate(tokens):
        if token not in CUES:
            continue
        negated = True
        after = []
        for t in tokens[i + 1:]:
            if t in CLAUSE_END or len(after) == SCOPE:
                break
            if _content(t):
                after.append(t)
        if not after:  # a Dutch clause's verb and subject come before "niet"
            for t in reversed(tokens[:i]):
                if t in CLAUSE_END or len(after) == SCOPE:
                    break
                if _content(t):
                    after.append(t)
        words += [w for w in after if w not in words]
    return negated, tuple(words)
