"""Reading dates from text, in SQL, the way survey exports write them.

ISO (with or without time), day-first (31-12-2024, 31/12/2024 14:05),
month-first (12/31/2024, 6/18/2024 3:05 PM) when the column proves it, month
names in English and Dutch ("18th June 2024", "3 maart 2025") and Excel
serial day numbers. Day/month order is decided once for the whole column:
month-first only when more values read that way (some day above 12), else
day-first, the Dutch default; the user can override it.
"""

from __future__ import annotations

from dataclasses import dataclass

ORDERS = ("auto", "dmy", "mdy")

_TIMES = (" %H:%M:%S", " %H:%M", "")
DMY = [f"%d{sep}%m{sep}{y}{tm}" for sep in "-/." for y in ("%y", "%Y") for tm in _TIMES]
MDY = [f"%m{sep}%d{sep}{y}{tm}" for sep in "/-" for y in ("%y", "%Y") for tm in (" %I:%M %p", *_TIMES)]
YMD = [f"%Y/%m/%d{tm}" for tm in _TIMES]
NAMED = [f"{d}{tm}" for d in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y") for tm in _TIMES]

# Dutch month names (and abbreviations that differ) to English, for %B / %b
DUTCH_MONTHS = {
    "januari": "january", "februari": "february", "maart": "march", "mrt": "mar", "mei": "may",
    "juni": "june", "juli": "july", "augustus": "august", "oktober": "october", "okt": "oct",
}


def _formats(fmts: list[str]) -> str:
    return "[" + ", ".join(f"'{f}'" for f in fmts) + "]"


def normalised_sql(expr: str) -> str:
    """Lower case, no ordinals (18th, 3e), no commas, Dutch month names in English."""
    out = f"regexp_replace(lower(trim({expr})), '(\\d)(st|nd|rd|th|ste|de|e)\\b', '\\1', 'g')"
    out = f"replace({out}, ',', '')"
    for nl, en in DUTCH_MONTHS.items():
        out = f"regexp_replace({out}, '\\b{nl}\\b', '{en}')"
    return out


def timestamp_sql(expr: str, order: str = "dmy") -> str:
    """SQL turning the text `expr` into a TIMESTAMP (NULL if unreadable)."""
    numeric = MDY if order == "mdy" else DMY
    norm = normalised_sql(expr)
    serial = (
        f"CASE WHEN regexp_full_match(trim({expr}), '\\d{{5}}(\\.\\d+)?') THEN TIMESTAMP '1899-12-30' "
        f"+ to_microseconds(CAST(CAST(trim({expr}) AS DOUBLE) * 86400000000 AS BIGINT)) END"
    )
    iso = f"CASE WHEN regexp_matches(trim({expr}), '^\\d{{4}}-') THEN TRY_CAST(trim({expr}) AS TIMESTAMP) END"
    return f"coalesce({iso}, try_strptime({norm}, {_formats(numeric + YMD + NAMED)}), {serial})"


def plausible_sql(ts: str) -> str:
    """A survey answer from before 1990 or after 2100 is a misread, not a date."""
    return f"CASE WHEN year({ts}) BETWEEN 1990 AND 2100 THEN {ts} END"


@dataclass(frozen=True)
class DateOrder:
    order: str  # dmy or mdy
    ambiguous: bool  # every value reads both ways: the choice is a default, not a finding


def detect_order(con, table: str, column_sql: str) -> DateOrder:
    """Day-first or month-first, decided from every value of the column: a
    first number above 12 proves day-first, a second one month-first."""
    lead = "'^\\s*(\\d{1,2})[-/.](\\d{1,2})[-/.]'"
    first, second, numeric = con.execute(
        f"""SELECT count(*) FILTER (WHERE a > 12), count(*) FILTER (WHERE b > 12), count(*)
            FROM (SELECT TRY_CAST(regexp_extract({column_sql}, {lead}, 1) AS INTEGER) AS a,
                         TRY_CAST(regexp_extract({column_sql}, {lead}, 2) AS INTEGER) AS b
                  FROM {table} WHERE regexp_matches({column_sql}, {lead}))"""
    ).fetchone()
    if second > first:
        return DateOrder("mdy", ambiguous=False)
    return DateOrder("dmy", ambiguous=numeric > 0 and first == 0)
