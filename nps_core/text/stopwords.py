"""Function words of Dutch and English: what a sentence has whatever it is
about. They are left out of sentence representations (they carry grammar,
not topic) and never name a discovered topic."""

from __future__ import annotations

import re

NL = frozenset("""
aan achter af al alle alleen als alsof altijd ander andere anders ben bij bijna binnen boven daar daarna
daarom dan dat de deze die dit doe doen doet door dus echter een eens eigen en enige er erg even ga gaan
gaat gedaan geen geweest had hadden heb hebben hebt heeft hem hen het hier hij hoe hoor hun ieder iedereen
iemand iets ik in is ja je jij jou jouw jullie kan kon konden kun kunnen kunt laat maar me meer men met mij
mijn moest moet moeten na naar natuurlijk net niet niets nog nogal nou nu of ofwel om omdat onder ons onze
ook op over pas per sinds steeds te tegen toch toen tot u uit uw van veel voor vooral waar waarom wanneer
want waren was wat we wel welke werd werden wie wij wil willen wilde word wordt worden zal ze zei zeer zelf
zich zij zijn zo zoals zodat zou zouden zowel zullen ff beetje keer gewoon echt heel weer nooit nee tja hoi
""".split())

EN = frozenset("""
a about above after again against all also although am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down
during each even ever every few for from further get gets got had hadn't has hasn't have haven't having he
her here hers herself him himself his how however i i'd i'll i'm i've if in into is isn't it it's its itself
just let's like me more most much must my myself no nor not now of off on once one only or other our ours
ourselves out over own quite rather really same shall she should shouldn't so some still such than that
that's the their theirs them themselves then there there's these they they're this those though through
thus to too under until up upon us very was wasn't we we're were weren't what when where which while who
whom why will with won't would wouldn't yet you you're your yours yourself yourselves also etc ok okay
im dont didnt cant wont ive yes yeah well oh ah hmm hi hello thanks
""".split())

ALL = NL | EN

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


MAX_WORD = 40  # a longer run of letters is no word (a pasted key, a row of one letter)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased (letters and inner apostrophes)."""
    return [w for w in WORD.findall(text.lower()) if len(w) <= MAX_WORD]


def content_words(text: str) -> list[str]:
    """The words of a text that are not function words of Dutch or English."""
    return [w for w in words(text) if w not in ALL and len(w) > 1]
