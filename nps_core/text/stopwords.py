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


# Words that are not function words but say nothing about what a comment is
# about either: everyday verbs, vague nouns and adverbs of time and degree
# ("make · going · give", "nothing · anything · everything", "later · back ·
# first" named topics of real reviews), and the pieces of a negation whose
# apostrophe was stripped ("didn t"). They may sit inside a topic's phrase,
# never be its subject or a word of its name (analysis/topic_names.py).
FILLER = frozenset("""
make makes made making go goes going went gone give gives gave given giving get getting take takes took taken
taking come comes came coming know knows knew known tell tells told telling say says said saying ask asks asked
want wants wanted need needs needed think thought feel felt seem seemed look looked looking see saw seen use used
try tried keep kept put let done doing thing things something anything everything nothing someone anyone everyone
nobody somebody way ways day days time times back later first last next new old lot lots bit little big many
much sure able whole else around another least less ago since though already always never often sometimes
again ever far right left either neither overall especially definitely absolutely actually probably maybe
anyway literally simply certainly quite pretty enough several different same kind sort part rest end start
maken maakt gemaakt gaan gaat ging gingen gegaan geven geeft gaf gegeven krijgen krijg krijgt kreeg kregen
gekregen komen komt kwam kwamen gekomen weten weet wist gezegd zeggen zegt vragen vraagt vroeg gevraagd wilt
moest nodig denken denk dacht vinden vind vond zien zie zag gezien gebruiken gebruikt proberen geprobeerd
houden laten ding dingen alles niemand manier dag dagen tijd tijden terug later eerst eerste laatste
volgende nieuw nieuwe oud oude beetje groot grote klein kleine hele geheel ander sowieso eigenlijk misschien
zeker helemaal best wellicht soort deel rest begin einde verder weer meteen direct
didn wasn isn doesn don couldn wouldn hasn haven hadn weren aren shouldn
""".split()) - ALL
