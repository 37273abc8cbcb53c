"""A corpus of awkward real-world exports. Each file is written here byte for
byte; the expected counts and NPS are worked out by hand in the comments."""

import csv
import datetime as dt

import openpyxl
import pytest

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.db.datasets import delete_dataset, list_datasets
from nps_core.db.errors import StoreError
from nps_core.ingest.importer import import_file, inspect
from nps_core.ingest.rules import ImportRefused


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def counts(res):
    return res.read, res.imported, res.duplicates, res.rejected


def nps(store, dataset):
    return round(agg.summary(store, Filters(dataset=dataset)).nps, 1)


def test_semicolon_windows1252_dutch_headers_day_first(store, tmp_path):
    text = (
        "Respondent ID;Datum ingevuld;Hoe waarschijnlijk is het dat u ons aanbeveelt?;Toelichting;Kanaal;Omzet\r\n"
        "1;31-12-2024 14:05;10;Café was top, €5 korting!;e-mail;1.234,50\r\n"
        "2;01-02-2025;9;Snelle levering;app;99,95\r\n"
        "3;02-01-2025 09:00;6;Te duur;e-mail;10\r\n"
        "4;15-01-2025;8;;winkel;0,5\r\n"
        "5;10-01-2025;3;Slechte service, geen reactie;telefoon;250\r\n"
    )
    path = write(tmp_path / "export_nl.csv", text, "cp1252")
    info, preview = inspect(path)
    assert (info.encoding, info.delimiter, info.date_order) == ("cp1252", ";", "dmy")
    assert info.mapping["score"].startswith("Hoe waarschijnlijk")
    assert info.mapping["comment"] == "Toelichting" and info.mapping["channel"] == "Kanaal"
    assert preview.iloc[0]["Toelichting"] == "Café was top, €5 korting!"
    res = import_file(store, path, nps_type="transaction")
    assert counts(res) == (5, 5, 0, 0)
    # 10, 9 promoters; 8 passive; 6, 3 detractors: (2 - 2) / 5 = 0.0
    assert nps(store, "export_nl") == 0.0
    with store.read() as con:
        rows = dict(con.execute("SELECT response_id, responded_at FROM responses").fetchall())
        assert rows["2"] == dt.datetime(2025, 2, 1)  # 01-02-2025 is 1 February: day first
        assert con.execute("SELECT sum(omzet) FROM responses").fetchone()[0] == pytest.approx(1594.95)
        assert con.execute("SELECT comment FROM responses WHERE response_id = '1'").fetchone()[0] == \
            "Café was top, €5 korting!"


def test_comma_bom_month_names_multiline_comments(store, tmp_path):
    text = (
        "\ufeffSubmitted At,How likely are you to recommend us to a friend?,Why?,Programme\n"
        '18th June 2024,10,"Great staff.\nWill come back!",relationship\n'
        '3 maart 2025,7,"Prima, maar ""duur""",relatie\n'
        '"June 5, 2024",2,"Line one\nline two\nline three",transaction\n'
        "1e mei 2025 10:30,9,,transactie\n"
    )
    path = write(tmp_path / "survey_en.csv", text)
    info, _ = inspect(path)
    assert info.encoding == "utf-8-sig" and info.delimiter == ","
    assert info.mapping == {"responded_at": "Submitted At", "comment": "Why?", "nps_type": "Programme",
                            "score": "How likely are you to recommend us to a friend?"}
    res = import_file(store, path)
    assert counts(res) == (4, 4, 0, 0)
    # promoters 10, 9; passive 7; detractor 2: (2 - 1) / 4 = 25.0
    assert nps(store, "survey_en") == 25.0
    with store.read() as con:
        got = dict(con.execute("SELECT CAST(responded_at AS DATE), comment FROM responses").fetchall())
    assert got[dt.date(2024, 6, 18)] == "Great staff.\nWill come back!"
    assert got[dt.date(2025, 3, 3)] == 'Prima, maar "duur"'
    assert got[dt.date(2024, 6, 5)] == "Line one\nline two\nline three"
    assert dt.date(2025, 5, 1) in got
    assert agg.summary(store, Filters(nps_types=("relationship",))).n == 2


def test_junk_rows_are_rejected_with_reasons(store, tmp_path):
    rows = [
        ("a1", "2025-03-01", "10"), ("a2", "2025-03-01", "9,0"), ("a3", "2025-03-02", " 7 "),
        ("a4", "2025-03-02", "0"), ("a5", "2025-03-03", "tien"), ("a6", "2025-03-03", "404"),
        ("a7", "2025-03-04", ""), ("a8", "2025-03-04", "11"), ("a9", "2025-03-05", "-1"),
        ("a10", "gisteren", "8"), ("a11", "", "8"), ("a12", "2025-03-06", "8,5"), ("Totaal", "", "n.v.t."),
    ]
    path = tmp_path / "junk.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "date", "score"])
        w.writerows(rows)
    res = import_file(store, path, nps_type="product", rejects_dir=tmp_path / "rej")
    assert counts(res) == (13, 4, 0, 9)
    assert res.reasons == {"score not a number": 2, "score out of range": 3, "score missing": 1,
                           "date unreadable": 1, "date missing": 1, "score not a whole number": 1}
    # imported: 10 and 9,0 promoters; 7 passive; 0 detractor: (2 - 1) / 4 = 25.0
    assert nps(store, "junk") == 25.0
    with open(res.rejects_file, encoding="utf-8-sig", newline="") as fh:
        rejected = {r["id"]: (r["reject_reason"], r["score"]) for r in csv.DictReader(fh)}
    assert rejected == {
        "a5": ("score not a number", "tien"), "a6": ("score out of range", "404"),
        "a7": ("score missing", ""), "a8": ("score out of range", "11"), "a9": ("score out of range", "-1"),
        "a10": ("date unreadable", "8"), "a11": ("date missing", "8"),
        "a12": ("score not a whole number", "8,5"), "Totaal": ("score not a number", "n.v.t."),
    }


def test_excel_workbook_with_real_dates_and_serials(store, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Response ID", "Date", "NPS", "Comment", "Touchpoint"])
    sheet.append(["x1", dt.datetime(2025, 4, 1, 9, 30), 10, "Top!", "webshop"])
    sheet.append(["x2", dt.date(2025, 4, 2), 9.0, "Snel, 9 van de 10", "delivery"])
    sheet.append(["x3", 45750, 4, "Te laat", "delivery"])  # Excel serial 45750: 45658 is 1 Jan 2025, +92 days = 3 April
    sheet.append([None, None, None, None, None])  # an empty spreadsheet row is not a response
    sheet.append(["x4", "07-04-2025", "tien", "", "webshop"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    res = import_file(store, path, nps_type="transaction")
    assert counts(res) == (4, 3, 0, 1) and res.reasons == {"score not a number": 1}
    # 10, 9 promoters; 4 detractor: (2 - 1) / 3 = 33.3
    assert nps(store, "export") == 33.3
    with store.read() as con:
        dates = dict(con.execute("SELECT response_id, responded_at FROM responses").fetchall())
        comment = con.execute("SELECT comment FROM responses WHERE response_id = 'x2'").fetchone()[0]
    assert dates == {"x1": dt.datetime(2025, 4, 1, 9, 30), "x2": dt.datetime(2025, 4, 2),
                     "x3": dt.datetime(2025, 4, 3)}
    assert comment == "Snel, 9 van de 10"


def test_response_ids_reimported_and_overlapping_export(store, tmp_path):
    head = "response_id,responded_at,score,nps_type\n"
    first = write(tmp_path / "week1.csv", head + "".join(f"r{i},2025-05-0{1 + i % 5},{i % 11},product\n"
                                                          for i in range(20)))
    assert counts(import_file(store, first, dataset="weekly")) == (20, 20, 0, 0)
    assert counts(import_file(store, first, dataset="weekly")) == (20, 0, 20, 0)
    # the next export overlaps: r10..r19 again plus r20..r29 new
    second = write(tmp_path / "week2.csv", head + "".join(f"r{i},2025-05-0{1 + i % 5},{i % 11},product\n"
                                                           for i in range(10, 30)))
    assert counts(import_file(store, second, dataset="weekly")) == (20, 10, 10, 0)
    assert agg.summary(store, Filters(dataset="weekly")).n == 30


def test_file_without_a_score_column_is_refused(store, tmp_path):
    path = write(tmp_path / "noscore.csv", "Datum;Opmerking;Klant\n01-03-2025;Prima geholpen;Jansen\n"
                                           "02-03-2025;Top;de Vries\n")
    with pytest.raises(ImportRefused, match="no column for score"):
        import_file(store, path, nps_type="relationship")
    assert not store.exists() or list_datasets(store) == []


@pytest.mark.parametrize("delimiter,name", [("\t", "tabs.tsv"), ("|", "pipes.txt")])
def test_tab_and_pipe_delimited(store, tmp_path, delimiter, name):
    lines = ["  Score  ", " Date ", "Feedback"], ["9", "2025-06-01", "fijn"], ["3", "2025-06-02", "  slecht  "]
    path = write(tmp_path / name, "\n".join(delimiter.join(r) for r in lines) + "\n")
    info, _ = inspect(path)
    assert info.delimiter == delimiter
    res = import_file(store, path, nps_type="transaction", dataset="d")
    assert counts(res) == (2, 2, 0, 0) and nps(store, "d") == 0.0
    with store.read() as con:
        assert con.execute("SELECT comment FROM responses WHERE score = 3").fetchone()[0] == "slecht"


def test_month_first_when_the_data_proves_it_and_override(store, tmp_path):
    us = write(tmp_path / "us.csv", "date,score\n06/18/2024 3:05 PM,10\n01/02/2024 10:00 AM,0\n")
    info, _ = inspect(us)
    assert info.date_order == "mdy" and not info.date_order_ambiguous
    import_file(store, us, nps_type="product", dataset="us")
    with store.read() as con:
        got = sorted(r[0] for r in con.execute("SELECT responded_at FROM responses WHERE dataset = 'us'").fetchall())
    assert got == [dt.datetime(2024, 1, 2, 10, 0), dt.datetime(2024, 6, 18, 15, 5)]
    # every value reads both ways: day-first by default, month-first on request
    amb = write(tmp_path / "amb.csv", "date,score\n01/02/2025,9\n03/04/2025,9\n")
    info, _ = inspect(amb)
    assert info.date_order == "dmy" and info.date_order_ambiguous
    import_file(store, amb, nps_type="product", dataset="amb", date_order="mdy")
    with store.read() as con:
        got = sorted(r[0].date() for r in con.execute(
            "SELECT responded_at FROM responses WHERE dataset = 'amb'").fetchall())
    assert got == [dt.date(2025, 1, 2), dt.date(2025, 3, 4)]


def test_scores_on_a_one_to_ten_scale_are_valid(store, tmp_path):
    path = write(tmp_path / "oneten.csv", "date,score\n" + "".join(f"2025-07-01,{s}\n" for s in range(1, 11)))
    res = import_file(store, path, nps_type="relationship")
    # 1..10: promoters 9, 10; passives 7, 8; detractors 1..6: (2 - 6) / 10 = -40.0
    assert counts(res) == (10, 10, 0, 0) and nps(store, "oneten") == -40.0


def test_delete_a_dataset_leaves_the_others(store, tmp_path):
    a = write(tmp_path / "a.csv", "date,score,extra_a\n2025-01-01,9,1\n")
    b = write(tmp_path / "b.csv", "date,score,extra_b\n2025-01-01,3,x\n")
    import_file(store, a, nps_type="product")
    import_file(store, b, nps_type="product")
    delete_dataset(store, "a")
    assert [d["name"] for d in list_datasets(store)] == ["b"]
    assert agg.summary(store, Filters(dataset="b")).n == 1
    with store.read() as con:
        cols = {r[0] for r in con.execute("DESCRIBE responses").fetchall()}
    assert "extra_a" not in cols and "extra_b" in cols
    with pytest.raises(StoreError, match="unknown dataset"):
        delete_dataset(store, "a")
