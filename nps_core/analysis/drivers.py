"""Key drivers: which themes move a response's promoter/detractor status,
each with the others held fixed.

Beside the leave-one-out impact (themes.py), which looks at one theme at a
time, themes are weighed together. Per commented response the outcome is
its NPS contribution, 100 × (promoter − detractor), so the mean is the NPS;
it is regressed by least squares on the theme flags (a linear probability
model: `effect` is the NPS points that go with mentioning a theme, the other
themes being equal). `weight` is the theme's relative weight (Johnson 2000):
its share of the explained variance, which stays fair when themes are
mentioned together, unlike squared coefficients. The effect gets a
percentile bootstrap interval (responses resampled, fixed seed); the
weight, a share bounded by zero, is a point estimate (its percentile
interval would leave out a true zero). Themes mentioned by
fewer than MIN_MENTIONS responses, or by all but that many, are listed as
too few to estimate.

The data pull (one row per response with its theme flags) is DuckDB SQL;
the model is numpy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql, scope
from nps_core.base.metrics import detractor_sql, promoter_sql
from nps_core.db.store import Store
from nps_core.text import taxonomy

MIN_MENTIONS = 30  # the project's smallest group to trust (DESIGN.md)
RESAMPLES = 200
SEED = 14
LEVEL = 0.95
DRIVER_COLUMNS = ["theme", "label", "mentions", "effect", "effect_low", "effect_high", "weight"]


def flags(store: Store, filters: Filters, lang: str = "en") -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per commented response in scope: `outcome` (100 promoter,
    0 passive, −100 detractor) and one 0/1 column per theme key; with the
    themes' labels."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        tax = taxonomy.for_dataset(con, sc.dataset)
        keys = [th["key"] for th in tax["themes"]]
        cols = "".join(f", list_contains(x.themes, ?)::TINYINT AS t{i}" for i in range(len(keys)))
        df = con.execute(
            f"""SELECT 100 * ({promoter_sql('x.score')})::INTEGER - 100 * ({detractor_sql('x.score')})::INTEGER
                       AS outcome{cols}
                FROM {enriched_sql(where, 'LEFT')} WHERE x.comment IS NOT NULL""",
            [*keys, *params],
        ).df()
    df.columns = ["outcome", *keys]
    return df, {k: taxonomy.label(tax, k, lang) for k in keys}


def least_squares(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Coefficients of y on x with an intercept (the intercept left out):
    the normal equations of the centred data, small (themes × themes) so a
    bootstrap stays fast; a theme constant in a resample gets 0."""
    xc, yc = x - x.mean(axis=0), y - y.mean()
    return np.linalg.lstsq(xc.T @ xc, xc.T @ yc, rcond=None)[0]


def relative_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's relative weights: each column's share of R² (they sum to
    R²), from the correlations; a constant column gets weight 0."""
    sd = x.std(axis=0)
    live = sd > 0
    out = np.zeros(x.shape[1])
    if not live.any() or y.std() == 0:
        return out
    corr = np.corrcoef(np.column_stack([x[:, live], y]), rowvar=False)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    values = np.clip(values, 1e-12, None)
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T  # correlations of x with its orthogonal twin z
    beta = np.linalg.solve(lam, rxy)  # y on z (z orthonormal)
    out[live] = (lam ** 2) @ (beta ** 2)
    return out


def estimate(x: np.ndarray, y: np.ndarray, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """Effects with their percentile bootstrap interval, and weights as a
    share of the explained variance (R²)."""
    effect, weights = least_squares(x, y), relative_weights(x, y)
    rng = np.random.default_rng(seed)
    draws = np.empty((resamples, len(effect)))
    for b in range(resamples):
        rows = rng.integers(0, len(y), len(y))
        draws[b] = least_squares(x[rows], y[rows])
    r2 = float(weights.sum())
    tail = 100 * (1 - LEVEL) / 2
    return {"effect": effect, "effect_low": np.percentile(draws, tail, axis=0),
            "effect_high": np.percentile(draws, 100 - tail, axis=0),
            "weight": weights / r2 if r2 > 0 else weights, "r2": r2}


def key_drivers(store: Store, filters: Filters, lang: str = "en", min_mentions: int = MIN_MENTIONS) -> dict:
    """{"n": responses with a comment, "r2", "drivers": one row per theme
    estimated (DRIVER_COLUMNS), largest weight first, "too_few": theme,
    label, mentions of the themes below min_mentions}."""
    df, labels = flags(store, filters, lang)
    keys = list(labels)
    mentions = df[keys].sum().astype(int) if keys else pd.Series(dtype=int)
    enough = [k for k in keys if min_mentions <= mentions[k] <= len(df) - min_mentions]
    too_few = pd.DataFrame({"theme": [k for k in keys if k not in enough]})
    too_few["label"] = [labels[k] for k in too_few["theme"]]
    too_few["mentions"] = [int(mentions[k]) for k in too_few["theme"]]
    if not enough:
        return {"n": len(df), "r2": None, "drivers": pd.DataFrame(columns=DRIVER_COLUMNS), "too_few": too_few}
    est = estimate(df[enough].to_numpy(float), df["outcome"].to_numpy(float))
    drivers = pd.DataFrame({"theme": enough, "label": [labels[k] for k in enough],
                            "mentions": [int(mentions[k]) for k in enough],
                            **{c: est[c] for c in DRIVER_COLUMNS[3:]}})
    return {"n": len(df), "r2": est["r2"], "too_few": too_few,
            "drivers": drivers.sort_values(["weight", "theme"], ascending=[False, True]).reset_index(drop=True)}
