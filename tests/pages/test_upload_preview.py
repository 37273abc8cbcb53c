"""The Upload page guesses a big file's mapping from its first rows: a
gigabyte export is not held in the server process to preview it (the import,
in its worker, reads every row). The row count shown is still the file's."""

import duckdb
import openpyxl
from apptest_support import import_finished, rerun, start

from nps_core.ingest.importer import inspect

ROWS = 150_000


def export(path, rows: int = ROWS):
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'r' || i AS "Respondent ID", DATE '2025-01-01' + CAST(i % 300 AS INTEGER) AS Datum,
                             i % 11 AS Score, 'opmerking ' || (i % 97) AS Toelichting
                      FROM range({rows}) t(i)) TO '{path}' (HEADER)""")
    con.close()
    return path


def lines(path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh) - 1  # less the header


def test_a_big_csv_is_guessed_from_a_sample_and_counted_whole(tmp_path):
    path = export(tmp_path / "big.csv")
    full, _ = inspect(path)
    info, preview = inspect(path, sample=40_000)
    assert info.sampled == 40_000 and full.sampled is None
    assert info.rows == lines(path) == ROWS
    assert info.mapping == full.mapping and info.mapping["score"] == "Score"
    assert len(preview) == 20
    small, _ = inspect(path, sample=ROWS + 1)  # the whole file fits in the sample: nothing to say
    assert small.sampled is None and small.rows == ROWS


def test_an_excel_sheet_is_converted_only_as_far_as_the_sample(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "date", "score", "comment"])
    for i in range(300):
        sheet.append([i, f"2025-01-{i % 28 + 1:02d}", i % 11, "fine"])
    book.save(tmp_path / "export.xlsx")
    info, _ = inspect(tmp_path / "export.xlsx", sample=50)
    assert (info.sampled, info.rows) == (50, 300)  # the sheet's dimension record says 301 rows
    assert info.mapping["score"] == "score"


def test_upload_page_says_it_guessed_from_the_first_rows_and_imports_all(app_db, tmp_path, monkeypatch):
    monkeypatch.setattr("nps_core.ingest.importer.PREVIEW_SAMPLE", 40_000)
    data = export(tmp_path / "big.csv").read_bytes()
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("big.csv", data, "text/csv")
    rerun(at)
    assert not at.exception and not at.error
    assert any(f"{ROWS:,} rows" in s.value for s in at.success)
    assert "Columns guessed from the first 40,000 rows; the import reads every row." in [c.value for c in at.caption]
    at.selectbox(key="upload_type_False").set_value("transaction")
    rerun(at)
    at.button[0].click()  # Import
    import_finished(rerun(at))
    assert {m.label: m.value for m in at.metric}["Imported"] == f"{ROWS:,}"
