"""Themes that moved between two periods, with a verdict that survives
testing every theme at once.

Per theme, the two periods are compared on
- its share of the commented responses (two-proportion z-test);
- its NPS gap: the NPS of the responses mentioning it minus the NPS of all
  other responses in scope. The two groups are disjoint, so a gap's standard
  error is sqrt(se_with² + se_without²) (the NPS standard error of DESIGN.md),
  and the change of the gap, a difference of two independent gaps, is tested
  against sqrt(se_gap_a² + se_gap_b²) (normal approximation);
- its leave-one-out impact (themes.add_impact): the NPS points it costs or
  adds to the whole. Impact = share of all responses × gap, so it moves with
  the other two and is not tested again: it is the size of the move in the
  unit that matters, NPS points of the whole, and orders the list.

A test needs SMALL_SAMPLE responses on each side in both periods (the share:
commented responses; the gap: responses with and without the theme), as
DESIGN.md's small-sample rule asks. One p-value per theme: the smaller of its
tests' times the number of tests made (Bonferroni within the theme: valid for
"the theme did not move at all"); `test` says which drove it. Across themes,
Benjamini–Hochberg at significance.FDR.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nps_core.analysis.filters import Filters
from nps_core.analysis.significance import FDR, bh_adjust, two_proportions, two_sided, z_score
from nps_core.analysis.themes import ThemeCounts, theme_counts
from nps_core.base.i18n import LANGUAGES
from nps_core.base.metrics import COUNT_COLUMNS, SMALL_SAMPLE, add_stats
from nps_core.db.store import Store
from nps_core.text import taxonomy


def _side(c: ThemeCounts, keys: list[str], tag: str) -> pd.DataFrame:
    """One period's figures per theme of `keys`, columns suffixed with `tag`."""
    with_ = c.per.set_index("theme").reindex(keys)[COUNT_COLUMNS].fillna(0).reset_index(drop=True)
    rest = pd.DataFrame({"n": c.n - with_["n"], "promoters": c.promoters - with_["promoters"],
                         "detractors": c.detractors - with_["detractors"]})
    rest["passives"] = rest["n"] - rest["promoters"] - rest["detractors"]
    with_, rest = add_stats(with_), add_stats(rest[COUNT_COLUMNS])
    nps_all = 100.0 * (c.promoters - c.detractors) / c.n if c.n else np.nan
    return pd.DataFrame({
        "mentions": with_["n"].astype(int),
        "commented": c.commented,
        "share": with_["n"] / c.commented if c.commented else np.nan,
        "gap": with_["nps"] - rest["nps"],
        "se_gap": np.sqrt(with_["se"] ** 2 + rest["se"] ** 2),
        "impact": nps_all - rest["nps"],
        "gap_testable": (with_["n"] >= SMALL_SAMPLE) & (rest["n"] >= SMALL_SAMPLE),
    }).add_suffix(f"_{tag}")


def themes_moved(store: Store, before: Filters, after: Filters) -> pd.DataFrame:
    """compare() of the themes of two periods (the filters' date ranges)."""
    return compare(theme_counts(store, before), theme_counts(store, after))


def compare(a: ThemeCounts, b: ThemeCounts) -> pd.DataFrame:
    """Every theme mentioned in either period: mentions, share, gap and
    impact in each (suffix _a before, _b after), p_share, p_gap, p, the test
    that drove p, q (Benjamini–Hochberg) and `significant`; labels per
    language in `label` ({lang: text}). Significant themes first, the largest
    change of impact first; then the rest by p."""
    keys = sorted(set(a.per["theme"]) | set(b.per["theme"]))
    df = pd.concat([pd.DataFrame({"theme": keys}), _side(a, keys, "a"), _side(b, keys, "b")], axis=1)
    share_ok = (df["commented_a"] >= SMALL_SAMPLE) & (df["commented_b"] >= SMALL_SAMPLE)
    gap_ok = df["gap_testable_a"] & df["gap_testable_b"]
    with np.errstate(divide="ignore", invalid="ignore"):
        df["p_share"] = np.where(share_ok, two_sided(two_proportions(
            df["mentions_a"], df["commented_a"], df["mentions_b"], df["commented_b"])), np.nan)
        df["p_gap"] = np.where(gap_ok, two_sided(z_score(
            df["gap_b"] - df["gap_a"], np.sqrt(df["se_gap_a"] ** 2 + df["se_gap_b"] ** 2))), np.nan)
    tests = df[["p_share", "p_gap"]]
    share_drives = df["p_share"].notna() & ~(df["p_gap"] < df["p_share"])
    df["test"] = np.where(share_drives, "share", np.where(df["p_gap"].notna(), "gap", None))
    df["p"] = (tests.min(axis=1) * tests.notna().sum(axis=1)).clip(upper=1.0)
    tested = df["p"].notna()
    df["q"] = np.nan
    df.loc[tested, "q"] = bh_adjust(df.loc[tested, "p"])
    df["significant"] = df["q"] <= FDR
    df["effect"] = (df["impact_b"] - df["impact_a"]).abs()
    df["label"] = [{L: taxonomy.label(b.taxonomy, k, L) for L in LANGUAGES} for k in keys]
    moved = df[df["significant"]].sort_values("effect", ascending=False)
    return pd.concat([moved, df[~df["significant"]].sort_values("p", na_position="last")], ignore_index=True)
