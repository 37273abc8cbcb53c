"""Personal data in customer comments, masked before a comment leaves the
dashboard in a report: e-mail addresses, IBANs, phone numbers (Dutch 06 /
+31 / 0031 and area-code formats, and other international numbers) and the
name after a greeting ("Hallo Piet,", "Dear John", "Beste mevrouw De Vries").

Patterns err on the side of masking: a board deck does not need the digits
of an order number either, but it must never show a customer's phone number.
"""

from __future__ import annotations

import re

from nps_core.present.i18n import t

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# Two letters, two check digits, then 11–30 letters/digits, spaces allowed in groups of four.
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")

# +31 6 12345678, 0031-6-1234 5678, +31 (0)20 123 4567, 06-12345678, 020 123 45 67,
# +44 20 7946 0958: an international or trunk prefix, then at least 8 more digits
# with spaces, dots, dashes or brackets between them.
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}[\s.-]*(?:\(0\)[\s.-]*)?\d(?:[\s.-]?\d){6,11}(?!\w)"
    r"|(?<![\w+])0\d(?:[\s./-]?\(?\d\)?){8}(?!\w)"
)

_GREETINGS = (r"hallo|hoi|hey|hi|hello|dear|beste|geachte|goedemorgen|goedemiddag|goedenavond"
              r"|good\s+morning|good\s+afternoon|thanks|thank\s+you|bedankt|dank\s+je(?:\s+wel)?")
_TITLES = r"(?:(?i:meneer|mevrouw|mevr|mw|dhr|heer|mr|mrs|ms|miss|dr)\.?\s+)?"
_NAME_WORD = r"[A-Z\u00C0-\u00DE][\w'\u00E0-\u00FF-]*"
_PARTICLES = r"(?:(?:van|de|der|den|ter|ten|te|von|la|le)\s+)*"
# The greeting is matched in any case, the name only when it is capitalised,
# so "hallo allemaal" or "thanks for nothing" keep their words.
GREETING = re.compile(
    rf"(?i:\b(?:{_GREETINGS}))[,]?\s+{_TITLES}(?P<name>{_PARTICLES}{_NAME_WORD}(?:\s+{_PARTICLES}{_NAME_WORD}){{0,2}})"
)


def mask(text: str | None, lang: str) -> str | None:
    """The comment with personal data replaced by [e-mail], [IBAN], [telefoon]/[phone], [naam]/[name]."""
    if not text:
        return text
    text = EMAIL.sub(t("mask_email", lang), text)
    text = IBAN.sub(t("mask_iban", lang), text)
    text = PHONE.sub(t("mask_phone", lang), text)
    name = t("mask_name", lang)
    return GREETING.sub(lambda m: m.group(0)[: m.start("name") - m.start(0)] + name, text)
