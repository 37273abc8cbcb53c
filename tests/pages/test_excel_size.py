"""Excel sheets are streamed up to a documented row limit (readers.EXCEL_MAX_ROWS,
env NPS_EXCEL_MAX_ROWS); a longer sheet is refused with the limit named, before
a row is read when its <dimension> record tells its size. Real .xlsx files,
written by openpyxl; the limit is made small so the files stay small."""

import datetime as dt
import tempfile
import zipfile

import openpyxl
import pytest
from apptest_support import rendered, rerun, start

from nps_core import cli
from nps_core.db.store import Store
from nps_core.ingest import readers
from nps_core.ingest.importer import import_file

HEADER = ["response_id", "responded_at", "score", "comment", "nps_type"]


def workbook(path, rows: int, dimension: str | None = None):
    """`rows` data rows (scores 0..10 in turn); openpyxl's write-only mode writes no
    <dimension>: `dimension` puts one in, as Excel always does."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([f"x{i}", dt.datetime(2025, 1, 1) + dt.timedelta(hours=i), i % 11, f"opmerking {i}",
                      "relationship"])
    book.save(path)
    if dimension:
        inner = "xl/worksheets/sheet1.xml"
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts[inner] = parts[inner].replace(b"<sheetViews>", f'<dimension ref="{dimension}"/><sheetViews>'.encode())
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for n, data in parts.items():
                z.writestr(n, data)
    return path


@pytest.fixture
def limit_100(monkeypatch, tmp_path):
    monkeypatch.setenv("NPS_EXCEL_MAX_ROWS", "100")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_a_sheet_at_the_limit_imports(limit_100, tmp_path):
    store = Store(tmp_path / "nps.duckdb")
    result = import_file(store, workbook(tmp_path / "export.xlsx", 100))
    assert (result.read, result.imported, result.rejected) == (100, 100, 0)
    # scores 0..10 repeated: 0..99 holds 9 full cycles + 0 (one more detractor)
    with store.read() as con:
        p, d = con.execute("SELECT count(*) FILTER (WHERE score >= 9), count(*) FILTER (WHERE score <= 6) "
                           "FROM responses WHERE dataset = 'export'").fetchone()
    assert (p, d) == (18, 64)
    assert list(limit_100.glob("*.csv")) == []  # the converted CSV is removed


def test_a_longer_sheet_without_dimension_is_refused_as_it_streams(limit_100, tmp_path):
    path = workbook(tmp_path / "export.xlsx", 101)
    with pytest.raises(readers.UnreadableFile) as refused:
        readers.prepare(path)
    assert str(refused.value) == (
        "export.xlsx has more than 100 data rows; an Excel sheet may have at most 100 (NPS_EXCEL_MAX_ROWS): "
        "export the survey as CSV, which has no such limit, or split it")
    assert list(limit_100.glob("*.csv")) == []  # no half-written CSV left behind


def test_a_sheet_whose_dimension_says_it_is_too_long_is_refused_before_reading(limit_100, tmp_path):
    # the record claims 2,000,000 data rows; the sheet holds 5: the number in the message is the record's
    path = workbook(tmp_path / "export.xlsx", 5, dimension="A1:E2000001")
    with pytest.raises(readers.UnreadableFile, match=r"^export.xlsx has 2,000,000 data rows; an Excel sheet may "
                                                     r"have at most 100 \(NPS_EXCEL_MAX_ROWS\)"):
        readers.prepare(path)
    assert list(limit_100.glob("*.csv")) == []


def test_the_default_limit_is_what_excel_holds():
    assert readers.EXCEL_MAX_ROWS + 1 == 2 ** 20  # Excel's sheet: 1,048,576 rows, one of them the header


def test_command_line_refuses_a_too_long_sheet_in_one_line(limit_100, tmp_path, capsys):
    path = workbook(tmp_path / "export.xlsx", 150, dimension="A1:E151")
    code = cli.main(["import", str(path), "--db", str(tmp_path / "nps.duckdb"), "--json"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_BAD_INPUT
    assert err == ("error: export.xlsx has 150 data rows; an Excel sheet may have at most 100 "
                   "(NPS_EXCEL_MAX_ROWS): export the survey as CSV, which has no such limit, or split it\n")


def test_upload_page_names_the_limit(limit_100, app_db, tmp_path):
    data = workbook(tmp_path / "big.xlsx", 120).read_bytes()
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("Klanten 2025.xlsx", data,
                                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    rerun(at)
    assert not at.exception
    assert [rendered(e.value) for e in at.error] == [
        "This file cannot be imported: Klanten 2025.xlsx has more than 100 data rows; an Excel sheet may have "
        "at most 100 (NPS_EXCEL_MAX_ROWS): export the survey as CSV, which has no such limit, or split it"]
