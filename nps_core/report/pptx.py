"""The report as a PowerPoint deck: 16:9, a title slide, then one idea per
slide (report.sections()), with editable text, native tables and the
dashboard's charts as sharp PNG images."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from nps_core.base.i18n import fmt_nps, t
from nps_core.present.charts import CATEGORY_COLOURS, NPS_COLOUR
from nps_core.report import content as rp
from nps_core.report.charts import render

WIDE = (Emu(12192000), Emu(6858000))  # PowerPoint's own 16:9, 13.333 × 7.5 in
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.35)
INK = RGBColor(0x22, 0x22, 0x22)
GREY = RGBColor(0x66, 0x66, 0x66)
BLUE = RGBColor.from_string(NPS_COLOUR[1:])


def _colour(change) -> RGBColor:
    """Green or red only when the change is significant: grey is 'no real change'."""
    if not change.significant:
        return GREY
    return RGBColor.from_string(CATEGORY_COLOURS["promoter" if change.delta > 0 else "detractor"][1:])


def _text(slide, left, top, width, height, paragraphs, size=18, colour=INK, bold=False):
    """A text box; `paragraphs` are strings or (text, size, colour, bold) tuples."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, p in enumerate(paragraphs):
        text, p_size, p_colour, p_bold = p if isinstance(p, tuple) else (p, size, colour, bold)
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.space_after = Pt(6)
        run = para.add_run()
        run.text = text
        run.font.size, run.font.color.rgb, run.font.bold = Pt(p_size), p_colour, p_bold
    return frame


def _table(slide, header, rows, left, top, width, size=14):
    """A native table, columns as wide as their longest text (so "Verandering"
    and "+36,6" stay on one line); label / value pairs (a header of blanks)
    get no header row."""
    lines = [header, *rows] if any(header) else list(rows)
    shape = slide.shapes.add_table(len(lines), len(lines[0]), left, top, width, Inches(0.4) * len(lines))
    table = shape.table
    table.first_row = any(header)
    # + 3: a cell's padding takes about three characters' width; bold headings run wider
    longest = [3 + max(4, 1.25 * len(header[j]), *(len(str(line[j])) for line in rows)) for j in range(len(lines[0]))]
    for j, chars in enumerate(longest):
        table.columns[j].width = Emu(int(width * chars / sum(longest)))
    for i, line in enumerate(lines):
        for j, value in enumerate(line):
            cell = table.cell(i, j)
            cell.text = value
            para = cell.text_frame.paragraphs[0]
            para.font.size, para.font.bold = Pt(size), table.first_row and i == 0
            if j:
                para.alignment = PP_ALIGN.RIGHT
    return shape


def _picture(slide, png: bytes, left, top, width=None, height=None):
    return slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)


class _Deck(rp.SectionRenderer):
    def __init__(self, report: rp.Report):
        self.r, self.L = report, report.lang
        self.images = render(report)
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDE
        self.width = WIDE[0] - 2 * MARGIN

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only"
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.35), self.width, Inches(0.9)
        shape.text = title
        para = shape.text_frame.paragraphs[0]
        para.font.size, para.font.bold, para.font.color.rgb = Pt(32), True, BLUE
        para.alignment = PP_ALIGN.LEFT
        return slide

    def title_section(self, section):
        # the cover is the headline a board reads first: the figures, not an empty title slide
        c, r = rp.cover(self.r), self.r
        slide = self.slide(r.title)
        _text(slide, MARGIN, Inches(1.25), self.width, Inches(0.6), [(c["context"], 16, GREY, False)])
        _text(slide, MARGIN, Inches(2.0), self.width, Inches(1.6), [
            (c["nps"], 60, BLUE, True), (c["change"], 22, _colour(r.previous.change), True)])
        _text(slide, MARGIN, Inches(3.9), self.width, Inches(2.6), [(x, 20, INK, False) for x in c["sentences"]])
        _text(slide, MARGIN, Inches(6.8), self.width, Inches(0.4), [(r.note["generated"], 12, GREY, False)])

    def why_section(self, section):
        slide = self.slide(section.title)
        lines = rp.why_lines(self.r)
        _text(slide, MARGIN, BODY_TOP, self.width, Inches(1.5), [(x, 14, INK, False) for x in lines])
        top = BODY_TOP + Inches(1.7)
        _picture(slide, self.images["bridge"], MARGIN, top, width=Inches(7.6))
        header, rows = rp.themes_moved_table(self.r)
        _text(slide, Inches(8.4), top, Inches(4.4), Inches(0.5), [(t("themes_moved_title", self.L), 16, BLUE, True)])
        if rows:
            _table(slide, header, rows, Inches(8.4), top + Inches(0.55), Inches(4.4), size=11)
        else:
            _text(slide, Inches(8.4), top + Inches(0.55), Inches(4.4), Inches(1), [(rp.themes_moved_note(self.r), 13,
                                                                                   GREY, False)])

    def headline_section(self, section):
        slide, r = self.slide(section.title), self.r
        _text(slide, MARGIN, BODY_TOP, Inches(6.9), Inches(2.2), [
            ("NPS " + fmt_nps(r.current.nps, self.L), 54, BLUE, True),
            (f"± {fmt_nps(r.current.moe, self.L, signed=False)} · n = {rp.headline_facts(r)[0][1]}", 20, GREY, False),
        ])
        _text(slide, MARGIN, Inches(3.65), Inches(6.4), Inches(1.4), [
            (rp.change_text(c, self.L), 20, _colour(c.change), True) for c in (r.previous, r.last_year)
        ])
        _table(slide, ["", ""], rp.headline_facts(r), Inches(7.6), BODY_TOP, Inches(5.2), size=18)
        _picture(slide, self.images["split"], MARGIN, Inches(5.5), width=self.width)

    def evolution_section(self, section):
        slide = self.slide(section.title)
        _picture(slide, self.images["evolution"], MARGIN, BODY_TOP, width=self.width)
        _picture(slide, self.images["volume"], MARGIN, Inches(5.95), width=self.width)

    def types_section(self, section):
        slide = self.slide(section.title)
        top = BODY_TOP
        if "types" in self.images:  # the bars across the slide, the figures beneath
            top += _picture(slide, self.images["types"], MARGIN, BODY_TOP, width=self.width).height + Inches(0.3)
        header, rows = rp.type_table(self.r)
        _table(slide, header, rows, MARGIN, top, Inches(9), size=16)

    def movers_section(self, section):
        slide, top = self.slide(section.title), BODY_TOP
        for key, frame in (("report_up", self.r.movers_up), ("report_down", self.r.movers_down)):
            _text(slide, MARGIN, top, self.width, Inches(0.5), [(t(key, self.L), 20, BLUE, True)])
            if frame.empty:
                _text(slide, MARGIN, top + Inches(0.5), self.width, Inches(0.5), [t("report_no_movers", self.L)])
                top += Inches(1.3)
                continue
            header, rows = rp.movers_table(frame, self.L)
            _table(slide, header, rows, MARGIN, top + Inches(0.55), self.width, size=16)
            top += Inches(0.55) + Inches(0.4) * (len(rows) + 1) + Inches(0.35)

    def themes_section(self, section):
        slide = self.slide(section.title)
        _picture(slide, self.images["matrix"], MARGIN, BODY_TOP, width=Inches(6.2))
        header, rows = rp.themes_table(self.r)
        _table(slide, header, rows, Inches(6.9), BODY_TOP, Inches(5.9), size=13)

    def drivers_section(self, section):
        slide = self.slide(section.title)
        tall = len(self.r.drivers["drivers"]) > 12  # many themes: fit the height of the slide instead
        _picture(slide, self.images["drivers"], MARGIN, BODY_TOP,
                 **({"height": Inches(5.9)} if tall else {"width": Inches(7.6)}))
        _text(slide, Inches(8.4), BODY_TOP, Inches(4.4), Inches(5), [(line, 13, GREY, False)
                                                                    for line in rp.driver_notes(self.r)])

    def theme_section(self, section):
        slide, th = self.slide(section.title), self.r.themes[section.index]
        _text(slide, MARGIN, Inches(1.15), self.width, Inches(0.5), [(rp.theme_facts(th, self.L), 18, GREY, False)])
        _text(slide, MARGIN, Inches(1.75), Inches(6), Inches(0.4), [(t("report_theme_trend", self.L), 14, GREY, True)])
        _picture(slide, self.images[f"theme{section.index}"], MARGIN, Inches(2.15), width=Inches(6))
        paragraphs = [(t("report_voices", self.L), 18, BLUE, True)]
        for v in th.verbatims:
            paragraphs += [(f"“{v['comment']}”", 16, INK, False), (rp.verbatim_context(v, self.L), 12, GREY, False)]
        _text(slide, Inches(6.9), Inches(1.75), Inches(5.9), Inches(5.2), paragraphs)

    def extra_section(self, section):
        slide = self.slide(section.title)
        _table(slide, ["", ""], self.r.extra[section.index]["rows"], MARGIN, BODY_TOP, Inches(8), size=18)

    def note_section(self, section):
        slide = self.slide(section.title)
        _text(slide, MARGIN, BODY_TOP, self.width, Inches(5.6), rp.note_lines(self.r), size=16)


def render_pptx(report: rp.Report) -> tuple[bytes, int]:
    """The deck's bytes and its slide count."""
    deck = _Deck(report)
    for section in report.sections():
        deck.draw(section)
    out = io.BytesIO()
    deck.prs.save(out)
    return out.getvalue(), len(deck.prs.slides)
