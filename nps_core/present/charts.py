"""Altair charts: one function per chart, each taking a tidy frame from
nps_core and returning a chart, so the pages and the report export share them.

Readable on a projector: large labels, few gridlines, one colour per category
everywhere (promoter green, passive amber, detractor red).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from nps_core.analysis.effort import EFFORT_SPLIT, IMPACT_SPLIT
from nps_core.analysis.periods import period_starts
from nps_core.base.i18n import (
    DEFAULT_CURRENCY,
    currency_symbol,
    fmt_decimal,
    fmt_int,
    fmt_money,
    fmt_nps,
    fmt_pct,
    fmt_period,
    t,
)
from nps_core.base.metrics import CATEGORIES, NPS_MAX, NPS_MIN, NpsStats

CATEGORY_COLOURS = {"promoter": "#2E9E5B", "passive": "#F2B134", "detractor": "#D64541"}
NPS_COLOUR = "#1F4E79"
BAND_COLOUR = "#9DB9D5"
FONT_SIZE = 15
MIN_NPS_SPAN = 40  # NPS points an NPS axis spans at least


# Drawn as SVG in the browser (Streamlit passes the spec's usermeta.embedOptions to
# vega-embed): crisp on a projector, and its text can be measured (tests/e2e/test_e2e_readable.py
# fails on a label that overlaps another or a mark)
SVG = {"embedOptions": {"renderer": "svg"}}


def _style(chart: alt.TopLevelMixin, font_size: int = FONT_SIZE) -> alt.TopLevelMixin:
    """`font_size` is larger for print (report_charts.py) than on screen."""
    return (
        chart.properties(usermeta=SVG).configure_axis(labelFontSize=font_size, titleFontSize=font_size, grid=False)
        .configure_axisY(grid=True, gridColor="#E6E6E6")
        .configure_legend(labelFontSize=font_size, titleFontSize=font_size, orient="top")
        .configure_view(strokeWidth=0)
        .configure_title(fontSize=font_size + 3, anchor="start")
    )


def category_scale(lang: str) -> alt.Scale:
    return alt.Scale(
        domain=[t(c, lang) for c in CATEGORIES], range=[CATEGORY_COLOURS[c] for c in CATEGORIES]
    )


def _with_texts(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Tooltip texts formatted for the language (Vega would write 27.3 in Dutch too)."""
    df["nps_txt"] = [fmt_nps(v, lang) for v in df["nps"]]
    df["moe_txt"] = [fmt_nps(v, lang, signed=False) for v in df["moe"]]
    df["n_txt"] = [fmt_int(int(v), lang) for v in df["n"]]
    if "delta" in df:
        df["delta_txt"] = [fmt_nps(v, lang) if pd.notna(v) else "–" for v in df["delta"]]
    return df


def _all_periods(frame: pd.DataFrame, grain: str) -> pd.DataFrame:
    """Every period from the frame's first to its last, as a `period` column."""
    first, last = frame["period"].min().date(), frame["period"].max().date()
    return pd.DataFrame({"period": pd.to_datetime(sorted(period_starts(grain, first, last)))})


def _with_gaps(trend: pd.DataFrame, grain: str) -> pd.DataFrame:
    """One row per period from the first to the last, empty periods (n = 0,
    no NPS) included, so the axis shows them and the line breaks there."""
    if trend.empty or "grp" in trend:
        return trend.copy()
    df = _all_periods(trend, grain).merge(trend, on="period", how="left")
    for col in ("n", "promoters", "passives", "detractors"):
        df[col] = df[col].fillna(0).astype(int)
    df["small"] = df["small"].astype("boolean").fillna(False).astype(bool)
    return df


def _trend_frame(trend: pd.DataFrame, lang: str, grain: str) -> pd.DataFrame:
    df = _with_texts(_with_gaps(trend, grain), lang)
    df["label"] = [fmt_period(grain, p.date(), lang) for p in df["period"]]
    # complete.with_partial(): a still-running period says so above its point and in its tooltip (on the axis
    # the longer label would not fit a month's width)
    partial = df["partial"].fillna(False).astype(bool) if "partial" in df else pd.Series(False, index=df.index)
    df["partial_note"] = [t("partial_short", lang) if p else "" for p in partial]
    df["nps_r"] = df["nps"].round(1)
    df["size_note"] = df["small"].map({True: t("small_marker", lang), False: ""})
    return df


def _trend_tooltip(lang: str, extra=()) -> list:
    return [
        alt.Tooltip("label:N", title=t("period", lang)),
        *extra,
        alt.Tooltip("nps_txt:N", title="NPS"),
        alt.Tooltip("moe_txt:N", title="±"),
        alt.Tooltip("n_txt:N", title="n"),
        alt.Tooltip("size_note:N", title=" "),
        alt.Tooltip("partial_note:N", title="  "),
    ]


MAX_PERIOD_LABELS = 8  # labelled periods on a time axis; more do not fit a projector's half width


def _period_x(df: pd.DataFrame, column: str = "label") -> alt.X:
    """Periods in time order, every period on the axis (the scale's domain,
    so a period without data is a gap, not skipped); labels slant, and with
    many periods every second (third …) one is labelled, counted back from
    the latest so that it always is: a regular rhythm instead of the gaps
    Vega's overlap removal leaves (which it still applies when the chart is narrow)."""
    labels = list(dict.fromkeys(df.sort_values("period")[column])) if "period" in df else list(
        dict.fromkeys(df[column]))
    step = max(1, math.ceil(len(labels) / MAX_PERIOD_LABELS))
    values = labels[::-1][::step][::-1]
    if any(", " in label for label in labels):
        # a week and its dates ("W01 2026, 29 Dec–4 Jan") on two level lines: slanted, it was cut
        # short by the label limit and took the height of the chart below it
        return alt.X(f"{column}:N", sort=labels, scale=alt.Scale(domain=labels), title=None,
                     axis=alt.Axis(labelAngle=0, labelAlign="center", labelExpr="split(datum.label, ', ')",
                                   labelOverlap="greedy", labelPadding=6, values=values))
    slant = len(labels) > 8  # slanted labels end at their tick: none runs off the right edge
    return alt.X(f"{column}:N", sort=labels, scale=alt.Scale(domain=labels), title=None,
                 axis=alt.Axis(labelAngle=-40 if slant else 0, labelAlign="right" if slant else "center",
                               labelOverlap="greedy", labelPadding=6, values=values))


def _nps_scale(df: pd.DataFrame) -> alt.Scale:
    """NPS scale around the data and its band, never beyond the possible −100 … +100."""
    lows = df["low"] if "low" in df else df["nps"]
    highs = df["high"] if "high" in df else df["nps"]
    lo, hi = lows.min(), highs.max()
    if pd.isna(lo):
        lo, hi = NPS_MIN, NPS_MAX
    lo = max(NPS_MIN, 10 * math.floor(lo / 10 - 0.5))
    hi = min(NPS_MAX, 10 * math.ceil(hi / 10 + 0.5))
    if hi - lo < MIN_NPS_SPAN:  # a flat series is not drawn as a steep one
        grow = (MIN_NPS_SPAN - (hi - lo)) / 2
        lo, hi = lo - grow, hi + grow
        lo, hi = (NPS_MIN, hi + NPS_MIN - lo) if lo < NPS_MIN else (lo, hi)
        lo, hi = (lo - (hi - NPS_MAX), NPS_MAX) if hi > NPS_MAX else (lo, hi)
    return alt.Scale(domain=[lo, hi], nice=False, clamp=True)


def nps_trend_chart(trend: pd.DataFrame, lang: str, grain: str = "month",
                    title: str | None = None, font_size: int = FONT_SIZE) -> alt.LayerChart:
    """NPS per period with its 95 % margin as a band; periods with n < 30
    are drawn as hollow points. `trend` is aggregates.trend()."""
    df = _trend_frame(trend, lang, grain)
    x = _period_x(df)
    base = alt.Chart(df)
    scale = _nps_scale(df)
    y = alt.Y("nps:Q", title="NPS", scale=scale)
    band = base.mark_area(color=BAND_COLOUR, opacity=0.35).encode(
        x=x, y=alt.Y("low:Q", title="NPS", scale=scale), y2="high:Q"
    )
    line = base.mark_line(color=NPS_COLOUR, strokeWidth=3).encode(x=x, y=y)
    points = base.mark_point(size=90, strokeWidth=2, color=NPS_COLOUR).encode(
        x=x,
        y=y,
        fill=alt.condition("datum.small || datum.partial_note", alt.value("white"), alt.value(NPS_COLOUR)),
        tooltip=_trend_tooltip(lang),
    )
    labels = base.mark_text(dy=-16, fontSize=font_size - 1, color=NPS_COLOUR, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("nps_r:Q", format="+.0f")
    )
    partial = base.mark_text(dy=-34, fontSize=font_size - 2, color="#666", fontStyle="italic").encode(
        x=x, y=y, text="partial_note:N")
    chart = (band + line + points + labels + partial).properties(height=300, width="container")
    return _style(chart.properties(title=title) if title else chart, font_size)


def volume_chart(trend: pd.DataFrame, lang: str, grain: str = "month", font_size: int = FONT_SIZE) -> alt.Chart:
    """Responses per period, drawn beneath the NPS trend with the same x axis."""
    df = _trend_frame(trend, lang, grain)
    chart = (
        alt.Chart(df)
        .mark_bar(color="#B8C4D0")
        .encode(
            x=_period_x(df),
            y=alt.Y("n:Q", title="n", axis=alt.Axis(tickCount=3, format="d")),
            tooltip=_trend_tooltip(lang),
        )
        .properties(height=120, width="container")
    )
    return _style(chart, font_size)


def category_split_chart(stats: NpsStats, lang: str, font_size: int = FONT_SIZE) -> alt.Chart:
    """One horizontal 100 % bar: promoters | passives | detractors."""
    shares = {
        "promoter": stats.promoter_share or 0.0,
        "passive": stats.passive_share or 0.0,
        "detractor": stats.detractor_share or 0.0,
    }
    df = pd.DataFrame(
        {
            "category": [t(c, lang) for c in CATEGORIES],
            "share": [shares[c] for c in CATEGORIES],
            "share_txt": [fmt_pct(shares[c], lang) for c in CATEGORIES],
            "order": range(len(CATEGORIES)),
        }
    )
    bar = alt.Chart(df).mark_bar(height=46).encode(
        x=alt.X("share:Q", stack="normalize", axis=None),
        color=alt.Color("category:N", scale=category_scale(lang), title=None),
        order="order:Q",
        tooltip=[alt.Tooltip("category:N", title=" "), alt.Tooltip("share_txt:N", title=t("share", lang))],
    )
    text = alt.Chart(df).mark_text(color="white", fontSize=font_size + 1, fontWeight="bold").encode(
        x=alt.X("mid:Q", axis=None),
        text=alt.Text("share:Q", format=".0%"),
    ).transform_window(
        cum="sum(share)", sort=[alt.SortField("order")]
    ).transform_calculate(mid="datum.cum - datum.share / 2").transform_filter("datum.share >= 0.05")
    return _style((bar + text).properties(height=70, width="container"), font_size)


def nps_lines_chart(trend: pd.DataFrame, lang: str, grain: str, legend_title: str) -> alt.LayerChart:
    """One NPS line per group (programme type or a dimension's values);
    `trend` is aggregates.trend(split=...). Small periods are hollow."""
    df = _trend_frame(trend, lang, grain)
    x = _period_x(df)
    colour = alt.Color("grp:N", title=legend_title, scale=alt.Scale(scheme="tableau10"))
    tooltip = _trend_tooltip(lang, extra=[alt.Tooltip("grp:N", title=legend_title)])
    base = alt.Chart(df)
    y = alt.Y("nps:Q", title="NPS", scale=_nps_scale(df))
    lines = base.mark_line(strokeWidth=3).encode(x=x, y=y, color=colour)
    points = base.mark_point(size=80, strokeWidth=2).encode(
        x=x, y=y, color=colour, tooltip=tooltip,
        fill=alt.condition("datum.small", alt.value("white"), colour),
    )
    return _style((lines + points).properties(height=340, width="container"))


def category_share_chart(trend: pd.DataFrame, lang: str, grain: str) -> alt.Chart:
    """Promoter / passive / detractor shares per period, stacked to 100 %."""
    df = _trend_frame(trend, lang, grain)
    long = df.melt(
        id_vars=["label", "n"],
        value_vars=["promoter_share", "passive_share", "detractor_share"],
        var_name="cat", value_name="share",
    )
    long["category"] = [t(c.removesuffix("_share"), lang) for c in long["cat"]]
    long["share_txt"] = [fmt_pct(v, lang) for v in long["share"]]
    long["n_txt"] = [fmt_int(int(v), lang) for v in long["n"]]
    long["order"] = long["cat"].map({"promoter_share": 0, "passive_share": 1, "detractor_share": 2})
    chart = alt.Chart(long).mark_bar().encode(
        x=_period_x(df),
        y=alt.Y("share:Q", stack="normalize", title=t("share", lang), axis=alt.Axis(format="%")),
        color=alt.Color("category:N", scale=category_scale(lang), title=None),
        order="order:Q",
        tooltip=[alt.Tooltip("label:N", title=t("period", lang)), alt.Tooltip("category:N", title=" "),
                 alt.Tooltip("share_txt:N", title=t("share", lang)), alt.Tooltip("n_txt:N", title="n")],
    )
    return _style(chart.properties(height=220, width="container"))


SEGMENT_SELECTION = "segment"


def segment_chart(breakdown: pd.DataFrame, lang: str, dimension_title: str,
                  font_size: int = FONT_SIZE) -> alt.LayerChart:
    """NPS per segment, best on top, with the margin of error as whiskers.
    Clicking a bar selects it (selection parameter SEGMENT_SELECTION)."""
    df = _with_texts(breakdown.copy(), lang)
    df["nps_r"] = df["nps"].round(1)
    df["size_note"] = df["small"].map({True: t("small_marker", lang), False: ""})
    order = list(df["key"])
    pick = alt.selection_point(name=SEGMENT_SELECTION, fields=["key"], on="click")
    y = alt.Y("key:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))
    tooltip = [alt.Tooltip("key:N", title=dimension_title), alt.Tooltip("nps_txt:N", title="NPS"),
               alt.Tooltip("moe_txt:N", title="±"), alt.Tooltip("n_txt:N", title="n"),
               alt.Tooltip("size_note:N", title=" ")]
    if "delta" in df:
        tooltip.append(alt.Tooltip("delta_txt:N", title="Δ"))
    base = alt.Chart(df)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=y,
        x=alt.X("nps:Q", title="NPS", scale=alt.Scale(domain=[-100, 100])),
        color=alt.condition("datum.nps >= 0", alt.value(CATEGORY_COLOURS["promoter"]),
                            alt.value(CATEGORY_COLOURS["detractor"])),
        opacity=alt.condition("datum.small", alt.value(0.35), alt.value(0.9)),
        tooltip=tooltip,
    ).add_params(pick)
    whiskers = base.mark_rule(color="#333", strokeWidth=1.5).encode(y=y, x="low:Q", x2="high:Q")
    labels = base.mark_text(align="left", dx=6, fontSize=font_size - 1, fontWeight="bold").encode(
        y=y, x=alt.X("high:Q"), text=alt.Text("nps_r:Q", format="+.0f")
    )
    height = max(160, 46 * len(df))
    return _style((bars + whiskers + labels).properties(height=height, width="container"), font_size)


def _money_title(value_title: str, currency: str, lang: str) -> str:
    """An amount axis's title with its currency: 'Revenue (£)'."""
    return f"{value_title} ({currency_symbol(currency, lang)})"


def value_chart(table: pd.DataFrame, lang: str, value_title: str, currency: str = DEFAULT_CURRENCY) -> alt.LayerChart:
    """Mean value per customer by category, with its 95 % interval."""
    df = table.copy()
    value_title = _money_title(value_title, currency, lang)
    df["label"] = [t(c, lang) for c in df["category"]]
    df["mean_txt"] = [fmt_money(v, lang, currency=currency) for v in df["mean"]]
    df["customers_txt"] = [fmt_int(int(v), lang) for v in df["customers"]]
    order = [t(c, lang) for c in ("promoter", "passive", "detractor")]
    x = alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))
    base = alt.Chart(df)
    bars = base.mark_bar(size=70).encode(
        x=x, y=alt.Y("mean:Q", title=value_title),
        color=alt.Color("label:N", scale=category_scale(lang), legend=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("mean_txt:N", title=value_title),
                 alt.Tooltip("customers_txt:N", title="n")],
    )
    whiskers = base.mark_rule(color="#333", strokeWidth=2).encode(x=x, y="low:Q", y2="high:Q")
    return _style((bars + whiskers).properties(height=300, width="container"))


def value_trend_chart(over_time: pd.DataFrame, lang: str, grain: str, value_title: str,
                      currency: str = DEFAULT_CURRENCY) -> alt.Chart:
    """Mean value per category over time."""
    df = over_time.copy()
    value_title = _money_title(value_title, currency, lang)
    df["label"] = [fmt_period(grain, p.date(), lang) for p in df["period"]]
    # complete.with_partial(): a still-running period says so above its point and in its tooltip (on the axis
    # the longer label would not fit a month's width)
    partial = df["partial"].fillna(False).astype(bool) if "partial" in df else pd.Series(False, index=df.index)
    df["partial_note"] = [t("partial_short", lang) if p else "" for p in partial]
    df["category_label"] = [t(c, lang) for c in df["category"]]
    df["mean_txt"] = [fmt_money(v, lang, currency=currency) for v in df["mean"]]
    df["customers_txt"] = [fmt_int(int(v), lang) for v in df["customers"]]
    chart = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=90), strokeWidth=3).encode(
        x=_period_x(df), y=alt.Y("mean:Q", title=value_title, scale=alt.Scale(zero=True, nice=True)),
        color=alt.Color("category_label:N", scale=category_scale(lang), title=None),
        tooltip=[alt.Tooltip("label:N", title=t("period", lang)), alt.Tooltip("category_label:N", title=" "),
                 alt.Tooltip("mean_txt:N", title=value_title), alt.Tooltip("customers_txt:N", title="n")],
    )
    return _style(chart.properties(height=300, width="container"))


BUBBLE_AREA = (120, 1600)  # the scatter bubbles' size range, px²


def _radii(mentions: pd.Series) -> list[float]:
    """Each bubble's radius in pixels, as Vega draws it: area linear in the mentions from zero."""
    top = float(mentions.max()) or 1.0
    lo, hi = BUBBLE_AREA
    return [math.sqrt((lo + (hi - lo) * float(m) / top) / math.pi) for m in mentions]


def _place_labels(xs, ys, texts, width: float, height: float, font: float, radii=None,
                  blocked: list | None = None) -> tuple[list, list]:
    """Greedy label placement for a scatter: each label goes to the first of
    a few spots around its point (right, left and the four corners,
    just clear of its bubble) whose box stays inside the plot and overlaps no
    label placed before it, no bubble and no `blocked` box (other text of the
    chart: x0, y0, x1, y1). Coordinates in pixels. Returns
    (dx, dy) per point, None for a label that fits nowhere: it is left out
    (its tooltip still names it) rather than drawn over another one."""
    radii = list(radii) if radii is not None else [4.0] * len(list(xs))
    xs, ys = list(xs), list(ys)
    bubbles = [(x - r, y - r, x + r, y + r) for x, y, r in zip(xs, ys, radii)]
    placed, out_dx, out_dy = list(blocked or []), [], []

    def clear(box, own):
        return (0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height
                and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                            for b in placed + [b for i, b in enumerate(bubbles) if i != own]))

    for i, (x, y, text, r) in enumerate(zip(xs, ys, texts, radii)):
        w, h = 0.62 * font * len(str(text)) + 2, font + 4  # a generous width: measured text ran wider
        gap = round(r) + 3
        # only spots beside the bubble: a label further off was read as another bubble's
        spots = [(gap, 0), (-gap, 0), (gap, -(gap + h // 2)), (gap, gap + h // 2), (-gap, -(gap + h // 2)),
                 (-gap, gap + h // 2)]
        for dx, dy in spots:
            left = x + dx if dx > 0 else x + dx - w
            box = (left, y + dy - h / 2, left + w, y + dy + h / 2)
            if clear(box, i):
                placed.append(box)
                out_dx.append(dx)
                out_dy.append(dy)
                break
        else:
            out_dx.append(None)
            out_dy.append(None)
    return out_dx, out_dy


MATRIX_WIDTH, MATRIX_HEIGHT = 760, 400


def priority_matrix_chart(table: pd.DataFrame, lang: str, font_size: int = FONT_SIZE,
                          width: int = MATRIX_WIDTH, height: int = MATRIX_HEIGHT) -> alt.LayerChart:
    """Volume (share of comments) against impact (NPS points): the serious,
    widespread problems sit bottom right. Labels are placed so that themes
    close together stay readable; `width` and `height` (pixels) are the
    size the labels are placed for. A theme without a computable impact
    (every response in the period mentions it) has no place on the y axis and
    is left out, so the spec never holds NaN (invalid JSON for Vega)."""
    df = table[table["impact"].notna() & table["share"].notna()].copy()
    df["impact_txt"] = [fmt_nps(v, lang) for v in df["impact"]]
    df["share_txt"] = [fmt_pct(v, lang) for v in df["share"]]
    df["mentions_txt"] = [fmt_int(int(v), lang) for v in df["mentions"]]
    x_max = float(df["share"].max()) * 1.15 if len(df) else 0.0
    x_max = x_max or 1.0
    y_lo = min(float(df["impact"].min()) if len(df) else 0.0, 0.0) * 1.15 - 0.5
    y_hi = max(float(df["impact"].max()) if len(df) else 0.0, 0.0) * 1.15 + 0.5
    plot_w, plot_h = width - 80, height - 60  # less the axes
    px = df["share"] / x_max * plot_w
    py = (y_hi - df["impact"]) / (y_hi - y_lo) * plot_h
    order = df["mentions"].sort_values(ascending=False).index  # big bubbles pick their spot first
    radius = pd.Series(_radii(df["mentions"]), index=df.index) if len(df) else pd.Series(dtype=float)
    dx, dy = _place_labels(px[order], py[order], df.loc[order, "label"], plot_w, plot_h, font_size - 1,
                           radius[order])
    # a label placed nowhere gets 0: no layer draws it, and the spec holds no NaN (invalid JSON for Vega)
    df.loc[order, "dx"] = [0 if d is None else d for d in dx]
    df.loc[order, "dy"] = [0 if d is None else d for d in dy]
    x = alt.X("share:Q", title=t("matrix_volume", lang), axis=alt.Axis(format="%", tickCount=6),
              scale=alt.Scale(domain=[0, x_max], nice=False))
    y = alt.Y("impact:Q", title=t("matrix_impact", lang), scale=alt.Scale(domain=[y_lo, y_hi], nice=False))
    base = alt.Chart(df)
    points = base.mark_circle(opacity=0.85, stroke="#333", strokeWidth=0.5).encode(
        x=x, y=y, size=_bubble_size(),
        color=alt.condition("datum.impact < 0", alt.value(CATEGORY_COLOURS["detractor"]),
                            alt.value(CATEGORY_COLOURS["promoter"])),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("impact_txt:N", title=t("impact", lang)),
                 alt.Tooltip("share_txt:N", title=t("share", lang)), alt.Tooltip("mentions_txt:N", title="n")],
    )
    labels = _label_layers(base, x, y, dx, dy, font_size)
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#999", strokeDash=[4, 4]).encode(y="y:Q")
    return _style(alt.layer(zero, points, *labels).properties(**_placed_size(plot_w, plot_h)), font_size)


def _placed_size(plot_w: float, plot_h: float) -> dict:
    """A scatter drawn with its plot exactly the size its labels were placed
    for: "pad" autosizing adds the axes around it (Streamlit's default, "fit",
    squeezed the plot into the width, and a stretched chart moved the points
    from under their labels, which then overlapped)."""
    return {"width": plot_w, "height": plot_h, "autosize": alt.AutoSizeParams(type="pad", contains="padding")}


def _bubble_size() -> alt.Size:
    return alt.Size("mentions:Q", legend=None, scale=alt.Scale(range=list(BUBBLE_AREA), zero=True))


def _label_layers(base: alt.Chart, x, y, dx: list, dy: list, font_size: int) -> list[alt.Chart]:
    """The labels of a scatter placed by _place_labels (columns dx, dy of the
    data): Vega cannot take dx/dy from data, so one text layer per placement;
    a label placed nowhere is not drawn."""
    return [base.transform_filter(f"datum.dx == {ddx} && datum.dy == {ddy}").mark_text(
                align="left" if ddx > 0 else "right", dx=ddx, dy=ddy, fontSize=font_size - 1
            ).encode(x=x, y=y, text="label:N")
            for ddx, ddy in sorted({(a, b) for a, b in zip(dx, dy) if a is not None})]


QUADRANT_COLOURS = {"quick_win": "#2e7d32", "big_bet": "#ef6c00", "fill_in": "#1565c0", "leave_it": "#757575"}


def effort_matrix_chart(frame: pd.DataFrame, lang: str, font_size: int = FONT_SIZE,
                        width: int = MATRIX_WIDTH, height: int = MATRIX_HEIGHT) -> alt.LayerChart:
    """What a harmful theme costs in NPS points against the effort to fix it
    (days, log scale), the bubble its number of mentions, in the four named
    quadrants; `frame` is effort.with_effort(). Quick wins sit top left."""
    df = frame.copy()
    df["cost_txt"] = [fmt_nps(v, lang, signed=False) for v in df["cost"]]
    df["days_txt"] = [fmt_decimal(v, lang) for v in df["days"]]
    df["mentions_txt"] = [fmt_int(int(v), lang) for v in df["mentions"]]
    df["quadrant_txt"] = [t("quad_" + q, lang) for q in df["quadrant"]]
    x_lo, x_hi = 1.0, max(60.0, float(df["days"].max()) * 1.5)
    y_hi = max(float(df["cost"].max()) * 1.15, IMPACT_SPLIT * 2) + 0.3
    plot_w, plot_h = width - 80, height - 60
    log_span = math.log(x_hi / x_lo)
    px = [math.log(max(d, x_lo) / x_lo) / log_span * plot_w for d in df["days"]]
    py = [(y_hi - c) / y_hi * plot_h for c in df["cost"]]
    x_scale = alt.Scale(type="log", domain=[x_lo, x_hi], nice=False)
    y_scale = alt.Scale(domain=[0, y_hi], nice=False)
    x = alt.X("days:Q", title=t("effort_axis", lang), scale=x_scale)
    y = alt.Y("cost:Q", title=t("cost_axis", lang), scale=y_scale)
    boxes = pd.DataFrame([
        {"q": "quick_win", "x": x_lo, "x2": EFFORT_SPLIT, "y": IMPACT_SPLIT, "y2": y_hi, "tx": x_lo, "ty": y_hi, "align": "left"},
        {"q": "big_bet", "x": EFFORT_SPLIT, "x2": x_hi, "y": IMPACT_SPLIT, "y2": y_hi, "tx": x_hi, "ty": y_hi, "align": "right"},
        {"q": "fill_in", "x": x_lo, "x2": EFFORT_SPLIT, "y": 0, "y2": IMPACT_SPLIT, "tx": x_lo, "ty": IMPACT_SPLIT, "align": "left"},
        {"q": "leave_it", "x": EFFORT_SPLIT, "x2": x_hi, "y": 0, "y2": IMPACT_SPLIT, "tx": x_hi, "ty": IMPACT_SPLIT, "align": "right"},
    ])
    boxes["name"] = [t("quad_" + q, lang) for q in boxes["q"]]
    # the quadrants' names are text too: no theme's label may be placed over one
    names_at = []
    for b in boxes.itertuples():
        bx = math.log(b.tx / x_lo) / log_span * plot_w
        by = (y_hi - b.ty) / y_hi * plot_h + 6
        w = 0.62 * font_size * len(b.name) + 4
        names_at.append((bx + 6, by, bx + 6 + w, by + font_size + 4) if b.align == "left"
                        else (bx - 6 - w, by, bx - 6, by + font_size + 4))
    order = list(df["mentions"].sort_values(ascending=False).index)
    radius = dict(zip(df.index, _radii(df["mentions"])))
    dx, dy = _place_labels([px[df.index.get_loc(i)] for i in order], [py[df.index.get_loc(i)] for i in order],
                           df.loc[order, "label"], plot_w, plot_h, font_size - 1, [radius[i] for i in order], names_at)
    # a label placed nowhere gets 0: no layer draws it, and the spec holds no NaN (invalid JSON for Vega)
    df.loc[order, "dx"] = [0 if d is None else d for d in dx]
    df.loc[order, "dy"] = [0 if d is None else d for d in dy]
    quad_scale = alt.Scale(domain=list(QUADRANT_COLOURS), range=list(QUADRANT_COLOURS.values()))
    colour = alt.Color("q:N", scale=quad_scale, legend=None)
    areas = alt.Chart(boxes).mark_rect(opacity=0.07).encode(
        x=alt.X("x:Q", scale=x_scale), x2="x2:Q", y=alt.Y("y:Q", scale=y_scale), y2="y2:Q", color=colour)
    names = [alt.Chart(boxes[boxes["align"] == a]).mark_text(
                 align=a, baseline="top", dx=6 if a == "left" else -6, dy=6, fontSize=font_size, fontWeight="bold"
             ).encode(x=alt.X("tx:Q", scale=x_scale), y=alt.Y("ty:Q", scale=y_scale), text="name:N", color=colour)
             for a in ("left", "right")]
    base = alt.Chart(df)
    points = base.mark_circle(opacity=0.85, stroke="#333", strokeWidth=0.5).encode(
        x=x, y=y, size=_bubble_size(),
        color=alt.Color("quadrant:N", scale=quad_scale, legend=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("quadrant_txt:N", title=" "),
                 alt.Tooltip("cost_txt:N", title=t("cost_axis", lang)),
                 alt.Tooltip("days_txt:N", title=t("effort_axis", lang)), alt.Tooltip("mentions_txt:N", title="n")],
    )
    labels = _label_layers(base, x, y, dx, dy, font_size)
    return _style(alt.layer(areas, *names, points, *labels).properties(**_placed_size(plot_w, plot_h)), font_size)


def theme_sparkline_chart(trend: pd.DataFrame, lang: str, grain: str = "month") -> alt.LayerChart:
    """A theme's NPS per period, small enough to sit beside its action point;
    `trend` is themes.theme_trend(). The last period is labelled."""
    df = _trend_frame(trend, lang, grain)
    df["last"] = [i == len(df) - 1 for i in range(len(df))]
    x = alt.X("label:N", sort=list(df["label"]), title=None,
              axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelFontSize=FONT_SIZE - 3, ticks=False))
    y = alt.Y("nps:Q", title=None, axis=alt.Axis(labels=False, ticks=False, grid=False),
              scale=alt.Scale(zero=False, padding=12))
    base = alt.Chart(df)
    line = base.mark_line(color=NPS_COLOUR, strokeWidth=2.5).encode(x=x, y=y)
    points = base.mark_point(size=50, strokeWidth=2, color=NPS_COLOUR).encode(
        x=x, y=y, fill=alt.condition("datum.small", alt.value("white"), alt.value(NPS_COLOUR)),
        tooltip=_trend_tooltip(lang))
    last = base.transform_filter("datum.last").mark_text(dx=0, dy=-14, fontSize=FONT_SIZE - 1, fontWeight="bold",
                                                        color=NPS_COLOUR).encode(x=x, y=y, text="nps_txt:N")
    return _style((line + points + last).properties(height=120, width="container"))


def theme_share_chart(shares: pd.DataFrame, lang: str, grain: str = "month",
                      shown: list[str] | None = None) -> alt.Chart:
    """Share of comments mentioning each theme per period, one line per
    theme label in `shown` (default: all); `shares` is themes.theme_shares().

    Every period from the first to the last is on the axis: one without
    comments is a gap in each line, not skipped."""
    df = _theme_share_gaps(shares, grain, shown)
    df["period_label"] = [fmt_period(grain, p.date(), lang) for p in df["period"]]
    df["share_txt"] = [fmt_pct(v, lang) for v in df["share"]]
    df["nps_txt"] = [fmt_nps(v, lang) for v in df["nps"]]
    df["n_txt"] = [fmt_int(int(v), lang) for v in df["n"]]
    x = _period_x(df, "period_label")
    colour = alt.Color("label:N", title=None, scale=alt.Scale(scheme="tableau10"))
    chart = alt.Chart(df).mark_line(point=True, strokeWidth=3).encode(
        x=x, y=alt.Y("share:Q", title=t("share_of_comments", lang), axis=alt.Axis(format="%")), color=colour,
        tooltip=[alt.Tooltip("period_label:N", title=t("period", lang)), alt.Tooltip("label:N", title=t("theme", lang)),
                 alt.Tooltip("share_txt:N", title=t("share", lang)), alt.Tooltip("n_txt:N", title="n"),
                 alt.Tooltip("nps_txt:N", title="NPS")],
    )
    return _style(chart.properties(height=320, width="container"))


def _theme_share_gaps(shares: pd.DataFrame, grain: str, shown: list[str] | None) -> pd.DataFrame:
    picked = shares if shown is None else shares[shares["label"].isin(shown)]
    if picked.empty:
        return picked.copy()
    grid = _all_periods(shares, grain).merge(picked[["theme", "label"]].drop_duplicates(), how="cross")
    df = grid.merge(picked, on=["period", "theme", "label"], how="left")
    df["n"] = df["n"].fillna(0)
    return df


def theme_segment_chart(table: pd.DataFrame, lang: str, dimension_title: str) -> alt.LayerChart:
    """Heat map of themes by segment: how much each segment's customers talk
    about each theme (colour and number: share of its comments), and the NPS
    of those who do (tooltip). `table` is themes.by_segment()."""
    df = table.copy()
    df["share_txt"] = [fmt_pct(v, lang) for v in df["share"]]
    df["nps_txt"] = [fmt_nps(v, lang) for v in df["nps"]]
    df["n_txt"] = [fmt_int(int(v), lang) for v in df["n"]]
    df["pct"] = (100 * df["share"]).round().astype(int).astype(str)
    y = alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=240, labelOverlap=False))
    x = alt.X("segment:N", title=dimension_title, axis=alt.Axis(labelAngle=-30, labelLimit=180, orient="top"))
    base = alt.Chart(df)
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("share:Q", legend=None, scale=alt.Scale(scheme="blues", domainMin=0)),
        tooltip=[alt.Tooltip("segment:N", title=dimension_title), alt.Tooltip("label:N", title=t("theme", lang)),
                 alt.Tooltip("share_txt:N", title=t("share", lang)), alt.Tooltip("n_txt:N", title="n"),
                 alt.Tooltip("nps_txt:N", title="NPS")],
    )
    text = base.mark_text(fontSize=FONT_SIZE - 2).encode(
        x=x, y=y, text="pct:N",
        color=alt.condition("datum.share > 0.3", alt.value("white"), alt.value("#222")))
    height = 120 + 40 * df["label"].nunique()  # room for the slanted segment names on top
    return _style((cells + text).properties(height=height, width="container"))


def theme_sentiment_chart(table: pd.DataFrame, lang: str) -> alt.LayerChart:
    """Mean comment sentiment per theme for promoters, passives and
    detractors: what each group says about a theme, from -1 to 1.
    `table` is themes.sentiment_by_category()."""
    df = table.copy()
    df["category_label"] = [t(c, lang) for c in df["category"]]
    df["sentiment_txt"] = [fmt_decimal(v, lang, 2, signed=True) for v in df["sentiment"]]
    df["n_txt"] = [fmt_int(int(v), lang) for v in df["n"]]
    order = list(df[df["category"] == "detractor"].sort_values("sentiment")["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, labelOverlap=False))
    x = alt.X("sentiment:Q", title=t("sentiment_axis", lang), scale=alt.Scale(domain=[-1, 1]))
    base = alt.Chart(df)
    rule = base.mark_rule(color="#BBB", strokeWidth=2).encode(
        y=y, x="min(sentiment):Q", x2="max(sentiment):Q")
    dots = base.mark_circle(size=220, opacity=0.95).encode(
        y=y, x=x, color=alt.Color("category_label:N", scale=category_scale(lang), title=None),
        tooltip=[alt.Tooltip("label:N", title=t("theme", lang)), alt.Tooltip("category_label:N", title=" "),
                 alt.Tooltip("sentiment_txt:N", title=t("sentiment", lang)), alt.Tooltip("n_txt:N", title="n")])
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#999", strokeDash=[4, 4]).encode(x="x:Q")
    height = 100 + 38 * df["label"].nunique()  # Streamlit fits legend and axis inside the height too
    return _style((zero + rule + dots).properties(height=height, width="container"))


COMPACT_DRIVERS = 8


def key_driver_chart(drivers: pd.DataFrame, lang: str, font_size: int = FONT_SIZE,
                     compact: bool = False) -> alt.LayerChart:
    """Key drivers (drivers.key_drivers()["drivers"]): per theme, heaviest
    weight on top, its NPS effect with the others held fixed as a bar, red
    when it costs NPS, and the 95 % bootstrap interval as a whisker; the
    weight is written right of everything drawn on its row (bar, whisker and
    the zero line), so it never sits on a mark. `compact`: rows tight enough
    for the Themes page's first screen: the COMPACT_DRIVERS heaviest, rows
    tall enough for their labels."""
    df = drivers.head(COMPACT_DRIVERS).copy() if compact else drivers.copy()
    df["effect_txt"] = [fmt_nps(v, lang) for v in df["effect"]]
    df["interval_txt"] = [f"{fmt_nps(lo, lang)} … {fmt_nps(hi, lang)}"
                          for lo, hi in zip(df["effect_low"], df["effect_high"])]
    df["weight_txt"] = [fmt_pct(v, lang) for v in df["weight"]]
    df["mentions_txt"] = [fmt_int(int(v), lang) for v in df["mentions"]]
    df["sure"] = (df["effect_low"] > 0) | (df["effect_high"] < 0)  # the interval leaves out zero
    # a harmful theme's whisker ends left of zero: its label written there sat on its own bar
    df["right"] = df[["effect", "effect_high"]].max(axis=1).clip(lower=0)
    lo, hi = min(float(df["effect_low"].min()), 0.0), max(float(df["right"].max()), 0.0)
    span = (hi - lo) or 1.0
    # room right of the highest whisker for its label ("12 %": some 5 characters)
    domain = [lo - span * 0.03, hi + span * (0.22 if compact else 0.15)]
    y = alt.Y("label:N", sort=list(df["label"]), title=None, axis=alt.Axis(labelLimit=220 if compact else 260,
                                                                           labelOverlap=False))
    scale = alt.Scale(domain=domain, nice=False)
    x = alt.X("effect:Q", title=t("drivers_effect", lang), scale=scale)
    base = alt.Chart(df)
    bars = base.mark_bar(height={"band": 0.65}).encode(
        y=y, x=x,
        color=alt.condition("datum.effect < 0", alt.value(CATEGORY_COLOURS["detractor"]),
                            alt.value(CATEGORY_COLOURS["promoter"])),
        opacity=alt.condition("datum.sure", alt.value(0.9), alt.value(0.4)),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("effect_txt:N", title=t("drivers_effect", lang)),
                 alt.Tooltip("interval_txt:N", title=t("drivers_interval", lang)),
                 alt.Tooltip("weight_txt:N", title=t("drivers_weight", lang)),
                 alt.Tooltip("mentions_txt:N", title="n")],
    )
    whiskers = base.mark_rule(color="#333", strokeWidth=1.5).encode(y=y, x=alt.X("effect_low:Q", scale=scale),
                                                                     x2="effect_high:Q")
    weights = base.mark_text(align="left", dx=6, fontSize=font_size - 2, color="#555").encode(
        y=y, x=alt.X("right:Q", scale=scale), text="weight_txt:N")
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#999").encode(x=alt.X("x:Q", scale=scale))
    # Streamlit fits the whole chart, axes too, into the height: rows of 24 px hold 13 px labels apart
    height = 24 * len(df) + 60 if compact else max(160, 40 * len(df))
    return _style(alt.layer(zero, bars, whiskers, weights).properties(height=height, width="container"), font_size)



def bridge_chart(frame: pd.DataFrame, lang: str, font_size: int = FONT_SIZE) -> alt.LayerChart:
    """The explained change as a horizontal bridge (present/narrative.bridge_frame()): the
    earlier NPS on top, each segment's contribution as a floating bar (green
    up, red down) with its 95 % interval as a whisker, the later NPS at the
    bottom. The axis spans the steps, not zero: contributions of a point or
    two would vanish beside bars from zero, so the totals are bars from the
    axis' left end, their value written beside them."""
    df = frame.copy()
    ends = pd.concat([df["x0"].dropna(), df["x1"], df["low"].dropna(), df["high"].dropna()]
                     if "low" in df else [df["x0"].dropna(), df["x1"]]).astype(float)
    span = max(ends.max() - ends.min(), 2.0)
    lo = max(NPS_MIN, math.floor(ends.min() - 0.35 * span))
    hi = min(NPS_MAX, math.ceil(ends.max() + 0.25 * span))
    df["x0"] = df["x0"].astype(float).fillna(lo)
    df["right"] = df[["x0", "x1"] + (["high"] if "high" in df else [])].max(axis=1)
    df["value_txt"] = [fmt_nps(v, lang) for v in df["value"]]
    df["mix_txt"] = [fmt_nps(v, lang) if pd.notna(v) else "" for v in df.get("mix", pd.Series([None] * len(df)))]
    df["perf_txt"] = [fmt_nps(v, lang) if pd.notna(v) else "" for v in
                      df.get("performance", pd.Series([None] * len(df)))]
    df["interval_txt"] = [f"{fmt_nps(l - x, lang)} … {fmt_nps(h - x, lang)}" if pd.notna(l) else ""
                          for l, h, x in zip(df.get("low", [None] * len(df)), df.get("high", [None] * len(df)),
                                             df["x0"])]
    colour = alt.Color("kind:N", legend=None, scale=alt.Scale(
        domain=["total", "up", "down"],
        range=[NPS_COLOUR, CATEGORY_COLOURS["promoter"], CATEGORY_COLOURS["detractor"]]))
    y = alt.Y("label:N", sort=list(df["label"]), title=None, axis=alt.Axis(labelLimit=300, labelOverlap=False))
    # whole points on the axis: Vega writes decimals with a point, also in Dutch; the bars' labels carry the decimals
    x = alt.X("x0:Q", title=t("bridge_axis", lang), scale=alt.Scale(domain=[lo, hi], nice=False, clamp=True),
              axis=alt.Axis(format="d", tickMinStep=1))
    base = alt.Chart(df)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=y, x=x, x2="x1:Q", color=colour,
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value_txt:N", title=t("bridge_contribution", lang)),
                 alt.Tooltip("mix_txt:N", title=t("bridge_mix", lang)),
                 alt.Tooltip("perf_txt:N", title=t("bridge_performance", lang)),
                 alt.Tooltip("interval_txt:N", title=t("bridge_interval", lang))])
    layers = [bars]
    if "low" in df and df["low"].notna().any():
        layers.append(base.transform_filter("isValid(datum.low)").mark_rule(color="#333", strokeWidth=1.5)
                      .encode(y=y, x="low:Q", x2="high:Q"))
    layers.append(base.mark_text(align="left", dx=6, fontSize=font_size - 1, fontWeight="bold").encode(
        y=y, x="right:Q", text="value_txt:N"))
    height = max(160, 44 * len(df))
    return _style(alt.layer(*layers).properties(height=height, width="container"), font_size)
