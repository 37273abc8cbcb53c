"""Issue 19, item 14: what the report's masking missed. Expected texts written
by hand; the check digits of the numbers worked out in the comments."""

import pytest

from nps_core.text.masking import mask


@pytest.mark.parametrize("text, masked", [
    # BSN, nine digits passing the eleven-test:
    # 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6×11; 123456782: 9+16+21+24+25+24+21+16-2 = 154 = 14×11
    ("mijn bsn is 111222333", "mijn bsn is [BSN]"),
    ("BSN: 1234.56.782, graag terugbellen", "BSN: [BSN], graag terugbellen"),
    ("sofinummer 123 456 782.", "sofinummer [BSN]."),
    # lower-case and dashed IBANs (NL91ABNA0417164300 has a valid checksum)
    ("rekening nl91abna0417164300 klopt niet", "rekening [IBAN] klopt niet"),
    ("iban nl91 abna 0417 1643 00 graag", "iban [IBAN] graag"),
    ("stort op NL91-ABNA-0417-1643-00 aub", "stort op [IBAN] aub"),
    ("IBAN NL91ABNA0417164300 en BE68 5390 0754 7034", "IBAN [IBAN] en [IBAN]"),
    # a lower-case greeting and name
    ("beste jan", "beste [name]"),
    ("beste jan, het pakket kwam niet", "beste [name], het pakket kwam niet"),
    ("Top! hoi marieke,\nbedankt", "Top! hoi [name],\nbedankt"),
    # names in sign-offs
    ("Pakket kwijt. Groeten, Jan", "Pakket kwijt. Groeten, [name]"),
    ("Slecht.\nMet vriendelijke groet, Piet de Vries", "Slecht.\nMet vriendelijke groet, [name]"),
    ("Met vriendelijke groet,\nPiet de Vries", "Met vriendelijke groet,\n[name]"),
    ("Too slow. Regards, John", "Too slow. Regards, [name]"),
    ("Kind regards,\nJohn Smith", "Kind regards,\n[name]"),
    ("mvg,\npiet van der berg", "mvg,\n[name]"),
])
def test_masking_finds_what_was_missed(text, masked):
    assert mask(text, "en") == masked


@pytest.mark.parametrize("text", [
    # 123456789: 9+16+21+24+25+24+21+16-9 = 147 = 13×11 + 4, fails the eleven-test
    "bestelnummer 123456789 is nog niet geleverd",
    "ordernummer 987654321 (9×9+8×8+…+2×2−1 = 239 = 21×11 + 8)",
    "prijs € 1.234,56 en 12,99 euro",
    "geleverd op 12-03-2025 om 14:30, 3 pakketten",
    "factuur 2025.0312.77 en track & trace 3SABCD123456789",
    "code ab12 cdef ghij werkt niet",  # lower case, no valid IBAN checksum
    "hallo allemaal, thanks for nothing",
    "beste service ooit",
    "de beste bezorger, echt",
    "groeten en tot ziens",
    "hoi team,",
])
def test_masking_keeps_ordinary_numbers_and_words(text):
    assert mask(text, "nl") == text


def test_masking_dashed_iban_leaves_no_digits_visible():
    masked = mask("NL91-ABNA-0417-1643-00", "nl")
    assert masked == "[IBAN]" and not any(ch.isdigit() for ch in masked)
