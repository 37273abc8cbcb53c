"""Which column of a file feeds which field of the canonical record."""

from __future__ import annotations

from nps_core.store import CANONICAL, StoreError

REQUIRED = ("score", "responded_at")

# Programme-type spellings seen in exports, Dutch and English.
NPS_TYPE_ALIASES = {
    "relationship": "relationship",
    "relational": "relationship",
    "relatie": "relationship",
    "relationeel": "relationship",
    "rnps": "relationship",
    "transaction": "transaction",
    "transactional": "transaction",
    "transactie": "transaction",
    "transactioneel": "transaction",
    "tnps": "transaction",
    "product": "product",
    "pnps": "product",
}


def _norm(header: str) -> str:
    return " ".join(header.strip().lower().replace("_", " ").split())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field → header for headers that name a canonical field outright."""
    by_norm = {_norm(h): h for h in headers}
    return {f: by_norm[_norm(f)] for f in CANONICAL if _norm(f) in by_norm}


def resolve_mapping(headers: list[str], explicit: dict[str, str] | None) -> dict[str, str]:
    """The guess, overridden by explicit FIELD=COLUMN pairs (checked here)."""
    mapping = guess_mapping(headers)
    by_norm = {_norm(h): h for h in headers}
    for field, column in (explicit or {}).items():
        if field not in CANONICAL:
            raise StoreError(f"unknown field {field!r} in mapping; fields: {', '.join(CANONICAL)}")
        if _norm(column) not in by_norm:
            raise StoreError(f"the file has no column {column!r} (columns: {', '.join(headers)})")
        # a column feeds one field only
        mapping = {f: c for f, c in mapping.items() if c != by_norm[_norm(column)]}
        mapping[field] = by_norm[_norm(column)]
    return mapping
