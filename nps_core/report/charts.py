"""The report's charts: the dashboard's own Altair functions (charts.py),
drawn to PNG without a browser by vl-convert, at a fixed print size.

Rendered once per report and format, shared by every slide or page.
"""

from __future__ import annotations

import altair as alt
import vl_convert as vlc

from nps_core.present import charts
from nps_core.report.content import Report

WIDTH = 1100  # CSS pixels; rendered at SCALE for sharp print and projection
SCALE = 2
PRINT_FONT = 19  # larger than on screen: the image is shrunk onto an A4 page or a slide


def png(chart: alt.TopLevelMixin, width: int = WIDTH, height: int = 380) -> bytes:
    spec = chart.properties(width=width, height=height).to_json()
    return vlc.vegalite_to_png(spec, scale=SCALE)


def render(report: Report) -> dict[str, bytes]:
    """PNG per chart name: split, bridge, evolution, volume, types, matrix, theme0…"""
    L = report.lang
    out = {
        "split": png(charts.category_split_chart(report.current, L, font_size=PRINT_FONT), height=70),
        "evolution": png(charts.nps_trend_chart(report.evolution, L, report.grain, font_size=PRINT_FONT), height=330),
        "volume": png(charts.volume_chart(report.evolution, L, report.grain, font_size=PRINT_FONT), height=90),
    }
    if report.why is not None:
        out["bridge"] = png(charts.bridge_chart(report.why.bridge, L, font_size=PRINT_FONT), width=1000,
                            height=max(200, 52 * len(report.why.bridge)))
    if not report.by_type.empty:
        types = report.by_type.assign(key=report.by_type["label"])
        out["types"] = png(charts.segment_chart(types, L, "", font_size=PRINT_FONT), width=900,
                           height=max(150, 60 * len(types)))
    if not report.theme_table.empty:
        out["matrix"] = png(charts.priority_matrix_chart(report.theme_table, L, font_size=PRINT_FONT,
                                                         width=700, height=460), width=700, height=460)
    if report.drivers and not report.drivers["drivers"].empty:
        out["drivers"] = png(charts.key_driver_chart(report.drivers["drivers"], L, font_size=PRINT_FONT),
                             width=900, height=max(160, 44 * len(report.drivers["drivers"])))
    for i, section in enumerate(report.themes):
        out[f"theme{i}"] = png(charts.nps_trend_chart(section.trend, L, section.grain, font_size=PRINT_FONT),
                               width=640, height=400)
    return out
