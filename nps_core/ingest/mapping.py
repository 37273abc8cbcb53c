"""Which column of a file feeds which field of the canonical record.

Guessed from the header names (Dutch and English, exact names first, then
names containing a telling word), then from the content for the two fields
every row needs; the user confirms or corrects the guess before anything is
stored.
"""

from __future__ import annotations

import re

from nps_core.db.schema import CANONICAL
from nps_core.db.sql import quote_ident
from nps_core.db.store import StoreError

REQUIRED = ("score", "responded_at")

# Programme-type spellings seen in exports, Dutch and English.
NPS_TYPE_ALIASES = {
    "relationship": "relationship", "relational": "relationship", "relatie": "relationship",
    "relationeel": "relationship", "rnps": "relationship",
    "transaction": "transaction", "transactional": "transaction", "transactie": "transaction",
    "transactioneel": "transaction", "tnps": "transaction",
    "product": "product", "pnps": "product",
}

# field: (exact header names, words that betray the field inside a longer header);
# comment before score, so "Waarom geeft u dit cijfer?" is the comment
SYNONYMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "response_id": (("response id", "responseid", "respondent id", "record id", "id", "antwoord id",
                     "response nr", "responsnummer"), ()),
    "nps_type": (("nps type", "nps_type", "programme", "program", "programma", "survey type",
                  "type onderzoek", "onderzoekstype", "soort"), ("programme", "programma")),
    "comment": (("comment", "comments", "opmerking", "opmerkingen", "toelichting", "waarom", "why",
                 "feedback", "review", "reason", "reden", "verbatim", "open answer", "remarks"),
                ("waarom", "why", "toelichting", "opmerking", "comment", "feedback", "reason", "reden")),
    "score": (("score", "nps", "nps score", "rating", "cijfer", "likelihood", "aanbevelingsscore"),
              ("recommend", "aanbevel", "waarschijnlijk", "how likely", "likely", "score", "cijfer")),
    "responded_at": (("date", "datum", "responded at", "response date", "submitted", "submitted at",
                      "ingevuld op", "timestamp", "created", "created at", "tijdstip", "completed",
                      "completed at", "datum ingevuld", "antwoorddatum"), ("datum", "date", "time")),
    "touchpoint": (("touchpoint", "touch point", "contactmoment", "klantcontact", "journey step",
                    "moment"), ("touchpoint", "contactmoment")),
    "product": (("product", "productnaam", "product name", "artikel", "item"), ()),
    "channel": (("channel", "kanaal", "medium", "survey channel"), ("kanaal", "channel")),
    "region": (("region", "regio", "province", "provincie", "area", "gebied", "vestiging"), ()),
    "agent": (("agent", "medewerker", "employee", "handled by", "behandelaar", "agent name"), ()),
    "customer_id": (("customer id", "customerid", "klantnummer", "klant id", "klantid", "customer number",
                     "client id", "klantnr", "customer"), ("klantnummer", "customer id")),
}


def norm(header: str) -> str:
    return " ".join(re.sub(r"[_\-.:?]+", " ", header.strip().lower()).split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field → header from the names alone."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for exact_pass in (True, False):
        for field, (exact, words) in SYNONYMS.items():
            if field in mapping:
                continue
            for h in headers:
                n = norm(h)
                hit = n in exact if exact_pass else any(re.search(rf"\b{re.escape(w)}", n) for w in words)
                if hit and h not in taken:
                    mapping[field] = h
                    taken.add(h)
                    break
    return mapping


def guess_from_content(con, table: str, headers: list[str], mapping: dict[str, str],
                       date_sql) -> dict[str, str]:
    """Fill score and date from what unmapped columns hold: a score column is
    whole numbers 0-10 throughout, a date column mostly reads as dates."""
    free = [h for h in headers if h not in mapping.values()]
    if not free:
        return mapping
    mapping = dict(mapping)
    stats = con.execute(
        "SELECT " + ", ".join(
            f"count(nullif(trim({quote_ident(h)}), '')), "
            f"count(CASE WHEN TRY_CAST(trim({quote_ident(h)}) AS INTEGER) BETWEEN 0 AND 10 THEN 1 END), "
            f"count({date_sql(quote_ident(h))})"
            for h in free
        ) + f" FROM (SELECT * FROM {table} LIMIT 5000)"
    ).fetchone()
    for i, h in enumerate(free):
        filled, scores, dates = stats[3 * i: 3 * i + 3]
        if not filled:
            continue
        if "score" not in mapping and scores / filled >= 0.9:
            mapping["score"] = h
        elif "responded_at" not in mapping and dates / filled >= 0.8:
            mapping["responded_at"] = h
    return mapping


def resolve_mapping(headers: list[str], explicit: dict[str, str] | None,
                    guessed: dict[str, str] | None = None) -> dict[str, str]:
    """The guess, overridden by explicit FIELD=COLUMN pairs (checked here)."""
    mapping = dict(guessed if guessed is not None else guess_mapping(headers))
    by_norm = {norm(h): h for h in headers}
    for field, column in (explicit or {}).items():
        if field not in CANONICAL:
            raise StoreError(f"unknown field {field!r} in mapping; fields: {', '.join(CANONICAL)}")
        if not column:  # FIELD= : leave this field unmapped
            mapping.pop(field, None)
            continue
        if norm(column) not in by_norm:
            raise StoreError(f"the file has no column {column!r} (columns: {', '.join(headers)})")
        # a column feeds one field only
        mapping = {f: c for f, c in mapping.items() if c != by_norm[norm(column)]}
        mapping[field] = by_norm[norm(column)]
    return mapping
