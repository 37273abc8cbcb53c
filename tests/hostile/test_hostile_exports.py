"""Issue 19, item 5: a bare carriage return inside a comment must not start a
row in the CSV exports (a cell "=1+2" in readers that split on CR)."""

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from conftest import write_csv

from nps_core import cli
from nps_core.analysis import verbatims as vb
from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query
from nps_core.followup import loop
from nps_core.ingest.importer import import_file

EVIL = ["ok\r=1+2", "regel een\n@SUM(1)", "crlf\r\n+cmd|' /C calc'!A0", "plain"]


def split_records(text: str) -> list[list[str]]:
    """A reader written for this test: CR, LF and CRLF each end a record
    outside quotes (as old Mac-era readers and some importers do)."""
    records, fields, cell, quoted, i = [], [], [], False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1: i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            fields.append("".join(cell))
            cell = []
        elif ch in "\r\n":
            fields.append("".join(cell))
            records.append(fields)
            fields, cell = [], []
            if ch == "\r" and text[i + 1: i + 2] == "\n":
                i += 1
        else:
            cell.append(ch)
        i += 1
    if cell or fields:
        fields.append("".join(cell))
        records.append(fields)
    return records


def readers(data: bytes) -> dict[str, list[list[str]]]:
    """The export as rows of cells, by four readers."""
    text = data.decode("utf-8-sig")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    python_frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False,
                               engine="python")
    return {
        "split on CR/LF": split_records(text),
        "csv module": list(csv.reader(io.StringIO(text, newline=""))),
        "pandas": [list(frame.columns), *frame.values.tolist()],
        "pandas python engine": [list(python_frame.columns), *python_frame.values.tolist()],
    }


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_no_formula_rows(data: bytes, rows: int, comments: list[str]) -> None:
    for name, records in readers(data).items():
        assert len(records) == rows + 1, name  # header + one record per response
        cells = [c for r in records for c in r]
        # a negative number (a sentiment of -0.22) is data, not a formula
        assert not [c for c in cells if c and c[0] in "=+-@" and not _number(c)], name
        col = records[0].index("comment")
        # pandas reads a CR inside quotes as it is; the comment survives whole
        assert sorted(r[col] for r in records[1:]) == sorted(comments), name


@pytest.fixture
def crstore(store, tmp_path):
    rows = [{"response_id": f"r{i}", "responded_at": f"2025-03-0{i + 1} 10:00", "score": 10, "comment": c,
             "nps_type": "transaction", "customer_id": f"K{i}"} for i, c in enumerate(EVIL)]
    import_file(store, write_csv(tmp_path / "cr.csv", rows), dataset="cr")
    return store


def test_injection_verbatims_csv_quotes_bare_carriage_returns(crstore):
    data = vb.export(crstore, Filters(dataset="cr"), Query(), "csv")
    assert_no_formula_rows(data, len(EVIL), EVIL)


def test_injection_promoters_csv_quotes_bare_carriage_returns(crstore):
    march = Filters(dataset="cr", date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31))
    data = loop.export_promoters(crstore, march, "csv")
    assert_no_formula_rows(data, len(EVIL), EVIL)


def test_injection_rejects_and_cli_export_csv_keep_carriage_returns_inside_cells(crstore, tmp_path):
    """The other CSV files users open: the rejects report and `export --format csv`."""
    rows = [{"response_id": f"x{i}", "responded_at": "2025-03-09 10:00", "score": "elf", "comment": c,
             "nps_type": "transaction", "customer_id": "K"} for i, c in enumerate(EVIL)]
    result = import_file(crstore, write_csv(tmp_path / "bad.csv", rows), dataset="cr")
    assert result.rejected == len(EVIL)
    with open(result.rejects_file, "rb") as fh:
        assert_no_formula_rows(fh.read(), len(EVIL), EVIL)
    out = tmp_path / "export.csv"
    assert cli.main(["export", "--db", str(crstore.path), "--dataset", "cr", "--format", "csv", "--out", str(out)]) == 0
    assert_no_formula_rows(out.read_bytes(), len(EVIL), EVIL)
