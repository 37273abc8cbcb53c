"""Altair charts: one function per chart, each taking a tidy frame from
nps_core and returning a chart, so the pages and the report export share them.

Readable on a projector: large labels, few gridlines, one colour per category
everywhere (promoter green, passive amber, detractor red).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from nps_core.i18n import fmt_month, t
from nps_core.metrics import CATEGORIES, NpsStats

CATEGORY_COLOURS = {"promoter": "#2E9E5B", "passive": "#F2B134", "detractor": "#D64541"}
NPS_COLOUR = "#1F4E79"
BAND_COLOUR = "#9DB9D5"
FONT_SIZE = 15


def _style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, grid=False)
        .configure_axisY(grid=True, gridColor="#E6E6E6")
        .configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="top")
        .configure_view(strokeWidth=0)
        .configure_title(fontSize=FONT_SIZE + 3, anchor="start")
    )


def category_scale(lang: str) -> alt.Scale:
    return alt.Scale(
        domain=[t(c, lang) for c in CATEGORIES], range=[CATEGORY_COLOURS[c] for c in CATEGORIES]
    )


def _trend_frame(trend: pd.DataFrame, lang: str) -> pd.DataFrame:
    df = trend.copy()
    df["label"] = [fmt_month(p.date(), lang) for p in df["period"]]
    df["low"] = df["nps"] - df["moe"]
    df["high"] = df["nps"] + df["moe"]
    df["nps_r"] = df["nps"].round(1)
    df["moe_r"] = df["moe"].round(1)
    df["size_note"] = df["small"].map({True: t("small_marker", lang), False: ""})
    return df


def _trend_tooltip(lang: str) -> list:
    return [
        alt.Tooltip("label:N", title=t("month", lang)),
        alt.Tooltip("nps_r:Q", title="NPS", format="+.1f"),
        alt.Tooltip("moe_r:Q", title="±", format=".1f"),
        alt.Tooltip("n:Q", title="n", format=","),
        alt.Tooltip("size_note:N", title=" "),
    ]


def nps_trend_chart(trend: pd.DataFrame, lang: str, title: str | None = None) -> alt.LayerChart:
    """NPS per period with its 95 % margin as a band; periods with n < 30
    are drawn as hollow points. `trend` is aggregates.trend()."""
    df = _trend_frame(trend, lang)
    x = alt.X("label:N", sort=list(df["label"]), title=None, axis=alt.Axis(labelAngle=0))
    base = alt.Chart(df)
    band = base.mark_area(color=BAND_COLOUR, opacity=0.35).encode(
        x=x, y=alt.Y("low:Q", title="NPS"), y2="high:Q"
    )
    line = base.mark_line(color=NPS_COLOUR, strokeWidth=3).encode(x=x, y="nps:Q")
    points = base.mark_point(size=90, strokeWidth=2, color=NPS_COLOUR).encode(
        x=x,
        y="nps:Q",
        fill=alt.condition("datum.small", alt.value("white"), alt.value(NPS_COLOUR)),
        tooltip=_trend_tooltip(lang),
    )
    labels = base.mark_text(dy=-16, fontSize=FONT_SIZE - 1, color=NPS_COLOUR, fontWeight="bold").encode(
        x=x, y="nps:Q", text=alt.Text("nps_r:Q", format="+.0f")
    )
    chart = (band + line + points + labels).properties(height=300, width="container")
    return _style(chart.properties(title=title) if title else chart)


def volume_chart(trend: pd.DataFrame, lang: str) -> alt.Chart:
    """Responses per period, drawn beneath the NPS trend with the same x axis."""
    df = _trend_frame(trend, lang)
    chart = (
        alt.Chart(df)
        .mark_bar(color="#B8C4D0")
        .encode(
            x=alt.X("label:N", sort=list(df["label"]), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title="n", axis=alt.Axis(tickCount=3, format="d")),
            tooltip=_trend_tooltip(lang),
        )
        .properties(height=120, width="container")
    )
    return _style(chart)


def category_split_chart(stats: NpsStats, lang: str) -> alt.Chart:
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
            "order": range(len(CATEGORIES)),
        }
    )
    bar = alt.Chart(df).mark_bar(height=46).encode(
        x=alt.X("share:Q", stack="normalize", axis=None),
        color=alt.Color("category:N", scale=category_scale(lang), title=None),
        order="order:Q",
        tooltip=[alt.Tooltip("category:N", title=" "), alt.Tooltip("share:Q", format=".1%")],
    )
    text = alt.Chart(df).mark_text(color="white", fontSize=FONT_SIZE + 1, fontWeight="bold").encode(
        x=alt.X("mid:Q", axis=None),
        text=alt.Text("share:Q", format=".0%"),
    ).transform_window(
        cum="sum(share)", sort=[alt.SortField("order")]
    ).transform_calculate(mid="datum.cum - datum.share / 2").transform_filter("datum.share >= 0.05")
    return _style((bar + text).properties(height=70, width="container"))
