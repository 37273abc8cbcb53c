"""Turn whatever file an analyst drops in into a UTF-8 CSV DuckDB can read.

Encoding (UTF-8, UTF-8 with BOM, Windows-1252, Latin-1) and delimiter
(`,` `;` tab `|`) are detected, not asked. Excel workbooks are converted
sheet-first-row-as-header. Large CSVs are transcoded in 1 MB chunks and then
read by DuckDB itself, never row by row in Python.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from nps_core.db.store import StoreError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t", "|")
CHUNK = 1 << 20


class UnreadableFile(StoreError):
    pass


@dataclass
class Prepared:
    """A file ready for read_csv: where it is and what was detected."""

    csv_path: Path
    encoding: str
    delimiter: str
    kind: str  # csv or excel
    temporary: bool = False

    def cleanup(self) -> None:
        if self.temporary:
            self.csv_path.unlink(missing_ok=True)


def _open(path: Path, mode: str = "rb", **kwargs):
    """Plain or gzip-compressed (DuckDB reads .gz itself; we must look inside)."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, mode if "b" in mode else mode + "t", **kwargs)
    return open(path, mode, **kwargs)


def _detect_encoding(path: Path) -> str:
    with _open(path) as fh:
        if fh.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _open(path) as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Windows-1252 leaves five bytes undefined; Latin-1 takes anything
        with _open(path) as fh:
            decoder = codecs.getincrementaldecoder("cp1252")()
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _transcode(path: Path, encoding: str) -> Path:
    fd, out = tempfile.mkstemp(suffix=".csv", prefix="nps-upload-")
    with _open(path, "r", encoding=encoding, newline="") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return Path(out)


def _detect_delimiter(path: Path) -> str:
    """DuckDB's sniffer, limited to the delimiters exports use."""
    con = duckdb.connect()
    try:
        found = con.execute("SELECT delimiter FROM sniff_csv(?, sample_size = 20480)", [str(path)]).fetchone()[0]
    except duckdb.Error:
        found = None
    finally:
        con.close()
    if found in DELIMITERS:
        return found
    with _open(path, "r", encoding="utf-8", newline="") as fh:  # fall back: most frequent on the header line
        header = fh.readline()
    return max(DELIMITERS, key=header.count)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_to_csv(path: Path) -> Path:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise UnreadableFile(f"cannot open {path.name} as an Excel workbook: {exc}") from exc
    fd, out = tempfile.mkstemp(suffix=".csv", prefix="nps-upload-")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        for row in book.worksheets[0].iter_rows(values_only=True):
            cells = [_cell(v) for v in row]
            if any(c.strip() for c in cells):  # blank spreadsheet rows are not responses
                writer.writerow(cells)
    book.close()
    return Path(out)


def prepare(path) -> Prepared:
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path.name} is empty")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return Prepared(_excel_to_csv(path), "xlsx", ",", "excel", temporary=True)
    encoding = _detect_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        csv_path, temporary = path, False  # DuckDB skips a UTF-8 BOM itself
    else:
        csv_path, temporary = _transcode(path, encoding), True
    return Prepared(csv_path, encoding, _detect_delimiter(csv_path), "csv", temporary)


# Strict and parallel first (fast on a million rows); a file with ragged rows
# or stray quotes gets the forgiving single-threaded reader instead.
READ_OPTIONS = (
    "",
    ", null_padding = true, strict_mode = false, parallel = false",
)



def read_into(con, prepared: Prepared, table: str = "raw") -> list[str]:
    """Create `table` (all text, `_row` = data row number) from the prepared file."""
    error = None
    for options in READ_OPTIONS:
        try:
            con.execute(
                f"CREATE OR REPLACE TABLE {table} AS SELECT row_number() OVER () AS _row, * FROM read_csv(?, "
                "all_varchar = true, header = true, skip = 0, delim = ?, quote = '\"', escape = '\"', "
                f"sample_size = -1{options})",
                [str(prepared.csv_path), prepared.delimiter],
            )
            return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "_row"]
        except duckdb.Error as exc:
            error = exc
    raise UnreadableFile(
        "cannot read the file as a table: some rows have more fields than the header, or quotes that "
        f"do not close (delimiter {prepared.delimiter!r}). DuckDB says: {str(error).splitlines()[0]}"
    ) from error
