"""One entry point for the report files: the format picks the renderer.

Used by the command line (`python -m nps_core report`) and the Report page.
"""

from __future__ import annotations

from nps_core.report.content import Report

FORMATS = ("pdf", "pptx", "html")
# what a format's count means, as the CLI's JSON key
COUNT_KEY = {"pdf": "pages", "pptx": "slides", "html": "sections"}
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
}


def render(report: Report, fmt: str) -> tuple[bytes, int]:
    """The file's bytes and its page / slide / section count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    # renderers load lazily: python-pptx and fpdf2 are needed only for their own format
    if fmt == "pdf":
        from nps_core.report.pdf import render_pdf as renderer
    elif fmt == "pptx":
        from nps_core.report.pptx import render_pptx as renderer
    else:
        from nps_core.report.html import render_html as renderer
    return renderer(report)


def file_name(report: Report, fmt: str) -> str:
    return f"nps-report-{report.date_from.isoformat()}-{report.grain}-{report.lang}.{fmt}"
