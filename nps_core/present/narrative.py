"""The change explained in a few sentences, in Dutch or English, for the
Overview, the board report and the digest.

Built from templates (base/texts/, the `explain_*` texts), never free
text, from the `explain --json` document (analysis/explain.Explanation.as_dict):
a headline (change, level, period, verdict), the largest segment
contributions with their NPS and share movements, and the themes that moved.
Each sentence comes with the figures it quotes, each named by its path in
that document ("segments[0].contribution"), so a page or the report can link
a figure to where it comes from. Figures are quoted as shown: NPS points to
one decimal, shares as percentages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import explain as explaining
from nps_core.analysis.aggregates import NONE_KEY
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import dim_label, fmt_decimal, fmt_nps, fmt_partial, fmt_pct, fmt_range, t
from nps_core.base.metrics import round1
from nps_core.db.errors import StoreError
from nps_core.db.store import Store

SEGMENTS = 2  # segment sentences at most
BRIDGE_SEGMENTS = 6  # bridge steps drawn one by one; the rest is one bar, so a 30-segment column stays readable
THEMES = 3  # theme sentences at most


def period_label(period: dict, data_to: str, lang: str) -> str:
    """A period of the document as people read it: "June 2018", or the days
    a partial one holds so far ("1–20 June 2018, partial")."""
    start, end = dt.date.fromisoformat(period["from"]), dt.date.fromisoformat(period["to"])
    if period["partial"]:
        return fmt_partial(start, min(end, dt.date.fromisoformat(data_to)), lang)
    return fmt_range(start, end, lang)


def segment_label(dimension: str, key: str, lang: str) -> str:
    """A segment's value as shown: programme types and "no value" translated."""
    if key == NONE_KEY:
        return t("segment_none", lang)
    return t(key, lang) if dimension == "nps_type" else key


def _verb(before: float, after: float) -> str | None:
    """The verb key of a move as quoted (one decimal), None when it rounds to none."""
    if after == before:
        return None
    return "explain_verb_up" if after > before else "explain_verb_down"


def _figure(key: str, value) -> dict:
    return {"key": key, "value": value}


def _sentence(text: str, *figures: dict) -> dict:
    return {"text": text, "figures": list(figures)}


def headline(doc: dict, lang: str) -> dict:
    """NPS rose/fell N points to X in <period>, compared with <period> (verdict)."""
    b, a = doc["periods"]["b"], doc["periods"]["a"]
    change = doc["change"]
    delta = round1(change["delta"])
    names = {"period": period_label(b, doc["data"]["to"], lang), "previous": period_label(a, doc["data"]["to"], lang),
             "nps": fmt_nps(b["nps"], lang), "verdict": t(change["verdict"], lang)}
    figures = [_figure("change.delta", delta), _figure("periods.b.nps", b["nps"]),
               _figure("change.verdict", change["verdict"])]
    verb = _verb(0.0, delta)
    if verb is None:
        return _sentence(t("explain_headline_same", lang, **names), *figures)
    return _sentence(t("explain_headline", lang, verb=t(verb, lang), delta=fmt_decimal(abs(delta), lang), **names),
                     *figures)


def _movement(kind: str, before: float, after: float, fmt, lang: str) -> str:
    """"its NPS fell from A to B" / "its share stayed at A" (kind: nps or share)."""
    verb = _verb(before, after) if kind == "nps" else _verb(round(before, 3), round(after, 3))
    if verb is None:
        return t(f"explain_{kind}_same", lang, a=fmt(before, lang))
    return t(f"explain_{kind}_moved", lang, verb=t(verb, lang), a=fmt(before, lang), b=fmt(after, lang))


def _detail(seg: dict, lang: str) -> str:
    if seg["n_a"] == 0:
        return t("explain_new", lang, nps=fmt_nps(seg["nps_b"], lang), share=fmt_pct(seg["share_b"], lang))
    if seg["n_b"] == 0:
        return t("explain_gone", lang, nps=fmt_nps(seg["nps_a"], lang), share=fmt_pct(seg["share_a"], lang))
    return t("explain_and", lang).join([_movement("nps", seg["nps_a"], seg["nps_b"], fmt_nps, lang),
                                         _movement("share", seg["share_a"], seg["share_b"], fmt_pct, lang)])


def segment_sentences(doc: dict, lang: str, limit: int = SEGMENTS) -> list[dict]:
    """The largest contributions (those that round to at least 0.1 point):
    "Most of it came from …" when the first carries more than half the change
    in its direction, else "The largest contribution came from …"; then "Next, …"."""
    out = []
    delta = doc["change"]["delta"]
    for i, seg in enumerate(doc["segments"][:limit]):
        contribution = round1(seg["contribution"])
        if contribution == 0:
            break
        if i:
            key = "explain_next"
        else:
            key = "explain_most" if contribution * delta > 0 and abs(seg["contribution"]) > abs(delta) / 2 \
                else "explain_largest"
        text = t(key, lang, segment=segment_label(doc["dimension"], seg["key"], lang),
                 dimension=dim_label(doc["dimension"], lang).lower(),
                 contribution=fmt_nps(contribution, lang), detail=_detail(seg, lang))
        out.append(_sentence(text, _figure(f"segments[{i}].contribution", contribution),
                             *(_figure(f"segments[{i}].{k}", seg[k]) for k in ("nps_a", "nps_b", "share_a", "share_b")
                               if seg[k] is not None)))
    return out


def theme_sentences(doc: dict, lang: str, limit: int = THEMES) -> list[dict]:
    """One sentence per theme that moved, by the test that drove its verdict;
    or that none did, out of how many compared."""
    if not doc["themes_moved"]:
        if not doc["themes_tested"]:
            return []
        return [_sentence(t("explain_no_theme_moved", lang, n=doc["themes_tested"]),
                          _figure("themes_tested", doc["themes_tested"]))]
    out = []
    for i, th in enumerate(doc["themes_moved"][:limit]):
        kind = th["test"]
        a, b = th[f"{kind}_a"], th[f"{kind}_b"]
        fmt = fmt_pct if kind == "share" else fmt_nps
        verb = "explain_verb_up" if b > a else "explain_verb_down"
        text = t(f"explain_theme_{kind}", lang, theme=th["label"][lang], verb=t(verb, lang), a=fmt(a, lang),
                 b=fmt(b, lang))
        out.append(_sentence(text, *(_figure(f"themes_moved[{i}].{kind}_{tag}", v) for tag, v in (("a", a), ("b", b)))))
    return out


def narrative(doc: dict, lang: str) -> list[dict]:
    """The sentences, each {"text", "figures": [{"key", "value"}]}."""
    return [headline(doc, lang), *segment_sentences(doc, lang), *theme_sentences(doc, lang)]


def bridge_frame(doc: dict, lang: str, top: int = BRIDGE_SEGMENTS) -> pd.DataFrame:
    """The steps of the bridge from the earlier period's NPS to the later one
    (doc: analysis/explain.Explanation.as_dict()): a total, the `top` largest
    segment contributions, the rest summed, the other total. Per step: label,
    kind (total, up, down), x0 and x1 (where its bar starts and ends; a total
    is its NPS, x0 None), value (the NPS or the contribution), mix,
    performance, and the interval as positions low, high. The segment steps
    add up to the change exactly (explain.py), so the last one ends on the
    earlier NPS plus the change; the totals are the NPS as quoted (one decimal)."""
    a, b, to = doc["periods"]["a"], doc["periods"]["b"], doc["data"]["to"]
    rows = [{"label": t("bridge_start", lang, period=period_label(a, to, lang)), "kind": "total", "x0": None,
             "x1": a["nps"], "value": a["nps"]}]
    segs = doc["segments"]
    steps = [(segment_label(doc["dimension"], s["key"], lang), s) for s in segs[:top]]
    if len(segs) > top:
        rest = segs[top:]
        steps.append((t("bridge_other", lang, n=len(rest)),
                      {k: sum(s[k] for s in rest) for k in ("contribution", "mix", "performance")}))
    at = a["nps"]
    for label, s in steps:
        c = s["contribution"]
        low, high = s.get("low"), s.get("high")
        rows.append({"label": label, "kind": "up" if c >= 0 else "down", "x0": at, "x1": at + c, "value": c,
                     "mix": s["mix"], "performance": s["performance"],
                     "low": None if low is None else at + low, "high": None if high is None else at + high})
        at += c
    rows.append({"label": t("bridge_start", lang, period=period_label(b, to, lang)), "kind": "total", "x0": None,
                 "x1": b["nps"], "value": b["nps"]})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Why:
    """The change of a period explained, as the Overview, the report and the
    digest show it: the explain document, its sentences in one language, the
    bridge's steps, the dimensions one may explain by (the best first) and
    the themes that moved."""

    doc: dict  # analysis/explain.Explanation.as_dict()
    sentences: tuple[str, ...]
    bridge: pd.DataFrame  # bridge_frame()
    dimension: str  # the one explained by
    best: str  # the one that explains most
    options: tuple[str, ...]  # every dimension that can explain, best first
    themes: pd.DataFrame  # theme, label, test, before, after, q: the themes that moved, largest effect first

    @property
    def partial(self) -> bool:
        return bool(self.doc["periods"]["b"]["partial"])


def why(store: Store, filters: Filters, lang: str, by: str | None = None) -> Why | None:
    """The change from the period before the filters' dates to theirs,
    explained along `by` (None or unknown: the dimension that explains most).
    None when it cannot be explained (no responses in one of the periods):
    the headline says the change is not available in that case already."""
    try:
        best = explaining.explain(store, filters)
        options = tuple(best.ranking.loc[best.ranking["skipped"].isna(), "dimension"]) or (best.dimension,)
        found = explaining.explain(store, filters, by=by) if by in options and by != best.dimension else best
    except (StoreError, ValueError):
        return None
    doc = found.as_dict()
    moved = pd.DataFrame(doc["themes_moved"], columns=["theme", "label", "test", "q", "share_a", "share_b", "gap_a",
                                                       "gap_b"])
    themes = pd.DataFrame({
        "theme": moved["theme"], "label": [x[lang] for x in moved["label"]], "test": moved["test"],
        "before": [r[f"{r['test']}_a"] for _, r in moved.iterrows()],
        "after": [r[f"{r['test']}_b"] for _, r in moved.iterrows()], "q": moved["q"]})
    return Why(doc, tuple(x["text"] for x in narrative(doc, lang)), bridge_frame(doc, lang), found.dimension,
               best.dimension, options, themes)
