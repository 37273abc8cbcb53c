"""User-visible text in Dutch and English, and number/date formatting per language.

The dashboard and the report share these strings, so they live in the engine.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path

from babel import Locale
from babel.numbers import (
    format_currency,
    format_decimal,
    get_currency_name,
    get_currency_symbol,
    list_currencies,
)

from nps_core.base.metrics import SMALL_SAMPLE

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = os.environ.get("NPS_LANG", "nl") if os.environ.get("NPS_LANG") in LANGUAGES else "nl"


def _accept_language_first(header: str | None) -> str | None:
    """The language tag an Accept-Language header prefers most ("en-GB,nl;q=0.8" -> "en-GB")."""
    choices = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            choices.append((-quality, position, tag))
    return min(choices)[2] if choices else None


def visitor_language(locale: str | None = None, accept_language: str | None = None) -> str:
    """The language a new visitor gets (issue 30): NPS_LANG when set, since a site
    may serve one language to everyone; else the browser's (its navigator.language,
    else its Accept-Language header): Dutch for nl*, English for any other. A
    browser that says nothing (a test's AppTest, a script) gets the default, Dutch."""
    fixed = os.environ.get("NPS_LANG")
    if fixed in LANGUAGES:
        return fixed
    tag = locale or _accept_language_first(accept_language)
    if not tag:
        return DEFAULT_LANGUAGE
    return "nl" if tag.strip().lower().startswith("nl") else "en"

# The text catalogue: one JSON file per language (texts/<lang>.json), key -> text
# (or, for t_count, Babel's plural category -> text); tests/test_i18n_catalogue.py
# checks both languages have the same keys and placeholders.
TEXTS_DIR = Path(__file__).with_name("texts")


def _catalogue() -> dict[str, dict[str, str]]:
    per_lang = {L: json.loads((TEXTS_DIR / f"{L}.json").read_text(encoding="utf-8")) for L in LANGUAGES}
    keys = dict.fromkeys(k for L in LANGUAGES for k in per_lang[L])
    return {k: {L: per_lang[L][k] for L in LANGUAGES if k in per_lang[L]} for k in keys}


TEXT: dict[str, dict[str, str]] = _catalogue()

MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
MONTHS_LONG = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}


def t(key: str, lang: str, **values) -> str:
    """The text `key` in `lang`, with `values` filled in ({small} is always the small-sample size)."""
    text = TEXT[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**{"small": SMALL_SAMPLE, **values}) if values or "{small}" in text else text


LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES[lang if lang in LANGUAGES else DEFAULT_LANGUAGE]


def fmt_int(value: int, lang: str) -> str:
    return format_decimal(value, format="#,##0", locale=_locale(lang))


def _missing(value) -> bool:
    """None, or NaN (a figure that cannot be computed, e.g. a theme's impact
    when every response mentions it): shown as a dash."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_decimal(value: float | None, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A number with `digits` decimals in the language's separators: 1.234,5 / 1,234.5."""
    if _missing(value):  # None or NaN (a period without responses, an impact that cannot be computed)
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=f"+{pattern};-{pattern}" if signed else pattern, locale=_locale(lang))


DEFAULT_CURRENCY = "EUR"
# offered first where a currency is chosen; any other ISO 4217 code Babel knows is accepted too
CURRENCIES = ("EUR", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY", "CAD", "AUD")


def check_currency(code: str) -> str:
    """An ISO 4217 code, upper-cased; ValueError for one Babel does not know."""
    code = (code or "").strip().upper()
    if code not in list_currencies():
        raise ValueError(f"unknown currency {code!r}: use an ISO 4217 code such as EUR, GBP or USD")
    return code


def currency_label(code: str, lang: str) -> str:
    """A currency as offered in a picker: '£ · Brits pond (GBP)' / '£ · British Pound (GBP)'."""
    return f"{currency_symbol(code, lang)} · {get_currency_name(code, locale=_locale(lang))} ({code})"


def currency_symbol(code: str, lang: str) -> str:
    return get_currency_symbol(code, _locale(lang))


def fmt_money(value: float | None, lang: str, signed: bool = False, currency: str = DEFAULT_CURRENCY) -> str:
    """An amount without cents in the language's currency format (Babel):
    € 1.234 / €1,234, £ 1.234 / £1,234; signed: +€ 135. The currency is the
    dataset's setting (db/catalog.currency), euros unless an admin chose another."""
    if _missing(value):
        return "–"
    sign = ("+" if value >= 0 else "-") if signed else ("-" if value < 0 else "")
    pattern = Locale.parse(_locale(lang)).currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    text = format_currency(round(abs(value)), currency, format=pattern, locale=_locale(lang), currency_digits=False)
    symbol = currency_symbol(currency, lang)
    if symbol[-1:].isalpha() and text.startswith(symbol) and text[len(symbol):][:1].isdigit():
        text = f"{symbol}\u00a0{text[len(symbol):]}"  # CHF1,234 reads as one word: CLDR's currency spacing
    return sign + text


def fmt_nps(value: float | None, lang: str, signed: bool = True) -> str:
    """NPS to one decimal with its sign: +27.3 / +27,3."""
    return fmt_decimal(value, lang, 1, signed)


def fmt_pct(share: float | None, lang: str) -> str:
    """A share as a percentage to one decimal: 12,3 % / 12.3 %."""
    if _missing(share):
        return "–"
    return fmt_decimal(100 * share, lang, 1) + " %"


def t_count(key: str, n: int, lang: str, **values) -> str:
    """A text with a count in the language's plural form ("1 page", "2 pages"):
    TEXT[key][lang] maps Babel's plural categories ("one", "other") to texts with {n}."""
    forms = TEXT[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    form = Locale.parse(_locale(lang)).plural_form(n)
    return forms.get(form, forms["other"]).format(n=fmt_int(n, lang), **values)


def dim_label(dimension: str, lang: str) -> str:
    """A dimension's name shown to people: translated where we know it, else the column name made readable."""
    key = f"dim_{dimension}"
    return t(key, lang) if key in TEXT else dimension.replace("_", " ").capitalize()


def segments_text(dims, lang: str) -> str:
    """Segment filters as one line: 'Touchpoint: delivery › Region: West, North'."""
    return " › ".join(f"{dim_label(d, lang)}: {', '.join(values)}" for d, values in dims)


def filters_text(filters, lang: str) -> str:
    """Programme types and segment filters of a Filters, as every page and
    the report state them: 'All types · Touchpoint: delivery'."""
    types = ", ".join(t(x, lang) for x in filters.nps_types) or t("all_types", lang)
    return " · ".join(x for x in (types, segments_text(filters.dims, lang)) if x)


def rule_label(name: str, lang: str) -> str:
    """An alert rule's name as shown: the built-in rule ('critical', see
    db/schema.py) in the language; names people gave their rules as typed."""
    return t("rule_critical", lang) if name == "critical" else name


def fmt_verdict(significant, delta, lang: str) -> str:
    """A table cell for Change.significant / metrics.significance() of a
    change `delta`: yes, no, "too few" when a period has too few responses
    for a verdict, "–" when there is no previous period to compare with."""
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return "–"
    if significant is None or (isinstance(significant, float) and math.isnan(significant)):
        return t("too_few", lang)
    return "✔ " + t("yes", lang) if significant else t("no", lang)


def fmt_datetime(moment, lang: str) -> str:
    """A response's time to the minute: 31-12-2025 19:34 / 2025-12-31 19:34;
    the date alone at exactly midnight, which is what date-only data holds
    (no made-up "00:00")."""
    date_only = (moment.hour, moment.minute, moment.second) == (0, 0, 0)
    if lang == "nl":
        return moment.strftime("%d-%m-%Y" if date_only else "%d-%m-%Y %H:%M")
    return moment.strftime("%Y-%m-%d" if date_only else "%Y-%m-%d %H:%M")


def fmt_date(day: dt.date, lang: str) -> str:
    return f"{day.day} {MONTHS_LONG[lang][day.month - 1]} {day.year}"


def fmt_month(day: dt.date, lang: str, long: bool = False) -> str:
    names = MONTHS_LONG if long else MONTHS
    return f"{names[lang][day.month - 1]} {day.year}"


def fmt_period(grain: str, start: dt.date, lang: str) -> str:
    """Axis label of a period: 3 mrt 2025, W10 2025, 3–9 mrt, mrt 2025, Q1 2025."""
    if grain == "day":
        return f"{start.day} {MONTHS[lang][start.month - 1]} {start.year}"
    if grain == "week":
        return fmt_week(start, lang)
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return fmt_month(start, lang)


def fmt_week(day: dt.date, lang: str) -> str:
    """The ISO week holding `day` with its dates, since its number and year alone
    puzzled readers ("W01 2026" in a December 2025 view, issue 30):
    W01 2026, 29 Dec–4 Jan / W01 2026, 29 dec–4 jan; W10 2025, 3–9 Mar."""
    year, week, _ = day.isocalendar()
    monday = dt.date.fromisocalendar(year, week, 1)
    sunday = monday + dt.timedelta(days=6)
    names = MONTHS[lang]
    first = f"{monday.day}" if monday.month == sunday.month else f"{monday.day} {names[monday.month - 1]}"
    return f"W{week:02d} {year}, {first}–{sunday.day} {names[sunday.month - 1]}"


def fmt_range(start: dt.date, end: dt.date, lang: str) -> str:
    """A date range, as a month name when it is one whole month."""
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1:
        months = (next_day.year - start.year) * 12 + next_day.month - start.month
        if months == 1:
            return fmt_month(start, lang, long=True)
        if months == 3 and start.month % 3 == 1:
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"


def fmt_partial(start: dt.date, last: dt.date, lang: str) -> str:
    """A period still running, by the days it holds so far: 1–20 juni 2018,
    onvolledig / 1–20 June 2018, partial (analysis/complete.py)."""
    if (start.year, start.month) == (last.year, last.month):
        days = f"{start.day}–{last.day} {MONTHS_LONG[lang][start.month - 1]} {start.year}"
    else:
        days = f"{fmt_date(start, lang)} – {fmt_date(last, lang)}"
    return t("partial_period", lang, days=days)
