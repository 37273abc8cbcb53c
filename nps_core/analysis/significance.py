"""p-values and the control of false discoveries when many things are tested
at once: the themes that moved between two periods (analysis/theme_moves.py)
and the weekly spikes (followup/spikes.py).

Testing fifteen themes and thirty segments at 5 % each finds two "changes" a
week by chance alone. Benjamini–Hochberg keeps the expected share of false
findings among those reported at q (5 %), which is what a list of "what
changed" needs: it stays useful with many tests, where Bonferroni would
report almost nothing. Plain numpy and math; no statistics package needed.
"""

from __future__ import annotations

import math

import numpy as np

FDR = 0.05  # the share of false findings Benjamini–Hochberg allows among those reported
_erfc = np.vectorize(math.erfc, otypes=[float])
_lgamma = np.vectorize(math.lgamma, otypes=[float])


def normal_cdf(z):
    """P(Z <= z) of the standard normal, for scalars or arrays."""
    return 0.5 * _erfc(-np.asarray(z, dtype=float) / math.sqrt(2))


def two_sided(z):
    """Two-sided p-value of a z statistic."""
    return 2 * normal_cdf(-np.abs(np.asarray(z, dtype=float)))


def z_score(difference, se):
    """difference / se; ±inf for a difference with no spread at all (every
    response alike in both groups), 0 when there is neither."""
    difference, se = np.asarray(difference, dtype=float), np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(se > 0, difference / np.where(se > 0, se, 1), np.sign(difference) * np.inf)


def two_proportions(k1, n1, k2, n2):
    """z of the change from k1 / n1 to k2 / n2 (pooled two-proportion test)."""
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    pooled = (k1 + k2) / (n1 + n2)
    return z_score(k2 / n2 - k1 / n1, np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2)))


def binomial_upper(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): exact, summed in log space (weekly
    comment counts are thousands at most)."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    i = np.arange(k, n + 1, dtype=float)
    log_terms = (math.lgamma(n + 1) - _lgamma(i + 1) - _lgamma(n - i + 1)
                 + i * math.log(p) + (n - i) * math.log1p(-p))
    return float(min(np.exp(log_terms).sum(), 1.0))


def bh_adjust(pvalues) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values): sorted ascending, the
    i-th of m becomes min over j >= i of p_(j) * m / j, capped at 1. A test is
    a discovery at level q when its adjusted p-value is at most q."""
    p = np.asarray(pvalues, dtype=float)
    m = len(p)
    if not m:
        return p
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out
