"""The report as a PDF: A4 landscape, one section per page, DejaVu Sans
embedded (Debian's fonts-dejavu-core) so Dutch accents and the ± / – / ✔
signs print on any machine."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from nps_core.base.i18n import fmt_nps, t
from nps_core.present.charts import CATEGORY_COLOURS, NPS_COLOUR
from nps_core.report import content as rp
from nps_core.report.charts import render

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
MARGIN = 15  # mm
INK, GREY = (34, 34, 34), (102, 102, 102)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


BLUE = _rgb(NPS_COLOUR)


class _Pdf(FPDF, rp.SectionRenderer):
    def __init__(self, report: rp.Report):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.r, self.L = report, report.lang
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            if not (FONT_DIR / name).exists():
                raise OSError(f"font {FONT_DIR / name} missing: install Debian's fonts-dejavu-core")
            self.add_font(FONT, style, str(FONT_DIR / name))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=14)
        self.set_title(report.title)
        self.set_lang(report.lang)
        self.images = render(report)

    def footer(self):
        if self.page_no() == 1:
            return
        self.set_y(-11)
        self.set_font(FONT, "", 9)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.r.title} · {self.page_no()}/{{nb}}", align="R")

    def write_line(self, text, size=12, colour=INK, bold=False, height=None, width=0):
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(width, height or size * 0.5, text, align="L", new_x="LMARGIN" if not width else "LEFT",
                        new_y="NEXT")

    def heading(self, title: str):
        self.add_page()
        self.write_line(title, 22, BLUE, True, 11)
        self.ln(3)

    def picture(self, name: str, x=None, y=None, w=0, h=0):
        self.image(io.BytesIO(self.images[name]), x=x, y=y, w=w, h=h)

    def grid(self, header, rows, width, size=11, x=None):
        """A table whose columns are as wide as their longest cell (headings
        never break mid-word); what is left goes to the first column."""
        if x is not None:
            self.set_x(x)
        self.set_text_color(*INK)
        self.set_font(FONT, "B", size)
        widths = [self.get_string_width(h) + 4 for h in header]
        self.set_font(FONT, "", size)
        for row in rows:
            widths = [max(w, self.get_string_width(v) + 4) for w, v in zip(widths, row)]
        if sum(widths) > width:  # squeeze the first column, which may wrap
            widths[0] = max(width - sum(widths[1:]), width * 0.25)
        widths[0] += max(width - sum(widths), 0)
        align = ("LEFT",) + ("RIGHT",) * (len(header) - 1)
        with self.table(width=sum(widths), col_widths=widths, align="LEFT", text_align=align,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 238, 245)),
                        first_row_as_headings=bool(any(header)), line_height=size * 0.6) as table:
            for row in ([header] if any(header) else []) + [list(r) for r in rows]:
                cells = table.row()
                for value in row:
                    cells.cell(value)

    def title_section(self, section):
        # the cover is the headline a board reads first: no empty page before the figures
        c = rp.cover(self.r)
        self.add_page()
        self.set_y(28)
        self.write_line(self.r.title, 30, BLUE, True, 14)
        self.write_line(c["context"], 14, GREY, height=7)
        self.ln(10)
        self.write_line(c["nps"], 54, BLUE, True, 24)
        self.write_line(c["change"], 17, self._change_colour(self.r.previous.change), True, 9)
        self.ln(6)
        for sentence in c["sentences"]:
            self.write_line(sentence, 15, INK, height=7.5)
            self.ln(2)
        self.ln(4)  # the period's split under the sentences: the cover holds the whole headline
        self.picture("split", x=MARGIN, w=267)
        self.set_y(-26)
        self.write_line(self.r.note["generated"], 11, GREY)

    def _change_colour(self, change):
        if not change.significant:
            return GREY
        return _rgb(CATEGORY_COLOURS["promoter" if change.delta > 0 else "detractor"])

    def why_section(self, section):
        self.heading(section.title)
        for sentence in rp.why_lines(self.r):
            self.write_line(sentence, 11, INK, height=5.5)
        self.ln(3)
        top = self.get_y()
        self.picture("bridge", x=MARGIN, y=top, w=165)
        self.set_xy(185, top)
        self.set_left_margin(185)
        self.write_line(t("themes_moved_title", self.L), 13, BLUE, True, 7)
        header, rows = rp.themes_moved_table(self.r)
        if rows:
            self.grid(header, rows, 97, size=9, x=185)
        else:
            self.write_line(rp.themes_moved_note(self.r), 10, GREY, height=5)
        self.set_left_margin(MARGIN)

    def headline_section(self, section):
        r = self.r
        self.heading(section.title)
        top = self.get_y()
        self.write_line("NPS " + fmt_nps(r.current.nps, self.L), 48, BLUE, True, 22, width=140)
        self.write_line(f"± {fmt_nps(r.current.moe, self.L, signed=False)} · n = {rp.headline_facts(r)[0][1]}",
                        16, GREY, height=9, width=140)
        self.ln(5)
        for cmp in (r.previous, r.last_year):
            self.write_line(rp.change_text(cmp, self.L), 15, self._change_colour(cmp.change), True, 9, width=140)
        self.set_xy(165, top)
        self.grid(["", ""], rp.headline_facts(r), 115, size=13, x=165)
        self.set_y(max(self.get_y(), 120))
        self.write_line(t("split_title", self.L), 14, BLUE, True, 8)
        self.picture("split", x=MARGIN, w=267)

    def evolution_section(self, section):
        self.heading(section.title)
        self.picture("evolution", x=MARGIN, w=267)
        self.picture("volume", x=MARGIN, w=267)

    def types_section(self, section):
        self.heading(section.title)
        if "types" in self.images:
            self.picture("types", x=MARGIN, w=230)
            self.ln(4)
        self.grid(*rp.type_table(self.r), 230, size=13)

    def movers_section(self, section):
        self.heading(section.title)
        for key, frame in (("report_up", self.r.movers_up), ("report_down", self.r.movers_down)):
            self.write_line(t(key, self.L), 15, BLUE, True, 9)
            if frame.empty:
                self.write_line(t("report_no_movers", self.L), 12)
            else:
                self.grid(*rp.movers_table(frame, self.L), 267, size=12)
            self.ln(6)

    def themes_section(self, section):
        self.heading(section.title)
        top = self.get_y()
        self.picture("matrix", x=MARGIN, y=top, w=140)
        self.set_xy(160, top)  # the table has an effort column: a little more room than the matrix
        self.grid(*rp.themes_table(self.r), 122, size=10, x=160)

    def drivers_section(self, section):
        self.heading(section.title)
        top = self.get_y()
        self.picture("drivers", x=MARGIN, y=top, w=165)
        self.set_xy(185, top)
        self.set_left_margin(185)
        for line in rp.driver_notes(self.r):
            self.write_line(line, 10, GREY, height=5)
            self.ln(2)
        self.set_left_margin(MARGIN)

    def theme_section(self, section):
        th = self.r.themes[section.index]
        self.heading(section.title)
        self.write_line(rp.theme_facts(th, self.L), 13, GREY, height=7)
        self.ln(3)
        top = self.get_y()
        self.write_line(t("report_theme_trend", self.L), 11, GREY, True, 6, width=135)
        self.picture(f"theme{section.index}", x=MARGIN, w=135)
        self.set_xy(160, top)
        self.set_left_margin(160)
        self.write_line(t("report_voices", self.L), 14, BLUE, True, 8)
        for v in th.verbatims:
            self.ln(2)
            self.write_line(f"“{v['comment']}”", 12, INK, height=6)
            self.write_line(rp.verbatim_context(v, self.L), 9, GREY, height=5)
        self.set_left_margin(MARGIN)

    def extra_section(self, section):
        self.heading(section.title)
        self.grid(["", ""], self.r.extra[section.index]["rows"], 160, size=13)

    def note_section(self, section):
        self.heading(section.title)
        for line in rp.note_lines(self.r):
            self.write_line(line, 12, height=6.5)
            self.ln(2)


def render_pdf(report: rp.Report) -> tuple[bytes, int]:
    """The PDF's bytes and its page count."""
    pdf = _Pdf(report)
    for section in report.sections():
        pdf.draw(section)
    return bytes(pdf.output()), pdf.pages_count
