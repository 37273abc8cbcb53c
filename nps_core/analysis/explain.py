"""Why did the NPS move? The change between two periods split exactly into
mix and performance per segment (shift-share), each segment's contribution
with a bootstrap interval, along the dimension that explains most.

The decomposition. With w_i a segment's share of the responses and s_i its
NPS, the NPS is Σ w_i·s_i, so the change from period a to period b is
Σ (w_bi·s_bi − w_ai·s_ai). Each term is split at the midpoint,
w_b·s_b − w_a·s_a = Δw·s̄ + w̄·Δs (s̄, w̄ the two periods' averages), which
privileges neither period (a Laspeyres or Paasche split values one part at
the old level and the other at the new, and leaves an interaction term).
The shares' changes add up to zero, so Σ Δw_i·s̄_i = Σ Δw_i·(s̄_i − S̄) with S̄
the mean of the two overall NPSs, and per segment

    mix_i         = Δw_i · (s̄_i − S̄)   gaining share lifts the NPS when the segment is above average
    performance_i = w̄_i · Δs_i          the segment's own NPS moving, at its average share

with Σ (mix_i + performance_i) = ΔNPS exactly (to floating point). A segment
with responses in one period only takes the same NPS in the other: it did
not perform, it came or went, so its whole term is mix. Responses without a
value are the segment NONE_KEY, so the segments always add up to everyone.

Intervals. Each period's cell counts (segment × promoter, passive,
detractor) are redrawn RESAMPLES times from their multinomial (a bootstrap of
the responses, seeded), the decomposition is recomputed for all draws at
once, and the 2.5th and 97.5th percentiles of a segment's contribution are
its 95 % interval.

The dimension that explains most. Of the dataset's segment dimensions and
the programme type, the one where a single segment's contribution departs
most from its fair share of the change: score = max_i |contribution_i −
w̄_i·ΔNPS|, in NPS points. When every segment moved like the whole, a
dimension says nothing beyond "everyone moved" and scores 0; a segment that
moved the total far beyond its size scores high, in either direction, even
when the total did not move. Skipped: more than MAX_SEGMENTS segments, fewer
than SMALL_SAMPLE responses with a value in either period, one segment only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from nps_core.analysis import aggregates, complete, periods
from nps_core.analysis.aggregates import NONE_KEY
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import SPLITS_BUILTIN
from nps_core.analysis.theme_moves import themes_moved
from nps_core.base.metrics import COUNT_COLUMNS, SMALL_SAMPLE, Change, NpsStats, round1
from nps_core.db.catalog import resolve_dataset
from nps_core.db.errors import StoreError
from nps_core.db.store import Store

RESAMPLES = 1000
SEED = 29
LEVEL = 0.95
MAX_SEGMENTS = 30  # more is a list, not an explanation
CELLS = COUNT_COLUMNS[1:]  # promoters, passives, detractors: a segment's cells


def shift_share(n_a, net_a, n_b, net_b) -> tuple[np.ndarray, np.ndarray]:
    """Mix and performance per segment (last axis) from each period's
    responses `n` and promoters − detractors `net`; leading axes (bootstrap
    draws) are carried along. See the module for the formulas."""
    n_a, net_a, n_b, net_b = (np.asarray(v, dtype=float) for v in (n_a, net_a, n_b, net_b))
    w_a = n_a / n_a.sum(axis=-1, keepdims=True)
    w_b = n_b / n_b.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        s_a, s_b = 100 * net_a / n_a, 100 * net_b / n_b
    # absent in one period: the other's NPS (entry or exit is all mix); absent in both: weight 0 anyway
    s_a, s_b = np.where(n_a > 0, s_a, s_b), np.where(n_b > 0, s_b, s_a)
    s_a, s_b = np.nan_to_num(s_a), np.nan_to_num(s_b)
    mean_total = ((w_a * s_a).sum(axis=-1, keepdims=True) + (w_b * s_b).sum(axis=-1, keepdims=True)) / 2
    return (w_b - w_a) * ((s_a + s_b) / 2 - mean_total), (w_a + w_b) / 2 * (s_b - s_a)


def _cells(counts: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Segments × (promoters, passives, detractors) of one period, in `keys` order."""
    return counts.set_index("segment").reindex(keys)[CELLS].fillna(0).to_numpy(float)


def _parts(a: np.ndarray, b: np.ndarray):
    """shift_share() of cell arrays (…, segments, 3)."""
    return shift_share(a.sum(-1), a[..., 0] - a[..., 2], b.sum(-1), b[..., 0] - b[..., 2])


def decompose(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per segment of one dimension (segment_counts() rows of period a and b):
    key, n_a, n_b, share_a, share_b, nps_a, nps_b (NaN when absent), mix,
    performance, contribution; largest |contribution| first."""
    keys = sorted(set(a["segment"]) | set(b["segment"]))
    ca, cb = _cells(a, keys), _cells(b, keys)
    mix, performance = _parts(ca, cb)
    out = pd.DataFrame({"key": keys, "n_a": ca.sum(1).astype(int), "n_b": cb.sum(1).astype(int)})
    for tag, c in (("a", ca), ("b", cb)):
        n = c.sum(1)
        out[f"share_{tag}"] = n / n.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"nps_{tag}"] = np.where(n > 0, 100 * (c[:, 0] - c[:, 2]) / n, np.nan)
    out["mix"], out["performance"] = mix, performance
    out["contribution"] = mix + performance
    order = out["contribution"].abs().sort_values(ascending=False, kind="stable").index  # ties: by key
    return out.reindex(order).reset_index(drop=True)


def intervals(seg: pd.DataFrame, a: pd.DataFrame, b: pd.DataFrame, resamples: int = RESAMPLES,
              seed: int = SEED) -> pd.DataFrame:
    """`seg` (decompose()) with low and high: the percentile bootstrap interval
    of each contribution, both periods' cells redrawn from their multinomial."""
    keys = list(seg["key"])
    rng = np.random.default_rng(seed)
    draws = []
    for counts in (a, b):
        cells = _cells(counts, keys)
        total = int(cells.sum())
        draws.append(rng.multinomial(total, cells.ravel() / total, size=resamples).reshape(resamples, *cells.shape))
    mix, performance = _parts(*draws)
    tail = 100 * (1 - LEVEL) / 2
    low, high = np.percentile(mix + performance, [tail, 100 - tail], axis=0)
    return seg.assign(low=low, high=high)


def rank(counts_a: pd.DataFrame, counts_b: pd.DataFrame, change: float) -> pd.DataFrame:
    """One row per dimension of the counts: score (see the module; NaN when
    skipped), segments, and why it was skipped; best first."""
    rows = []
    for dim in dict.fromkeys(counts_a["dimension"]):
        a, b = counts_a[counts_a["dimension"] == dim], counts_b[counts_b["dimension"] == dim]
        seg = decompose(a, b)
        valued = seg[seg["key"] != NONE_KEY]
        reason = ("too_many_segments" if len(seg) > MAX_SEGMENTS
                  else "one_segment" if len(seg) < 2
                  else "too_few" if min(valued["n_a"].sum(), valued["n_b"].sum()) < SMALL_SAMPLE else None)
        fair = (seg["share_a"] + seg["share_b"]) / 2 * change
        score = np.nan if reason else float((seg["contribution"] - fair).abs().max())
        rows.append({"dimension": dim, "score": score, "segments": len(seg), "skipped": reason})
    return (pd.DataFrame(rows).sort_values("score", ascending=False, na_position="last", kind="stable")
            .reset_index(drop=True))


@dataclass(frozen=True)
class Period:
    date_from: dt.date
    date_to: dt.date
    stats: NpsStats
    partial: bool  # still running (analysis/complete.py)

    def as_dict(self) -> dict:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "n": self.stats.n,
                "nps": round1(self.stats.nps), "moe": round1(self.stats.moe), "partial": self.partial}


@dataclass(frozen=True)
class Explanation:
    dataset: str
    grain: str
    data_from: dt.date
    data_to: dt.date  # the dataset's last day with a response: where a partial period stops
    a: Period  # the comparison period (before)
    b: Period  # the period explained
    dimension: str
    segments: pd.DataFrame  # decompose() with low, high
    ranking: pd.DataFrame  # rank()
    themes: pd.DataFrame  # theme_moves.themes_moved(), every theme tested

    @property
    def change(self) -> Change:
        return Change(self.b.stats, self.a.stats)

    def as_dict(self) -> dict:
        """The `explain --json` contract (without the narrative, which
        present/narrative.py writes from this and whose figures name its paths).
        Decomposition figures are unrounded, so a script can check that they
        add up; NPS levels to one decimal, shares to six."""
        change = self.change
        ranked = self.ranking[self.ranking["skipped"].isna()]
        return {
            "dataset": self.dataset, "grain": self.grain,
            "data": {"from": self.data_from.isoformat(), "to": self.data_to.isoformat()},
            "periods": {"a": self.a.as_dict(), "b": self.b.as_dict()},
            "change": {"delta": change.delta, "threshold": round1(change.threshold),
                       "significant": change.significant if change.testable else None, "verdict": change.verdict},
            "dimension": self.dimension,
            "ranking": [{"dimension": r.dimension, "score": r.score, "segments": int(r.segments)}
                        for r in ranked.itertuples()],
            "skipped": [{"dimension": r.dimension, "reason": r.skipped}
                        for r in self.ranking[self.ranking["skipped"].notna()].itertuples()],
            "segments": [_segment(r) for r in self.segments.itertuples()],
            "check": {"mix": float(self.segments["mix"].sum()),
                      "performance": float(self.segments["performance"].sum()), "total": change.delta,
                      "residual": float(self.segments["contribution"].sum()) - change.delta},
            "themes_tested": int(self.themes["p"].notna().sum()),
            "themes_moved": [_theme(r) for r in self.themes[self.themes["significant"]].itertuples()],
        }


def _number(value, digits: int | None = None):
    """A JSON number: None for NaN, rounded when `digits` is given."""
    if value is None or value != value:
        return None
    return float(value) if digits is None else round(float(value), digits) + 0.0  # + 0.0: no "-0.0"


def _segment(r) -> dict:
    return {"key": r.key, "n_a": int(r.n_a), "n_b": int(r.n_b), "share_a": _number(r.share_a, 6),
            "share_b": _number(r.share_b, 6), "nps_a": _number(r.nps_a, 1), "nps_b": _number(r.nps_b, 1),
            **{k: _number(getattr(r, k)) for k in ("mix", "performance", "contribution", "low", "high")}}


def _theme(r) -> dict:
    return {"theme": r.theme, "label": r.label, "test": r.test, "p": _number(r.p, 6), "q": _number(r.q, 6),
            **{f"{k}_{tag}": _number(getattr(r, f"{k}_{tag}"), digits)
               for k, digits in (("share", 6), ("gap", 1), ("impact", 1)) for tag in "ab"},
            "mentions_a": int(r.mentions_a), "mentions_b": int(r.mentions_b)}


def _check_range(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise ValueError(f"a period cannot start after it ends: {date_from} > {date_to}")


def periods_to_compare(store: Store, filters: Filters, vs: tuple[dt.date, dt.date] | None, grain: str,
                       today: dt.date | None = None) -> tuple[tuple, tuple, tuple]:
    """(b, a, data range): the period explained (the filters' dates, default
    the last complete period of `grain`) and the one it is compared with (`vs`,
    default the period before b, periods.previous_range), as (first, last)."""
    days = aggregates.data_range(store, filters.dataset)
    if days is None:
        raise StoreError("the dataset holds no responses")
    if (filters.date_from is None) != (filters.date_to is None):
        raise ValueError("give both ends of the period (--from and --to), or neither")
    if filters.date_from is None:
        if vs is not None:
            raise ValueError("a comparison period (--vs-from/--vs-to) needs the period itself (--from/--to)")
        b = complete.last_complete(grain, *days, today)
        if b is None:
            raise StoreError(f"no complete {grain} in the data yet ({days[0]} to {days[1]})")
    else:
        b = (filters.date_from, filters.date_to)
    a = vs or periods.previous_range(*b)
    for first, last in (a, b):
        _check_range(first, last)
    return b, a, days


def explain(store: Store, filters: Filters, vs: tuple[dt.date, dt.date] | None = None, by: str | None = None,
            grain: str = "month", today: dt.date | None = None) -> Explanation:
    """The change in NPS from period a (`vs`) to period b (the filters' dates)
    under the filters' other conditions, explained along `by` (default: the
    dimension that explains most); see the module. StoreError for an empty
    period or an unknown dimension, ValueError for a period that ends before it starts."""
    with store.read() as con:
        filters = replace(filters, dataset=resolve_dataset(con, filters.dataset))
    b_range, a_range, days = periods_to_compare(store, filters, vs, grain, today)
    fb, fa = filters.with_dates(*b_range), filters.with_dates(*a_range)
    dims = list(dict.fromkeys([*SPLITS_BUILTIN, *aggregates.dimensions(store, filters.dataset), *([by] if by else [])]))
    counts_b, counts_a = aggregates.segment_counts(store, fb, dims), aggregates.segment_counts(store, fa, dims)
    stats = {}
    for tag, counts, (first, last) in (("a", counts_a, a_range), ("b", counts_b, b_range)):
        whole = counts[counts["dimension"] == dims[0]][CELLS].sum()  # any one dimension's segments add up to all
        stats[tag] = NpsStats(*(int(whole[c]) for c in CELLS))
        if not stats[tag].n:
            raise StoreError(f"no responses from {first} to {last}")
    change = Change(stats["b"], stats["a"]).delta
    ranking = rank(counts_a, counts_b, change)
    if by is None:
        eligible = ranking[ranking["skipped"].isna()]
        by = eligible["dimension"].iloc[0] if len(eligible) else dims[0]
    a, b = counts_a[counts_a["dimension"] == by], counts_b[counts_b["dimension"] == by]
    return Explanation(
        dataset=filters.dataset, grain=grain, data_from=days[0], data_to=days[1],
        a=Period(*a_range, stats["a"], complete.runs_past(a_range[1], days[1], today)),
        b=Period(*b_range, stats["b"], complete.runs_past(b_range[1], days[1], today)),
        dimension=by, segments=intervals(decompose(a, b), a, b), ranking=ranking,
        themes=themes_moved(store, fa, fb),
    )
