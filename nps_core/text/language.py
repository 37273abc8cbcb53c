"""Is a comment Dutch, English or something else? Counted from function words,
which every sentence has and which the two languages hardly share."""

from __future__ import annotations

import re

NL = set("""de het een en van ik je jij u is niet dat die was op te met voor zijn er maar om ook als
bij nog wel al dan of naar heb heeft hebben geen mijn me mij wat kan werd wordt worden ze zij
we wij deze dit erg heel zeer ben zo nu toen omdat want hier daar alles iets niets echt gewoon
goed snel even ff weer nooit altijd graag ging gaat moet moest kon zou na tot door uit aan over
veel meer minder bestelling bezorging levering klantenservice prima""".split())
EN = set("""the a an and of i you is not that this was on to with for are it be have has had no my
me what can will would they we very so now when because but here there all some nothing really
just good fast again never always please did do does got get its it's i'm don't didn't from at
by out about more less order delivery customer great thanks thank""".split())

WORD = re.compile(r"[a-zà-ÿ']+")
# Spelling tells the languages apart when a short comment has no function
# word ("Slechte service", "Way too expensive"): weak evidence, counted half.
NL_SPELLING = re.compile(r"ij|aa|oe|uu|ui|sch|ee")
EN_SPELLING = re.compile(r"th|wh|ck|ing\b|y\b|ea|ou")


def detect(text: str | None) -> str:
    """nl, en or other (too short, another language, or an even mix)."""
    words = WORD.findall((text or "").lower())
    nl = sum(w in NL for w in words)
    en = sum(w in EN for w in words)
    if abs(nl - en) <= 1:
        joined = " ".join(words)
        nl += len(NL_SPELLING.findall(joined)) / 2
        en += len(EN_SPELLING.findall(joined)) / 2
    if nl == en:
        return "other"
    return "nl" if nl > en else "en"
