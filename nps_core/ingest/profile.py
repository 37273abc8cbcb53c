"""What each column of a staged file holds, measured in SQL.

One query over a fixed sample of table `raw` gives, per column: how many
values are filled and distinct, which share reads as a whole number 0–10, as
a date, as a programme type or as an NPS category (promoter/passive/detractor),
how long the values are and whether they look like identifiers. The column
roles (ingest/mapping.py) are scored from these figures, and the figures are
the evidence shown to the user.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from nps_core.base.sql import quote_ident, quote_literal
from nps_core.ingest import dates
from nps_core.ingest.numbers import number_sql

# Enough rows to tell a column's kind; a reservoir sample keeps a 1M-row file fast.
SAMPLE_ROWS = 5_000

# Placeholders exports write for "no value" (SQL dumps, pandas, spreadsheets).
BLANKS = ("null", "none", "nan", "n/a", "na", "-", "#n/a")

# Values of a column holding the NPS category instead of (or beside) the score.
CATEGORY_VALUES = {
    "promoter": "promoter", "promotor": "promoter", "promoters": "promoter", "promotors": "promoter",
    "passive": "passive", "passief": "passive", "passives": "passive", "neutral": "passive",
    "neutraal": "passive", "passieven": "passive",
    "detractor": "detractor", "criticus": "detractor", "detractors": "detractor", "criticaster": "detractor",
    "critici": "detractor", "tegenstander": "detractor",
}


def type_key_sql(expr: str) -> str:
    """A programme-type or category value reduced to letters only, lower case:
    "R-NPS", "Relatie NPS" and "relatie" compare with the spelling lists."""
    return f"regexp_replace(lower(trim({expr})), '[^a-z]', '', 'g')"


def clean_sql(expr: str) -> str:
    """A column's text, trimmed; blank and placeholder values are NULL."""
    blanks = ", ".join(quote_literal(b) for b in BLANKS)
    return f"CASE WHEN lower(trim({expr})) IN ({blanks}, '') THEN NULL ELSE trim({expr}) END"


@dataclass(frozen=True)
class ColumnProfile:
    header: str
    rows: int  # rows in the sample
    filled: int  # non-blank values
    distinct: int  # distinct non-blank values
    numeric: float  # shares of the filled values …
    in_0_10: float  # … numbers from 0 to 10
    whole_0_10: float  # … whole numbers from 0 to 10
    low: float | None  # smallest and largest number
    high: float | None
    dates: float  # … read as a plausible date
    type_values: float  # … a programme-type spelling
    category_values: float  # … promoter / passive / detractor
    idlike: float  # … one token of letters, digits, - or _
    mean_length: float
    mean_words: float

    @property
    def fill(self) -> float:
        return self.filled / self.rows if self.rows else 0.0

    @property
    def distinct_ratio(self) -> float:
        return self.distinct / self.filled if self.filled else 0.0

    def as_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _aggregates(type_keys: str, category_keys: str) -> str:
    """Per column of the long (col, v, n, l) relation: value, number, length."""
    short = "l <= 40"  # dates, types and categories are short: long text skips those parsers
    return ", ".join([
        "count(v)",
        "count(DISTINCT v)",
        "count(n)",
        "count(*) FILTER (WHERE n BETWEEN 0 AND 10)",
        "count(*) FILTER (WHERE n BETWEEN 0 AND 10 AND n = round(n))",
        "min(n)",
        "max(n)",
        "coalesce(any_value(dated), 0)",
        f"count(*) FILTER (WHERE {short} AND {type_key_sql('v')} IN ({type_keys}))",
        f"count(*) FILTER (WHERE {short} AND {type_key_sql('v')} IN ({category_keys}))",
        "count(*) FILTER (WHERE regexp_full_match(v, '[0-9A-Za-z_\\-]{1,64}'))",
        "coalesce(avg(l), 0)",
        "coalesce(avg(len(string_split(regexp_replace(v, '\\s+', ' ', 'g'), ' '))), 0)",
    ])


def profile(con, headers: list[str], table: str = "raw", type_aliases=()) -> dict[str, ColumnProfile]:
    """header → ColumnProfile of `table`'s text columns (a sample of SAMPLE_ROWS rows).

    The sample is unpivoted to (column, value) so each measure is one SQL
    expression, whatever the number of columns."""
    if not headers:
        return {}
    type_keys = ", ".join(quote_literal(a) for a in type_aliases) or "NULL"
    category_keys = ", ".join(quote_literal(c) for c in CATEGORY_VALUES)
    cols = ", ".join(quote_ident(h) for h in headers)
    # REPEATABLE: the same file gives the same guess every time
    sample = f"SELECT {cols} FROM {table} USING SAMPLE reservoir({SAMPLE_ROWS} ROWS) REPEATABLE (7)"
    rows = con.execute(f"SELECT count(*) FROM ({sample})").fetchone()[0]
    found = con.execute(
        f"""WITH u AS (UNPIVOT ({sample}) ON {cols} INTO NAME col VALUE raw_value),
                 c AS (SELECT col, {clean_sql('raw_value')} AS v FROM u),
                 x AS (SELECT col, v, length(v) AS l,
                              CASE WHEN length(v) <= 40 THEN {number_sql('v')} END AS n FROM c),
                 -- reading dates is the costly measure: once per distinct short value with a
                 -- digit that is not a small number
                 d AS (SELECT col, v, count(*) AS k FROM x
                       WHERE l BETWEEN 5 AND 40 AND regexp_matches(v, '[0-9]') GROUP BY col, v),
                 dc AS (SELECT col, sum(k) AS dated FROM d
                        WHERE {dates.plausible_sql(dates.timestamp_sql('v'))} IS NOT NULL GROUP BY col)
            SELECT col, {_aggregates(type_keys, category_keys)} FROM x LEFT JOIN dc USING (col) GROUP BY col"""
    ).fetchall()
    by_col = {r[0]: r[1:] for r in found}
    out = {}
    for h in headers:
        (filled, distinct, numeric, in_range, whole, low, high, dated, typed, category, idlike,
         length, words) = by_col.get(h, (0, 0, 0, 0, 0, None, None, 0, 0, 0, 0, 0.0, 0.0))

        def share(k):
            return k / filled if filled else 0.0

        out[h] = ColumnProfile(
            h, rows, filled, distinct, share(numeric), share(in_range), share(whole),
            low, high, share(dated), share(typed), share(category), share(idlike),
            float(length), float(words),
        )
    return out


def category_disagreements(con, table: str, category: str, score: str) -> int:
    """Rows whose NPS category column names another band than their score
    (promoter 9–10, passive 7–8, detractor 0–6): the category is a check on
    the score, never the score."""
    labels = ", ".join(f"({quote_literal(k)}, {quote_literal(v)})" for k, v in CATEGORY_VALUES.items())
    n = number_sql(quote_ident(score))
    return con.execute(
        f"""SELECT count(*) FROM {table} t JOIN (VALUES {labels}) c(label, band)
                ON c.label = {type_key_sql(quote_ident(category))}
            WHERE {n} BETWEEN 0 AND 10 AND {n} = round({n})
              AND c.band <> CASE WHEN {n} >= 9 THEN 'promoter' WHEN {n} >= 7 THEN 'passive' ELSE 'detractor' END"""
    ).fetchone()[0]
