"""The board report: content, PDF / PowerPoint / HTML files opened with
independent readers (pypdf, python-pptx, the raw HTML), masking, periods and
the `report` command. Expected figures are counted by hand from the fixture."""

import datetime as dt
import io
import json
import shutil

import pandas as pd
import pytest
from conftest import write_csv
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from nps_core import cli
from nps_core.analysis.filters import Filters
from nps_core.analysis.periods import parse_period, year_before
from nps_core.ingest.importer import import_file
from nps_core.report import content as report
from nps_core.report.export import render
from nps_core.text.masking import mask

pytestmark = pytest.mark.slow  # renders whole PDF, PowerPoint and HTML reports

D = dt.date
PII = ("Hallo Piet, de bezorging was weer te laat! Bel 06-12345678 of +31 20 123 4567, "
       "mail jan.jansen@example.nl, IBAN NL91 ABNA 0417 1643 00 voor het geld.")
SECRETS = ("Piet", "06-12345678", "123 4567", "jan.jansen@example.nl", "NL91 ABNA 0417 1643 00")
LATE = "De bezorging was te laat en het pakket beschadigd."


def _rows(month: D, scores: list[int], comments: dict[int, str] | None = None, prefix="r") -> list[dict]:
    comments = comments or {}
    return [{"response_id": f"{prefix}{month:%Y%m}-{i}", "responded_at": f"{month.isoformat()} 1{i % 10}:00",
             "score": s, "comment": comments.get(i, ""), "nps_type": ("transaction", "relationship")[i % 2],
             "touchpoint": ("delivery", "webshop")[i % 2]}
            for i, s in enumerate(scores)]


# November 2025: 20 promoters, 12 passives, 18 detractors (3 with a comment on late delivery).
NOV = [10] * 20 + [8] * 12 + [3] * 18
NOV_COMMENTS = {32: PII, 34: LATE, 36: LATE, 1: "Vriendelijk geholpen, top!"}
OCT = [9] * 25 + [7] * 15 + [2] * 10
NOV_2024 = [9] * 10 + [5] * 30


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    from nps_core.db.store import Store

    path = tmp_path_factory.mktemp("report") / "nps.duckdb"
    rows = (_rows(D(2025, 11, 3), NOV, NOV_COMMENTS) + _rows(D(2025, 10, 6), OCT)
            + _rows(D(2024, 11, 4), NOV_2024, {0: LATE})
            # one response on 1 December: the data run past November, so November is complete (not partial)
            + _rows(D(2025, 12, 1), [9], prefix="dec"))
    import_file(Store(path), write_csv(path.parent / "small.csv", rows), dataset="small")
    return Store(path)


def _frame():
    """The fixture's November 2025 with plain pandas: the independent NPS."""
    df = pd.DataFrame({"score": NOV})
    return 100 * ((df.score >= 9).mean() - (df.score <= 6).mean())


@pytest.fixture(scope="module", params=["nl", "en"])
def content(request, small_db):
    return report.build(small_db, Filters(), "month", D(2025, 11, 1), request.param, today=D(2025, 12, 1))


@pytest.fixture(scope="module")
def files(content):
    return {fmt: render(content, fmt) for fmt in ("pdf", "pptx", "html")}


TITLES = {
    "nl": ["NPS-rapportage november 2025", "NPS deze periode", "Waarom bewoog de NPS?", "Evolutie over 13 maanden",
           "NPS per programmatype", "Segmenten die het meest bewogen"],
    "en": ["NPS report November 2025", "NPS this period", "Why did the NPS move?", "Evolution over 13 months",
           "NPS by programme type", "Segments that moved most"],
}
HEADLINE = {"nl": "NPS +4,0", "en": "NPS +4.0"}  # (20 - 18) / 50 = +4.0, see _frame


def test_headline_is_the_hand_computed_nps(content):
    assert round(_frame(), 1) == 4.0
    assert round(content.current.nps, 1) == 4.0 and content.current.n == 50
    # previous month: (25 - 10) / 50 = +30; November 2024: (10 - 30) / 40 = -50
    assert round(content.previous.stats.nps, 1) == 30.0 and round(content.last_year.stats.nps, 1) == -50.0
    assert content.last_year.change.significant  # +54 points on n = 50 and 40


def _pptx_texts(data: bytes):
    prs = Presentation(io.BytesIO(data))
    slides = []
    for slide in prs.slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append(texts)
    return prs, slides


def test_pptx_slides_titles_headline_and_pictures(content, files):
    data, count = files["pptx"]
    prs, slides = _pptx_texts(data)
    assert len(prs.slides) == count == len(content.sections())
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9, 13.333 × 7.5 in
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:6] == TITLES[content.lang]
    # the cover carries the headline: the NPS, its change, the first sentence of the narrative
    assert HEADLINE[content.lang] in "\n".join(slides[0]).splitlines()
    assert content.why.sentences[0] in "\n".join(slides[0]).splitlines()
    assert HEADLINE[content.lang] in "\n".join(slides[1]).splitlines()  # its own paragraph
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    # split, bridge, evolution, volume, types, theme matrix and one trend per theme section
    assert len(pictures) == 6 + len(content.themes) and content.themes
    for picture in pictures:
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.format == "PNG" and image.width >= 1200  # sharp: rendered at twice the CSS size
        assert image.convert("L").getextrema()[0] < 200  # something drawn, not a blank canvas


def test_pdf_pages_titles_headline_images_and_fonts(content, files):
    data, count = files["pdf"]
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == count == len(content.sections())
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    texts = [page.extract_text() for page in pdf.pages]
    for text, title in zip(texts, TITLES[content.lang]):
        assert title in text
    assert HEADLINE[content.lang] in texts[1]
    cover = " ".join(texts[0].split())
    assert HEADLINE[content.lang] in cover and content.why.sentences[0] in cover  # the headline on the cover
    images = [img for page in pdf.pages for img in page.images]
    assert len(images) == 7 + len(content.themes)  # the split also on the cover, under the headline
    assert all(len(img.data) > 5000 and img.image.width >= 1200 for img in images)
    fonts = {f["/BaseFont"] for page in pdf.pages for f in page["/Resources"]["/Font"].values()}
    assert all("DejaVu" in f for f in fonts)
    descriptors = [f["/DescendantFonts"][0]["/FontDescriptor"] for page in pdf.pages[:1]
                   for f in page["/Resources"]["/Font"].values()]
    assert all("/FontFile2" in d for d in descriptors)  # embedded


def test_html_is_self_contained_and_escaped(content, files):
    data, count = files["html"]
    html = data.decode("utf-8")
    assert count == len(content.sections())
    assert html.count("<img ") == 6 + len(content.themes) and html.count('src="data:image/png;base64,') == html.count("<img ")
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert HEADLINE[content.lang] in html
    for title in TITLES[content.lang]:
        assert title in html


def test_personal_data_masked_in_every_format(files, content):
    pptx_text = "\n".join(t for s in _pptx_texts(files["pptx"][0])[1] for t in s)
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"][0])).pages)
    html = files["html"][0].decode("utf-8")
    assert "bezorging was weer te laat" in pptx_text  # the comment is in the report, its personal data is not
    for text in (pptx_text, pdf_text.replace("\n", " "), html):
        for secret in SECRETS:
            assert secret not in text
    assert ("[naam]" if content.lang == "nl" else "[name]") in pptx_text


def test_no_mask_keeps_the_comment_as_written(small_db):
    content = report.build(small_db, Filters(), "month", D(2025, 11, 1), "en", masked=False)
    pptx_text = "\n".join(t for s in _pptx_texts(render(content, "pptx")[0])[1] for t in s)
    html = render(content, "html")[0].decode("utf-8")
    for secret in SECRETS:
        assert secret in pptx_text and secret in html


def test_verbatims_are_html_escaped(small_db, tmp_path):
    from nps_core.db.store import Store

    path = tmp_path / "x.duckdb"
    evil = "<script>alert(1)</script> bezorging te laat"
    rows = _rows(D(2025, 11, 3), [1] * 5 + [10] * 5, {0: evil, 1: evil + "!"})
    import_file(Store(path), write_csv(tmp_path / "x.csv", rows), dataset="x")
    html = render(report.build(Store(path), Filters(), "month", D(2025, 11, 1), "en"), "html")[0].decode()
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize("text,gone,kept", [
    ("Bel me op 06-12345678 of 06 1234 5678", ["12345678", "1234 5678"], ["Bel me op"]),
    ("+31 6 12345678, 0031 20 1234567 en +31 (0)20 123 4567", ["12345678", "1234567", "123 4567"], []),
    ("call +44 20 7946 0958 or 020-1234567 now", ["7946", "1234567"], ["call", "now"]),
    ("mail: a.b-c+d@sub.example.co.uk thanks", ["example"], ["mail:"]),
    ("IBAN NL91ABNA0417164300 en BE68 5390 0754 7034", ["NL91", "BE68"], ["IBAN", "en"]),
    ("Hallo Piet, Dear John Smith and Beste mevrouw van der Berg", ["Piet", "John", "Smith", "Berg"],
     ["Hallo", "Dear", "mevrouw"]),
    ("Order 12345 op 12-11-2025 om 14:30, 3 pakketten", [], ["12345", "12-11-2025", "14:30"]),
    ("hallo allemaal, thanks for nothing", [], ["allemaal", "thanks for nothing"]),
])
def test_masking(text, gone, kept):
    masked = mask(text, "en")
    for word in gone:
        assert word not in masked
    for word in kept:
        assert word in masked


@pytest.mark.parametrize("text,today,expected", [
    ("2025-11", D(2026, 1, 5), ("month", D(2025, 11, 1), D(2025, 11, 30))),
    ("2025-W47", D(2026, 1, 5), ("week", D(2025, 11, 17), D(2025, 11, 23))),
    ("2025-Q4", D(2026, 1, 5), ("quarter", D(2025, 10, 1), D(2025, 12, 31))),
    ("last-month", D(2025, 12, 1), ("month", D(2025, 11, 1), D(2025, 11, 30))),
    ("last-month", D(2025, 1, 15), ("month", D(2024, 12, 1), D(2024, 12, 31))),
    ("last-week", D(2025, 11, 26), ("week", D(2025, 11, 17), D(2025, 11, 23))),  # Wednesday
    ("last-week", D(2025, 11, 24), ("week", D(2025, 11, 17), D(2025, 11, 23))),  # Monday
])
def test_parse_period(text, today, expected):
    assert parse_period(text, today) == expected


@pytest.mark.parametrize("bad", ["2025-13", "2025-W54", "2025-Q5", "november", "", "last-year"])
def test_parse_period_refuses(bad):
    with pytest.raises(ValueError):
        parse_period(bad, D(2025, 1, 1))


def test_same_week_last_year():
    assert year_before("week", D(2025, 11, 17)) == D(2024, 11, 18)  # W47 → W47
    assert year_before("week", D(2021, 1, 4)) == D(2019, 12, 30)  # 2020-W01 starts in December 2019
    assert year_before("week", D(2027, 1, 1) - dt.timedelta(days=3)) == D(2025, 12, 22)  # W53 2026 → W52 2025
    assert year_before("quarter", D(2025, 10, 1)) == D(2024, 10, 1)


def _recent_db(tmp_path):
    """Responses in the last complete month and week before today."""
    from nps_core.db.store import Store

    today = dt.date.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=15)
    last_week_wed = today - dt.timedelta(days=today.weekday() + 5)
    rows = _rows(last_month, [10] * 6 + [2] * 2, prefix="m") + _rows(last_week_wed, [9] * 3 + [0] * 3, prefix="w")
    path = tmp_path / "recent.duckdb"
    import_file(Store(path), write_csv(tmp_path / "recent.csv", rows), dataset="recent")
    return path, last_month, last_week_wed


def _cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_report_last_month_and_last_week(tmp_path, capsys):
    path, month_day, week_day = _recent_db(tmp_path)
    out_file = tmp_path / "m.pptx"
    code, out, err = _cli(capsys, "report", "--db", str(path), "--period", "last-month", "--format", "pptx",
                          "--out", str(out_file), "--lang", "en", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["from"] == month_day.replace(day=1).isoformat() and result["out"] == str(out_file)
    in_month = 8 + (6 if week_day.month == month_day.month and week_day.year == month_day.year else 0)
    assert result["n"] == in_month and result["slides"] == len(Presentation(str(out_file)).slides)
    monday = week_day - dt.timedelta(days=2)
    code, out, err = _cli(capsys, "report", "--db", str(path), "--period", "last-week", "--format", "pdf",
                          "--out", str(tmp_path / "w.pdf"), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["from"], result["to"]) == (monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())
    assert result["n"] == 6 + (8 if monday <= month_day <= monday + dt.timedelta(days=6) else 0)
    assert result["pages"] == len(PdfReader(str(tmp_path / "w.pdf")).pages)


def test_cli_report_bad_input(tmp_path, capsys, small_db):
    code, out, err = _cli(capsys, "report", "--db", str(small_db.path), "--period", "2025-13", "--format", "pdf",
                          "--out", str(tmp_path / "x.pdf"))
    assert code != 0 and "not a period" in err and len(err.strip().splitlines()) == 1
    code, out, err = _cli(capsys, "report", "--db", str(small_db.path), "--period", "2023-01", "--format", "html",
                          "--out", str(tmp_path / "x.html"))
    assert code != 0 and "no responses in 2023-01" in err
    assert not (tmp_path / "x.html").exists()


def test_followup_figures_of_the_period_are_in_the_report(small_db, tmp_path):
    from nps_core.db.store import Store
    from nps_core.followup import loop

    path = tmp_path / "f.duckdb"
    shutil.copy(small_db.path, path)
    store = Store(path)
    # November 2025 has 18 critical detractors (score 3); two are called back, after 5 and 60 hours
    loop.update_case(store, "small", "r202511-32", "contacted", "Sanne", "", "Sanne", dt.datetime(2025, 11, 3, 17))
    loop.update_case(store, "small", "r202511-33", "contacted", "Sanne", "", "Sanne", dt.datetime(2025, 11, 6, 1))
    content = report.build(store, Filters(), "month", D(2025, 11, 1), "en", today=D(2025, 12, 1))
    section = next(s for s in content.sections() if s.title == "Follow-up")
    rows = dict(content.extra[section.index]["rows"])
    # by hand: 1 of 18 within 48 h = 5.6 %; median of 5 h and 60 h = 32.5 h; none resolved
    assert rows["Contacted within 48 h"] == "5.6 % (1 of 18)"
    assert rows["Median time to first contact"] == "32.5 h (2 contacted)"
    assert rows["Resolved"] == "0.0 % (0 of 18)"
    assert rows["Promoters thanked"] == "0"
    html = render(content, "html")[0].decode()
    assert "Follow-up" in html and "5.6 % (1 of 18)" in html