"""The effort to fix a theme, as the team estimates it, against what the
theme costs in NPS: the impact/effort matrix and the order of "Fix first".

An estimate is a level (low, medium, high: LEVEL_DAYS person-days) or a
number of days, kept per dataset and theme. A theme nobody estimated counts
as medium and says so. Only harmful themes (negative impact) are placed:
their cost is −impact, in NPS points. The quadrants split at IMPACT_SPLIT
points and EFFORT_SPLIT days:

    quick_win  costs much, cheap to fix          fix first
    big_bet    costs much, costly to fix         plan it
    fill_in    costs little, cheap to fix        when there is time
    leave_it   costs little, costly to fix       leave it
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nps_core.base.i18n import fmt_decimal, t
from nps_core.base.sql import replace_row
from nps_core.db.catalog import resolve_dataset
from nps_core.db.store import Store

LEVEL_DAYS = {"low": 2.0, "medium": 10.0, "high": 30.0}
DEFAULT_LEVEL = "medium"
IMPACT_SPLIT = 1.0  # NPS points a theme costs
EFFORT_SPLIT = 10.0  # days; up to a medium effort counts as cheap
QUADRANTS = ("quick_win", "big_bet", "fill_in", "leave_it")


def efforts(store: Store, dataset: str | None) -> pd.DataFrame:
    """The estimates of a dataset: theme, level (None when given in days), days."""
    store.ensure_schema()
    with store.read() as con:
        rows = con.execute("SELECT theme, level, days FROM theme_effort WHERE dataset = ? ORDER BY theme",
                           [resolve_dataset(con, dataset)]).fetchall()
    return pd.DataFrame(rows, columns=["theme", "level", "days"], dtype=object)  # level None, not NaN


def set_effort(store: Store, dataset: str | None, theme: str, level: str | None = None, days: float | None = None,
               set_by: str | None = None) -> None:
    """Estimate one theme's effort as a level or in days (one of the two);
    neither clears the estimate."""
    if level is not None and level not in LEVEL_DAYS:
        raise ValueError(f"effort must be one of {', '.join(LEVEL_DAYS)}, or a number of days")
    if level is not None and days is not None:
        raise ValueError("give the effort as a level or in days, not both")
    if days is not None and not 0 < float(days) <= 3650:
        raise ValueError("effort in days must be more than 0 and at most 3650")
    with store.write("edit_themes", dataset) as con, store.transaction(con):
        ds = resolve_dataset(con, dataset)
        if level is None and days is None:
            con.execute("DELETE FROM theme_effort WHERE dataset = ? AND theme = ?", [ds, theme])
            return
        replace_row(con, "theme_effort", {"dataset": ds, "theme": theme},
                    {"level": level, "days": float(days) if days is not None else LEVEL_DAYS[level],
                     "set_by": set_by, "updated_at": dt.datetime.now()})


def quadrant(cost: float, days: float) -> str:
    high_impact, cheap = cost >= IMPACT_SPLIT, days <= EFFORT_SPLIT
    return {(True, True): "quick_win", (True, False): "big_bet", (False, True): "fill_in",
            (False, False): "leave_it"}[(high_impact, cheap)]


def with_effort(table: pd.DataFrame, estimates: pd.DataFrame) -> pd.DataFrame:
    """The harmful themes of a theme_table() with their effort: level, days,
    estimated (False: the medium default), cost (−impact), cost_per_day and
    quadrant; the best value for effort first."""
    harmful = table[table["impact"] < 0].copy()
    est = estimates.set_index("theme") if not estimates.empty else pd.DataFrame(columns=["level", "days"])
    harmful["estimated"] = harmful["theme"].isin(est.index)
    harmful["days"] = [float(est.loc[k, "days"]) if k in est.index else LEVEL_DAYS[DEFAULT_LEVEL]
                       for k in harmful["theme"]]
    harmful["level"] = [(est.loc[k, "level"] if isinstance(est.loc[k, "level"], str) else None)
                        if k in est.index else DEFAULT_LEVEL for k in harmful["theme"]]
    harmful["cost"] = -harmful["impact"]
    harmful["cost_per_day"] = harmful["cost"] / harmful["days"]
    harmful["quadrant"] = [quadrant(c, d) for c, d in zip(harmful["cost"], harmful["days"])]
    # stable: equal values keep the table's order (most harmful, then most mentioned)
    return harmful.sort_values("cost_per_day", ascending=False, kind="stable").reset_index(drop=True)


def _days(days: float, lang: str) -> str:
    return t("effort_days", lang, d=fmt_decimal(days, lang, 0 if float(days).is_integer() else 1))


def describe(level: str | None, days: float, estimated: bool, lang: str) -> str:
    """"low (2 days)", "12 days" or "medium (not estimated)", in the language."""
    if not estimated:
        return f"{t('effort_' + DEFAULT_LEVEL, lang)} ({t('effort_unset', lang)})"
    # a level is text; in days it is None, or NaN once pandas has held it
    return f"{t('effort_' + level, lang)} ({_days(days, lang)})" if isinstance(level, str) else _days(days, lang)


def short(level: str | None, days: float, estimated: bool, lang: str) -> str:
    """The estimate in a table cell: "low", "12 days", or "–" when nobody estimated it."""
    if not estimated:
        return "–"
    return t("effort_" + level, lang) if isinstance(level, str) else _days(days, lang)


def fact(point: dict, lang: str) -> str:
    """The effort line of an action point (themes.action_points)."""
    return t("effort_fact", lang, effort=describe(point["effort_level"], point["effort_days"], point["estimated"], lang),
             quadrant=t("quad_" + point["quadrant"], lang),
             per_day=t("effort_per_day", lang, v=fmt_decimal(-point["impact"] / point["effort_days"], lang, 2)))
