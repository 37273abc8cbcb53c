"""The report as one self-contained HTML file: charts inlined as PNG data
URIs, styles inline, no scripts; every text (customer comments included)
HTML-escaped."""

from __future__ import annotations

import base64
from html import escape

from nps_core.base.i18n import fmt_nps, t
from nps_core.present.charts import CATEGORY_COLOURS, NPS_COLOUR
from nps_core.report import content as rp
from nps_core.report.charts import render

STYLE = f"""
body {{ font-family: "DejaVu Sans", Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1100px;
       padding: 24px; line-height: 1.45; }}
section {{ border-top: 1px solid #ddd; padding: 8px 0 28px; page-break-before: always; }}
h1 {{ color: {NPS_COLOUR}; font-size: 2.4em; margin: 1.2em 0 0.2em; }}
h2 {{ color: {NPS_COLOUR}; font-size: 1.6em; }}
h3 {{ color: {NPS_COLOUR}; }}
.big {{ font-size: 4em; font-weight: bold; color: {NPS_COLOUR}; margin: 0; }}
.muted {{ color: #666; }}
.sig-up {{ color: {CATEGORY_COLOURS["promoter"]}; font-weight: bold; }}
.sig-down {{ color: {CATEGORY_COLOURS["detractor"]}; font-weight: bold; }}
.flat {{ color: #666; font-weight: bold; }}
img {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; margin: 8px 0 16px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 10px; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
th {{ background: #e8eef5; }}
.cols {{ display: flex; gap: 32px; align-items: flex-start; flex-wrap: wrap; }}
.cols > * {{ flex: 1 1 420px; }}
blockquote {{ margin: 0 0 4px; font-size: 1.1em; white-space: pre-wrap; }}
"""


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def _table(header, rows) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header) if any(header) else ""
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table>{f'<tr>{head}</tr>' if head else ''}{body}</table>"


def _change_class(change) -> str:
    if not change.significant:
        return "flat"
    return "sig-up" if change.delta > 0 else "sig-down"


class _Html(rp.SectionRenderer):
    """Each section's body as HTML."""

    def __init__(self, report: rp.Report, images: dict[str, bytes]):
        self.r, self.L, self.images = report, report.lang, images

    def title_section(self, section) -> str:
        r, c = self.r, rp.cover(self.r)
        sentences = "".join(f"<p>{escape(x)}</p>" for x in c["sentences"])
        return (f"<h1>{escape(r.title)}</h1><p class='muted'>{escape(c['context'])}</p>"
                f"<p class='big'>{escape(c['nps'])}</p><p class='{_change_class(r.previous.change)}'>"
                f"{escape(c['change'])}</p>{sentences}<p class='muted'>{escape(r.note['generated'])}</p>")

    def why_section(self, section) -> str:
        header, rows = rp.themes_moved_table(self.r)
        moved = _table(header, rows) if rows else f"<p class='muted'>{escape(rp.themes_moved_note(self.r))}</p>"
        sentences = "".join(f"<p>{escape(x)}</p>" for x in rp.why_lines(self.r))
        return (f"{sentences}<div class='cols'><div>{_img(self.images['bridge'], section.title)}</div>"
                f"<div><h3>{escape(t('themes_moved_title', self.L))}</h3>{moved}</div></div>")

    def headline_section(self, section) -> str:
        r, L = self.r, self.L
        changes = "".join(f"<p class='{_change_class(c.change)}'>{escape(rp.change_text(c, L))}</p>"
                          for c in (r.previous, r.last_year))
        return (f"<div class='cols'><div><p class='big'>NPS {escape(fmt_nps(r.current.nps, L))}</p>{changes}</div>"
                f"<div>{_table(['', ''], rp.headline_facts(r))}</div></div>"
                f"<h3>{escape(t('split_title', L))}</h3>{_img(self.images['split'], t('split_title', L))}")

    def evolution_section(self, section) -> str:
        return _img(self.images["evolution"], section.title) + _img(self.images["volume"], "n")

    def types_section(self, section) -> str:
        chart = _img(self.images["types"], section.title) if "types" in self.images else ""
        return chart + _table(*rp.type_table(self.r))

    def movers_section(self, section) -> str:
        out = ""
        for key, frame in (("report_up", self.r.movers_up), ("report_down", self.r.movers_down)):
            out += f"<h3>{escape(t(key, self.L))}</h3>"
            out += (_table(*rp.movers_table(frame, self.L)) if not frame.empty
                    else f"<p>{escape(t('report_no_movers', self.L))}</p>")
        return out

    def themes_section(self, section) -> str:
        return (f"<div class='cols'><div>{_img(self.images['matrix'], section.title)}</div>"
                f"<div>{_table(*rp.themes_table(self.r))}</div></div>")

    def drivers_section(self, section) -> str:
        notes = "".join(f"<p class='muted'>{escape(line)}</p>" for line in rp.driver_notes(self.r))
        return f"<div class='cols'><div>{_img(self.images['drivers'], section.title)}</div><div>{notes}</div></div>"

    def theme_section(self, section) -> str:
        th, L = self.r.themes[section.index], self.L
        quotes = "".join(f"<blockquote>“{escape(v['comment'])}”</blockquote>"
                         f"<p class='muted'>{escape(rp.verbatim_context(v, L))}</p>" for v in th.verbatims)
        return (f"<p class='muted'>{escape(rp.theme_facts(th, L))}</p><div class='cols'><div>"
                f"<h3>{escape(t('report_theme_trend', L))}</h3>{_img(self.images[f'theme{section.index}'], th.label)}"
                f"</div><div><h3>{escape(t('report_voices', L))}</h3>{quotes}</div></div>")

    def extra_section(self, section) -> str:
        return _table(["", ""], self.r.extra[section.index]["rows"])

    def note_section(self, section) -> str:
        return "".join(f"<p>{escape(line)}</p>" for line in rp.note_lines(self.r))


def render_html(report: rp.Report) -> tuple[bytes, int]:
    """The HTML document's bytes and its section count."""
    html = _Html(report, render(report))
    sections = report.sections()
    parts = []
    for s in sections:
        heading = "" if s.kind == "title" else f"<h2>{escape(s.title)}</h2>"
        parts.append(f"<section id='{s.kind}{s.index}'>{heading}{html.draw(s)}</section>")
    doc = (f"<!DOCTYPE html><html lang='{report.lang}'><head><meta charset='utf-8'>"
           f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
           f"<title>{escape(report.title)}</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")
    return doc.encode("utf-8"), len(sections)


def digest_html(report: rp.Report) -> str:
    """The digest e-mail: the headline figures, why the NPS moved (the narrative), the segments that moved most
    and the top themes, as one HTML document without images (mail clients
    block them) and with every text escaped."""
    L, r = report.lang, report
    changes = "".join(f"<p class='{_change_class(c.change)}'>{escape(rp.change_text(c, L))}</p>"
                      for c in (r.previous, r.last_year))
    parts = [f"<h1>{escape(r.title)}</h1><p class='muted'>{escape(t('dataset', L))} {escape(r.dataset)} · "
             f"{escape(r.filters_text)}</p>",
             f"<p class='big'>NPS {escape(fmt_nps(r.current.nps, L))}</p>{changes}",
             "".join(f"<p>{escape(x)}</p>" for x in rp.why_lines(r)),
             _table(["", ""], rp.headline_facts(r)),
             f"<h2>{escape(t('report_movers', L))}</h2>"]
    for key, frame in (("report_up", r.movers_up), ("report_down", r.movers_down)):
        parts.append(f"<h3>{escape(t(key, L))}</h3>")
        parts.append(_table(*rp.movers_table(frame, L)) if not frame.empty
                     else f"<p>{escape(t('report_no_movers', L))}</p>")
    if not r.theme_table.empty:
        parts += [f"<h2>{escape(t('report_themes', L))}</h2>", _table(*rp.themes_table(r))]
    parts.append(f"<p class='muted'>{escape(t('digest_footer', L))}</p>")
    return (f"<!DOCTYPE html><html lang='{L}'><head><meta charset='utf-8'><title>{escape(r.title)}</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")
