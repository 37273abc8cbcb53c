"""Personal data in customer comments, masked before a comment leaves the
dashboard in a report: e-mail addresses, IBANs (any case, spaces or dashes
between the groups), Dutch citizen numbers (BSN: nine digits passing the
eleven-test), phone numbers (Dutch 06 / +31 / 0031 and area-code formats, and
other international numbers) and names after a greeting ("Hallo Piet,",
"Dear John", "Beste mevrouw De Vries", "beste jan,") or in a sign-off
("Groeten, Jan", "Met vriendelijke groet, Piet de Vries", "Regards, John").

Patterns err on the side of masking: a board deck does not need the digits
of an order number either, but it must never show a customer's phone number.
Where a pattern would also take ordinary words or numbers (lower-case codes,
any nine digits, any word after "hi"), a checksum or the shape of a greeting
line decides.
"""

from __future__ import annotations

import re

from nps_core.base.i18n import t

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# Two letters, two check digits, then 11–30 letters/digits, a space or dash allowed between groups of four.
IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,3})?\b")
IBAN_MIN = 12  # letters and digits of the shortest match masked without a checksum, as before

# Nine digits, a space or dot allowed between them (123456782, 1234.56.782, 123 456 782).
BSN = re.compile(r"(?<![\w.,+/-])\d(?:[ .]?\d){8}(?![\w]|[.,/-]\d)")

# +31 6 12345678, 0031-6-1234 5678, +31 (0)20 123 4567, 06-12345678, 020 123 45 67,
# +44 20 7946 0958: an international or trunk prefix, then at least 8 more digits
# with spaces, dots, dashes or brackets between them.
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}[\s.-]*(?:\(0\)[\s.-]*)?\d(?:[\s.-]?\d){6,11}(?!\w)"
    r"|(?<![\w+])0\d(?:[\s./-]?\(?\d\)?){8}(?!\w)"
)

_SALUTATIONS = (r"hallo|hoi|hey|hi|hello|dear|beste|geachte|lieve|goedemorgen|goedemiddag|goedenavond"
                r"|good\s+morning|good\s+afternoon")
_THANKS = r"thanks|thank\s+you|bedankt|dank\s+je(?:\s+wel)?"
_SIGN_OFFS = (r"(?:met\s+)?(?:vriendelijke|hartelijke|beste)\s+groet(?:en)?|groet(?:en|jes)?|mvg"
              r"|(?:kind|best|warm|with\s+kind)\s+regards|regards|cheers|(?:yours\s+)?sincerely|yours\s+truly")
_TITLES = r"(?:(?i:meneer|mevrouw|mevr|mw|dhr|heer|mr|mrs|ms|miss|dr)\.?\s+)?"
_NAME_WORD = r"[A-Z\u00C0-\u00DE][\w'\u00E0-\u00FF-]*"
_PARTICLES = r"(?:(?:van|de|der|den|ter|ten|te|von|la|le)\s+)*"
# The greeting is matched in any case, the name when it is capitalised, so
# "hallo allemaal" or "thanks for nothing" keep their words ...
GREETING = re.compile(
    rf"(?i:\b(?:{_SALUTATIONS}|{_THANKS}|{_SIGN_OFFS}))[,]?\s+{_TITLES}"
    rf"(?P<name>{_PARTICLES}{_NAME_WORD}(?:\s+{_PARTICLES}{_NAME_WORD}){{0,2}})"
)
# ... and a lower-case name only on a greeting line of its own: a salutation
# or sign-off opening a line or sentence, one word (or two joined by "de",
# "van" …), then a comma, a colon, a line break or the end ("beste jan,",
# "groeten, piet de vries"), so "beste service ooit" keeps its words.
_GENERIC = (r"allemaal|iedereen|all|everyone|everybody|there|team|klant|klanten|klantenservice|medewerkers?"
            r"|collega'?s|heren|dames|mensen|jongens|support|sir|madam|folks|guys")
_LOWER_WORD = r"[a-z\u00E0-\u00FF][\w'-]*"
LOWER_GREETING = re.compile(
    rf"(?im:(?:^|(?<=[.!?]\s))[ \t]*(?:{_SALUTATIONS}|{_SIGN_OFFS})[,]?\s+{_TITLES}"
    rf"(?!(?:{_GENERIC})\b)(?P<name>{_LOWER_WORD}(?:\s+(?:van|de|der|den|ter|ten|te|von)(?:\s+{_LOWER_WORD})+)?)"
    r"(?=[ \t]*(?:[,:]|$)))"
)


def _iban_valid(compact: str) -> bool:
    """The ISO 13616 check: country and check digits moved to the end, letters as numbers, mod 97 is 1."""
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _mask_iban(match: re.Match, replacement: str) -> str:
    """The longest start of the match (cut between groups) that is an IBAN:
    upper case, as IBANs are printed, or any case with a valid checksum."""
    text = match.group(0)
    for cut in [len(text), *(m.start() for m in reversed(list(re.finditer(r"[ -]", text))))]:
        compact = re.sub(r"[ -]", "", text[:cut]).upper()
        if len(compact) < IBAN_MIN:
            break
        if text[:cut] == text[:cut].upper() or _iban_valid(compact):
            return replacement + text[cut:]
    return text


def _eleven_test(digits: str) -> bool:
    """A BSN: 9×d1 + 8×d2 + … + 2×d8 − d9 is a multiple of 11 (and not all zeros)."""
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0 and digits != "0" * 9


def mask(text: str | None, lang: str) -> str | None:
    """The comment with personal data replaced by [e-mail], [IBAN], [BSN], [telefoon]/[phone], [naam]/[name]."""
    if not text:
        return text
    text = EMAIL.sub(t("mask_email", lang), text)
    text = IBAN.sub(lambda m: _mask_iban(m, t("mask_iban", lang)), text)
    text = PHONE.sub(t("mask_phone", lang), text)
    bsn = t("mask_bsn", lang)
    text = BSN.sub(lambda m: bsn if _eleven_test(re.sub(r"[ .]", "", m.group(0))) else m.group(0), text)
    name = t("mask_name", lang)
    for pattern in (GREETING, LOWER_GREETING):
        text = pattern.sub(lambda m: m.group(0)[: m.start("name") - m.start(0)] + name, text)
    return text
