"""Which column of a file feeds which field of the canonical record.

Every column is profiled (ingest/profile.py) and each field is given the
column that scores best for it: what the values are (whole numbers 0–10,
dates, long free text, identifiers, programme types) counts first, the
header's words (Dutch and English, any case or spelling style) second. Each
choice carries its evidence, shown to the user, who confirms or corrects
the guess before anything is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nps_core.base.i18n import t
from nps_core.db.catalog import SEGMENT_MAX_VALUES
from nps_core.db.errors import StoreError
from nps_core.db.schema import CANONICAL
from nps_core.ingest.profile import ColumnProfile

REQUIRED = ("score", "responded_at")

# Programme-type spellings seen in exports, Dutch and English, as letters only
# (profile.type_key_sql): "R-NPS", "Relatie NPS" and "relatie" all match.
NPS_TYPE_ALIASES = {
    "relationship": "relationship", "relational": "relationship", "relatie": "relationship",
    "relationeel": "relationship", "rnps": "relationship", "relationshipnps": "relationship",
    "relatienps": "relationship", "relationeelnps": "relationship", "relatiemeting": "relationship",
    "transaction": "transaction", "transactional": "transaction", "transactie": "transaction",
    "transactioneel": "transaction", "tnps": "transaction", "transactionnps": "transaction",
    "transactionalnps": "transaction", "transactienps": "transaction", "transactiemeting": "transaction",
    "product": "product", "pnps": "product", "productnps": "product",
}

# Header vocabulary per field, Dutch and English: entries are whole words
# (plural forms match too), "prefix*" for Dutch compounds, or "two words".
# (strong words, supporting words, words that speak against the field)
Vocab = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
WORDS: dict[str, Vocab] = {
    "score": (("nps", "recommend*", "aanbevel*", "likelihood", "likely", "ltr", "waarschijnlijk*", "score",
               "rating", "cijfer", "rate", "beoordeling", "rapportcijfer"),
              ("result", "resultaat", "overall", "totaal oordeel"),
              ("average", "avg", "mean", "gemiddeld*", "total", "count", "number", "aantal", "month", "maand",
               "quarter", "kwartaal", "year", "jaar", "session", "visit", "complaint", "age", "leeftijd",
               "duration", "duur", "id", "nr", "word", "additional", "day", "dag", "progress", "raw")),
    "responded_at": (("survey*", "response", "responded", "recorded", "submitted", "completed", "ingevuld",
                      "timestamp", "review", "antwoord*", "afgenomen", "tijdstip", "received", "ontvangen"),
                     ("date", "datum", "time", "tijd", "created", "month", "maand", "period", "periode",
                      "when", "wanneer"),
                     ("flown", "start", "end", "eind*", "begin", "birth", "geboorte*", "last", "modified",
                      "update*", "due", "vervaldatum", "created")),
    "comment": (("why", "waarom", "reason", "reden", "improve*", "verbeter*", "negative", "negatief",
                 "toelichting", "ltr", "explain*", "uitleg"),
                ("comment", "opmerking", "feedback", "review", "verbatim", "remark", "text", "tekst", "content",
                 "antwoord", "answer", "body", "message", "bericht", "reactie", "open", "suggestie",
                 "suggestion"),
                ("title", "titel", "header", "headline", "subject", "onderwerp", "name", "naam", "address",
                 "adres", "tag", "route", "link", "url", "email", "mail", "word", "count")),
    "nps_type": (("nps type", "programme", "program", "programma", "survey type", "onderzoekstype",
                  "type onderzoek", "soort", "meting", "metingtype", "type meting", "type nps"),
                 ("type",), ()),
    "touchpoint": (("touchpoint", "touch point", "contactmoment", "klantcontact", "journey", "stage", "step",
                    "stap", "fase", "moment", "sub type", "subtype", "interaction", "interactie", "klantreis",
                    "contact type", "contacttype"), (), ()),
    "product": (("product", "productnaam", "product name", "artikel", "item", "cabin", "seat type",
                 "seat class", "class", "klasse", "plan", "abonnement", "subscription", "hotel name", "pakket",
                 "package", "tariff", "tarief", "dienst"), (), ("address", "adres")),
    "channel": (("channel", "kanaal", "medium", "survey channel", "distribution channel"), (), ()),
    "region": (("region", "regio", "country", "land", "nationality", "nationaliteit", "market", "markt",
                "place", "plaats", "city", "stad", "province", "provincie", "area", "gebied", "vestiging",
                "branch", "filiaal", "zip", "zipcode", "postcode", "postal", "location", "locatie", "state"),
               (), ()),
    "agent": (("agent", "medewerker", "employee", "sales person", "salesperson", "handled by", "behandelaar",
               "adviseur", "advisor", "consultant", "representative", "agent name"), (), ()),
}
ID_WORDS = ("id", "nr", "nummer", "number", "no", "uuid", "guid", "key", "code", "identifier", "*nummer", "*nr")
RESPONSE_WORDS = ("response", "respons", "respondent", "antwoord", "survey", "record", "submission", "enquete",
                  "interview", "entry")
CUSTOMER_WORDS = ("customer", "klant*", "client", "user", "gebruiker", "author", "patient", "member", "lid",
                  "account", "relatienummer", "reviewer")
NOT_ID_WORDS = ("name", "naam", "size", "type", "email", "mail", "age", "leeftijd", "total", "totaal", "count",
                "aantal", "number of")

DIMENSION_ORDER = ("touchpoint", "product", "channel", "region", "agent")


# -- header words -------------------------------------------------------------
def norm(header: str) -> str:
    """Lower-case words of a header: camelCase, snake_case, punctuation and
    spacing all give the same words ("RecordedDate" → "recorded date")."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", header.strip())
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", s)
    return " ".join(re.sub(r"[^0-9a-zà-ÿ]+", " ", s.lower()).split())


def _matches(entry: str, words: list[str], text: str) -> bool:
    if " " in entry:
        return f" {entry} " in f" {text} "
    if entry.endswith("*"):
        return any(w.startswith(entry[:-1]) for w in words)
    if entry.startswith("*"):
        return any(w.endswith(entry[1:]) and w != entry[1:] for w in words)
    return any(w in (entry, entry + "s", entry + "es", entry + "en", entry + "n") for w in words)


def hits(header: str, entries: tuple[str, ...]) -> list[str]:
    """The vocabulary entries the header's words match."""
    text = norm(header)
    words = text.split()
    return [e.strip("*") for e in entries if _matches(e, words, text)]


# -- evidence -----------------------------------------------------------------
@dataclass(frozen=True)
class Evidence:
    """One reason for a choice: an i18n key (ev_<key>) and its values."""

    key: str
    values: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"key": self.key, **self.values}


def _pct(share: float) -> int:
    return int(round(100 * share))


def _name(found: list[str]) -> list[Evidence]:
    return [Evidence("name", {"word": found[0]})] if found else []


@dataclass
class Candidate:
    column: str
    score: float
    evidence: list[Evidence]
    named: bool  # the header supports the choice


@dataclass
class Guess:
    """The guessed mapping with the reasons for it."""

    mapping: dict[str, str]
    evidence: dict[str, list[Evidence]]
    alternatives: dict[str, list[str]]  # field -> other columns that would fit
    undecided: dict[str, list[str]]  # field -> equally good columns: the user must pick
    category: str | None  # column holding promoter / passive / detractor
    profiles: dict[str, ColumnProfile]
    # field -> why its undecided columns are left to the user (an i18n key; default: they fit equally)
    undecided_why: dict[str, str] = field(default_factory=dict)

    def undecided_text(self, fieldname: str, lang: str) -> str:
        cols = self.undecided[fieldname]
        return t(self.undecided_why.get(fieldname, "ev_undecided"), lang, n=len(cols), columns=", ".join(cols))


# -- scoring per field ----------------------------------------------------------
def _name_score(header: str, fieldname: str, strong: float, weak: float, against: float) -> tuple[float, list[str]]:
    s, w, a = WORDS[fieldname]
    found_strong, found_weak, found_against = hits(header, s), hits(header, w), hits(header, a)
    score = (strong if found_strong else weak if found_weak else 0.0) - (against if found_against else 0.0)
    return score, found_strong or found_weak


def _star_scale(p: ColumnProfile) -> bool:
    """Whole numbers 1–5: stars or a sub-rating, not the 0–10 recommend question (read as NPS,
    every answer would be a detractor)."""
    return bool(p.filled) and p.whole_0_10 >= 0.9 and (p.low or 0) >= 1 and (p.high or 0) <= 5


def _score(p: ColumnProfile) -> Candidate | None:
    if not p.filled or p.numeric < 0.9 or p.in_0_10 < 0.9 or p.distinct <= 2 or _star_scale(p):
        return None
    name, found = _name_score(p.header, "score", 1.0, 0.3, 1.0)
    # a real 0–10 answer reaches the promoters; 1–5 sub-ratings and counts do not
    spread = (p.high or 0) >= 9 and p.distinct >= 4
    # a named column still needs answers above 4 (not a 0–1 probability or a 1–5 sub-rating) unless tiny
    if not spread and not (found and ((p.high or 0) >= 5 or p.filled < 10)):
        return None
    whole = p.whole_0_10 >= 0.9
    evidence = [Evidence("whole_0_10" if whole else "in_0_10", {"share": _pct(p.whole_0_10 if whole else p.in_0_10),
                                                                "low": p.low, "high": p.high})]
    return Candidate(p.header, p.in_0_10 + 0.2 * whole + 0.5 * spread + name, evidence + _name(found), bool(found))


def _score_by_name(p: ColumnProfile) -> Candidate | None:
    """A column whose header says score when no column's values do (junk or
    very few rows): its rows that are not 0–10 are rejected, with a reason."""
    name, found = _name_score(p.header, "score", 1.0, 0.0, 1.0)
    if name < 1.0 or not p.filled or p.numeric < 0.5 or _star_scale(p):
        return None
    return Candidate(p.header, name + p.in_0_10, [Evidence("name_only_score", {"word": found[0],
                                                                              "share": _pct(p.in_0_10)})], True)


def _date(p: ColumnProfile) -> Candidate | None:
    name, found = _name_score(p.header, "responded_at", 0.5, 0.2, 0.3)
    # five-digit numbers read as Excel serial days: only a date when the header says so
    if not p.filled or p.dates < 0.8 or (p.numeric >= 0.9 and not found):
        return None
    evidence = [Evidence("dates", {"share": _pct(p.dates)})]
    return Candidate(p.header, p.dates * p.fill + name, evidence + _name(found), bool(found))


def _date_by_name(p: ColumnProfile) -> Candidate | None:
    """A column whose header says date when no column reads as dates (its rows are then rejected, with a reason)."""
    name, found = _name_score(p.header, "responded_at", 0.5, 0.2, 0.3)
    if not p.filled or not found or p.dates >= 0.8:
        return None
    return Candidate(p.header, name, [Evidence("name_only_date", {"word": found[0], "share": _pct(p.dates)})], True)


def _comment(p: ColumnProfile) -> Candidate | None:
    if not p.filled or p.numeric > 0.5 or p.type_values >= 0.8 or p.category_values >= 0.8:
        return None
    s, w, a = WORDS["comment"]
    found_strong, found_weak, found_against = hits(p.header, s), hits(p.header, w), hits(p.header, a)
    name = min(0.5 * bool(found_strong) + 0.3 * bool(found_weak), 0.8) - 0.5 * bool(found_against)
    found = found_strong + found_weak
    # free text: several words, mostly different from row to row
    text = min(p.mean_words / 6, 1.0) * p.distinct_ratio * p.fill
    free = p.mean_words >= 3 and p.distinct_ratio >= 0.3 and text >= 0.25
    if not free and not (found and not found_against and p.distinct_ratio >= 0.3 and p.fill >= 0.1):
        return None
    evidence = [Evidence("free_text", {"length": int(round(p.mean_length)), "distinct": _pct(p.distinct_ratio)})]
    return Candidate(p.header, text + name, evidence + _name(found), bool(found))


def _nps_type(p: ColumnProfile) -> Candidate | None:
    name, found = _name_score(p.header, "nps_type", 1.0, 0.2, 0.0)
    if p.type_values >= 0.8 or (name >= 1.0 and p.type_values >= 0.5):
        return Candidate(p.header, p.type_values + name, [Evidence("type_values", {"share": _pct(p.type_values)})]
                         + _name(found), bool(found))
    if name >= 1.0 and p.filled and p.distinct <= 10:  # a programme column in spellings we do not know yet
        return Candidate(p.header, name, _name(found), True)
    return None


def _id_like(p: ColumnProfile) -> bool:
    # small whole numbers are ids only when the header says so
    return (p.filled > 0 and p.idlike >= 0.95 and p.distinct >= 2 and p.dates < 0.5
            and not hits(p.header, NOT_ID_WORDS)
            and (p.numeric < 0.9 or p.whole_0_10 < 0.5 or bool(hits(p.header, ID_WORDS))))


def _response_id(p: ColumnProfile) -> Candidate | None:
    words = norm(p.header).split()
    named = bool(hits(p.header, ID_WORDS)) and (bool(hits(p.header, RESPONSE_WORDS)) or words == ["id"])
    if not _id_like(p) or not named or hits(p.header, CUSTOMER_WORDS) or p.distinct_ratio < 0.99:
        return None
    return Candidate(p.header, 1.0 + p.fill, [Evidence("unique_ids", {"share": _pct(p.distinct_ratio)})]
                     + _name(hits(p.header, ID_WORDS)), True)


def _customer_id(p: ColumnProfile) -> Candidate | None:
    customer = hits(p.header, CUSTOMER_WORDS)
    words = norm(p.header).split()
    # "Customer ID", "klantnummer", "User"; a lone "id" that repeats names a person, not an answer
    named = customer and (hits(p.header, ID_WORDS) or len(words) == 1)
    if not _id_like(p) or not (named or words == ["id"]):
        return None
    return Candidate(p.header, 1.0 + 0.5 * bool(hits(p.header, ID_WORDS)) + p.fill,
                     [Evidence("ids", {"distinct": p.distinct})] + _name(customer or ["id"]), True)


def segment_like(p: ColumnProfile) -> bool:
    """Values a breakdown can use: more than one, at most SEGMENT_MAX_VALUES,
    short, and not a rating scale."""
    rating = p.numeric >= 0.9 and p.in_0_10 >= 0.9
    return 2 <= p.distinct <= SEGMENT_MAX_VALUES and p.mean_words <= 6 and not rating


def _dimension(fieldname: str):
    def scorer(p: ColumnProfile) -> Candidate | None:
        name, found = _name_score(p.header, fieldname, 1.0, 0.0, 1.0)
        if name < 1.0 or not segment_like(p):
            return None
        return Candidate(p.header, name + 0.3 * p.fill, _name(found) + [Evidence("values", {"distinct": p.distinct})],
                         True)
    return scorer


SCORERS = {"score": _score, "responded_at": _date, "comment": _comment, "nps_type": _nps_type,
           "response_id": _response_id, "customer_id": _customer_id,
           **{d: _dimension(d) for d in DIMENSION_ORDER}}
FALLBACKS = {"score": _score_by_name, "responded_at": _date_by_name}


def guess(profiles: dict[str, ColumnProfile]) -> Guess:
    """Each field's best column by score (a column feeds one field), in the
    order the fields matter: score and date first, segments last."""
    headers = list(profiles)
    category = next((h for h in headers if profiles[h].category_values >= 0.8), None)
    taken = {category} if category else set()
    out = Guess({}, {}, {}, {}, category, profiles)
    # a header spelled exactly as the field (a file in canonical columns, as `export` writes them) decides
    for h in headers:
        fieldname = h.strip()
        if fieldname in CANONICAL and fieldname not in out.mapping and h not in taken:
            out.mapping[fieldname], out.evidence[fieldname] = h, [Evidence("canonical_name")]
            taken.add(h)
    for fieldname, scorer in SCORERS.items():
        if fieldname in out.mapping:
            continue
        found = [c for h in headers if h not in taken and (c := scorer(profiles[h])) is not None]
        if not found and fieldname in FALLBACKS:
            found = [c for h in headers if h not in taken and (c := FALLBACKS[fieldname](profiles[h])) is not None]
        if not found:
            continue
        # best score first; among equals the column further left (exports put the main question first)
        found.sort(key=lambda c: -c.score)
        best = found[0]
        ties = [c.column for c in found if not c.named and best.score - c.score < 0.05]
        if not best.named and len(ties) > 1:  # several columns fit as well and no header decides
            out.undecided[fieldname] = ties
            continue
        out.mapping[fieldname] = best.column
        out.evidence[fieldname] = best.evidence
        out.alternatives[fieldname] = [c.column for c in found[1:4]]
        taken.add(best.column)
    if "score" not in out.mapping and "score" not in out.undecided:
        # no 0–10 question, but a rating named so on a 1–5 scale: offered, never taken unasked
        stars = [h for h in headers if h not in taken and _star_scale(profiles[h])
                 and _name_score(h, "score", 1.0, 0.3, 1.0)[0] > 0]
        if stars:
            out.undecided["score"], out.undecided_why["score"] = stars, "ev_star_scale"
    return out


def resolve_mapping(headers: list[str], explicit: dict[str, str] | None,
                    guessed: dict[str, str]) -> dict[str, str]:
    """The guess, overridden by explicit FIELD=COLUMN pairs (checked here)."""
    mapping = dict(guessed)
    by_norm = {norm(h): h for h in headers}
    for fieldname, column in (explicit or {}).items():
        if fieldname not in CANONICAL:
            raise StoreError(f"unknown field {fieldname!r} in mapping; fields: {', '.join(CANONICAL)}")
        if not column:  # FIELD= : leave this field unmapped
            mapping.pop(fieldname, None)
            continue
        if column in headers:
            header = column
        elif norm(column) in by_norm:
            header = by_norm[norm(column)]
        else:
            raise StoreError(f"the file has no column {column!r} (columns: {', '.join(headers)})")
        # a column feeds one field only
        mapping = {f: c for f, c in mapping.items() if c != header}
        mapping[fieldname] = header
    return mapping


# -- evidence as text -------------------------------------------------------------
def _number(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def evidence_text(ev: Evidence, lang: str) -> str:
    return t(f"ev_{ev.key}", lang, **{k: _number(v) for k, v in ev.values.items()})


def column_summary(p: ColumnProfile, lang: str) -> str:
    """The most telling fact about a column's values, for the column pickers:
    what the user would get by choosing it."""
    if not p.filled:
        return t("ev_empty", lang)
    if p.whole_0_10 >= 0.9:
        ev = Evidence("whole_0_10", {"share": _pct(p.whole_0_10), "low": p.low, "high": p.high})
    elif p.in_0_10 >= 0.9:
        ev = Evidence("in_0_10", {"share": _pct(p.in_0_10), "low": p.low, "high": p.high})
    elif p.dates >= 0.8:
        ev = Evidence("dates", {"share": _pct(p.dates)})
    elif p.category_values >= 0.8:
        ev = Evidence("category_values", {"share": _pct(p.category_values)})
    elif p.type_values >= 0.8:
        ev = Evidence("type_values", {"share": _pct(p.type_values)})
    elif p.mean_words >= 3 and p.distinct_ratio >= 0.3:
        ev = Evidence("free_text", {"length": int(round(p.mean_length)), "distinct": _pct(p.distinct_ratio)})
    elif p.idlike >= 0.95 and p.distinct_ratio >= 0.99:
        ev = Evidence("unique_ids", {"share": _pct(p.distinct_ratio)})
    else:
        ev = Evidence("values", {"distinct": p.distinct})
    return evidence_text(ev, lang)


def explanation(g: Guess, mapping: dict[str, str], remembered: dict | None, lang: str) -> dict[str, list[str]]:
    """field → why its column was chosen: the guess's evidence, the remembered
    mapping, or the user's choice (with what that column holds)."""
    out = {}
    for fieldname, column in mapping.items():
        if g.mapping.get(fieldname) == column and not remembered:
            evidence = g.evidence.get(fieldname, [])
        elif remembered and remembered["mapping"].get(fieldname) == column:
            evidence = [Evidence("remembered", {"dataset": remembered["dataset"], "saved_at": remembered["saved_at"]})]
        else:
            evidence = [Evidence("chosen")]
        texts = [evidence_text(e, lang) for e in evidence]
        if column in g.profiles and not (g.mapping.get(fieldname) == column and not remembered):
            texts.append(column_summary(g.profiles[column], lang))
        out[fieldname] = texts
    return out
