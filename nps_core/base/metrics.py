"""NPS statistics, defined once (docs/ARCHITECTURE.md "NPS, defined once").

SQL aggregates return counts per group; everything derived from counts (NPS,
shares, margin of error, significance, the small-sample flag) is computed here
so that the bands and formulas exist in exactly one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

PROMOTER_MIN = 9  # 9-10
PASSIVE_MIN = 7  # 7-8; 0-6 are detractors
SMALL_SAMPLE = 30  # groups below this are shown but flagged, and get no significance verdict
NPS_MIN, NPS_MAX = -100.0, 100.0
Z95 = 1.96

CATEGORIES = ("promoter", "passive", "detractor")



# The bands as SQL conditions on a score expression (a column, never user
# input; the thresholds are module constants, so formatting them in is safe).
def promoter_sql(score: str = "score") -> str:
    return f"{score} >= {PROMOTER_MIN}"


def detractor_sql(score: str = "score") -> str:
    return f"{score} < {PASSIVE_MIN}"


def nps_sql(score: str = "score") -> str:
    """The NPS of the rows aggregated, as one SQL expression (NULL for none)."""
    return (f"100.0 * (count(*) FILTER (WHERE {promoter_sql(score)}) - count(*) FILTER (WHERE {detractor_sql(score)}))"
            f" / nullif(count({score}), 0)")


def is_small(n: int) -> bool:
    """Too few responses to trust (shown, but flagged; no significance verdict)."""
    return n < SMALL_SAMPLE


# The count columns every aggregate query returns, and their names.
COUNT_COLUMNS = ["n", "promoters", "passives", "detractors"]
COUNTS_SQL = (
    "count(*) AS n, "
    f"count(*) FILTER (WHERE {promoter_sql()}) AS promoters, "
    f"count(*) FILTER (WHERE NOT {promoter_sql()} AND NOT {detractor_sql()}) AS passives, "
    f"count(*) FILTER (WHERE {detractor_sql()}) AS detractors"
)

CATEGORY_SQL = (
    f"CASE WHEN score >= {PROMOTER_MIN} THEN 'promoter' "
    f"WHEN score >= {PASSIVE_MIN} THEN 'passive' ELSE 'detractor' END"
)


def category(score: int) -> str:
    if score >= PROMOTER_MIN:
        return "promoter"
    if score >= PASSIVE_MIN:
        return "passive"
    return "detractor"


@dataclass(frozen=True)
class NpsStats:
    """Counts of one group and everything the NPS definition derives from them."""

    promoters: int
    passives: int
    detractors: int

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def promoter_share(self) -> float | None:
        return self.promoters / self.n if self.n else None

    @property
    def passive_share(self) -> float | None:
        return self.passives / self.n if self.n else None

    @property
    def detractor_share(self) -> float | None:
        return self.detractors / self.n if self.n else None

    @property
    def nps(self) -> float | None:
        if not self.n:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.n

    @property
    def se(self) -> float | None:
        """Standard error of the NPS, in NPS points."""
        if not self.n:
            return None
        p, d = self.promoters / self.n, self.detractors / self.n
        return 100.0 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / self.n)

    @property
    def moe(self) -> float | None:
        """95 % margin of error, in NPS points."""
        return None if self.se is None else Z95 * self.se

    @property
    def small(self) -> bool:
        return is_small(self.n)

    @property
    def low(self) -> float | None:
        """Lower end of the 95 % interval, never below −100."""
        return None if self.nps is None else max(self.nps - self.moe, NPS_MIN)

    @property
    def high(self) -> float | None:
        """Upper end of the 95 % interval, never above +100."""
        return None if self.nps is None else min(self.nps + self.moe, NPS_MAX)


@dataclass(frozen=True)
class Change:
    """NPS change from a previous period to the current one."""

    current: NpsStats
    previous: NpsStats

    @property
    def delta(self) -> float | None:
        if self.current.nps is None or self.previous.nps is None:
            return None
        return self.current.nps - self.previous.nps

    @property
    def threshold(self) -> float | None:
        """|ΔNPS| must exceed this to be significant at 95 %."""
        if self.current.se is None or self.previous.se is None:
            return None
        return float(change_threshold(self.current.se, self.previous.se))

    @property
    def testable(self) -> bool:
        """A verdict needs SMALL_SAMPLE responses in both periods: below that
        the normal approximation behind the margin is not valid."""
        return self.delta is not None and not self.current.small and not self.previous.small

    @property
    def significant(self) -> bool:
        return self.testable and abs(self.delta) > self.threshold

    @property
    def verdict(self) -> str | None:
        """i18n key of the verdict ("significant", "not_significant",
        "too_few_to_judge"), None when there is nothing to compare."""
        if self.delta is None:
            return None
        if not self.testable:
            return "too_few_to_judge"
        return "significant" if self.significant else "not_significant"


def change_threshold(se_a, se_b):
    """Smallest |ΔNPS| that is significant at 95 % (scalars or Series)."""
    return Z95 * np.sqrt(se_a**2 + se_b**2)


def significance(df: pd.DataFrame) -> pd.Series:
    """Change.significant for the rows of a frame with n, se, delta and
    prev_n, prev_se: True / False, or None where either period has fewer
    than SMALL_SAMPLE responses (no verdict) or there is no previous period."""
    testable = (df["n"] >= SMALL_SAMPLE) & (df["prev_n"].fillna(0) >= SMALL_SAMPLE) & df["delta"].notna()
    verdict = df["delta"].abs() > change_threshold(df["se"], df["prev_se"])
    return pd.Series([bool(v) if ok else None for v, ok in zip(verdict, testable)], index=df.index, dtype=object)


def round1(value: float | None) -> float | None:
    """NPS and margins are reported to one decimal."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(value, 1)


def add_stats(counts: pd.DataFrame) -> pd.DataFrame:
    """Add nps, moe, se, shares and the small flag to a frame of aggregated counts.

    Vectorised version of NpsStats for the small frames aggregates return.
    """
    out = counts.copy()
    n = out["n"].astype("float64").replace(0, np.nan)
    p = out["promoters"] / n
    pa = out["passives"] / n
    d = out["detractors"] / n
    out["promoter_share"] = p
    out["passive_share"] = pa
    out["detractor_share"] = d
    out["nps"] = 100.0 * (p - d)
    out["se"] = 100.0 * np.sqrt(np.clip(p + d - (p - d) ** 2, 0, None) / n)
    out["moe"] = Z95 * out["se"]
    out["low"] = (out["nps"] - out["moe"]).clip(lower=NPS_MIN)
    out["high"] = (out["nps"] + out["moe"]).clip(upper=NPS_MAX)
    out["small"] = is_small(out["n"])
    return out


def stats_from_row(row) -> NpsStats:
    return NpsStats(int(row["promoters"]), int(row["passives"]), int(row["detractors"]))
