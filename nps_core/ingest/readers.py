"""Turn whatever file an analyst drops in into a UTF-8 CSV DuckDB can read.

Encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1252, Latin-1, and
UTF-8 mixed with Windows-1252) and delimiter (`,` `;` tab `|`) are detected,
not asked. Excel workbooks are streamed row by row (openpyxl's read-only
mode: memory stays flat however long the sheet) into a CSV, first row as
header, up to EXCEL_MAX_ROWS data rows. Large CSVs are transcoded in 1 MB
chunks and then read by DuckDB itself, never row by row in Python. A file that is something else under a .csv name, is cut
short or is absurdly wide is refused up front with a reason naming it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import os
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from nps_core.base.sql import quote_ident
from nps_core.db import duck
from nps_core.db.errors import StoreError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t", "|")
CHUNK = 1 << 20
# Far more than any survey export; a file wider than this is a table on its
# side or not a table at all, and reading it would tie up DuckDB for minutes.
MAX_COLUMNS = 2000
MIXED = "utf-8+cp1252"  # the encoding of a file whose lines disagree
# Data rows of one Excel sheet: as many as Excel itself can hold (1,048,576 rows with the header), so
# every sheet Excel saves imports (a million rows take minutes to stream: CSV is read far faster).
# A sheet that says it is longer is refused before a row is read (env: tests use a small limit).
EXCEL_MAX_ROWS = 1_048_575
# The longest line a file may have (one response, its comment included), in bytes: far beyond any
# survey tool's longest comment. It is DuckDB's own default, stated: its reader's buffers grow with it
# (twice as much took 64 MB blocks, too much for an import's staging memory under a tight limit).
# Python's csv module, which reads the header and counts ragged rows, is allowed fields as long (its
# default, 131,072, raised a traceback).
MAX_LINE_BYTES = 2 << 20
csv.field_size_limit(MAX_LINE_BYTES)
# The header line: the column names, at most MAX_COLUMNS of them.
MAX_HEADER_CHARS = CHUNK


def excel_max_rows() -> int:
    return int(os.environ.get("NPS_EXCEL_MAX_ROWS") or EXCEL_MAX_ROWS)


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
    label: str = ""  # the user's file name, for messages
    columns: int | None = None  # fields on the header line (None: not counted, Excel)
    warnings: list[str] = field(default_factory=list)  # codes, worded in base/texts/
    options: str = ""  # the READ_OPTIONS that read it
    sheet_rows: int | None = None  # an Excel sheet's data rows by its dimension record (when converted in part)

    def cleanup(self) -> None:
        if self.temporary:
            self.csv_path.unlink(missing_ok=True)


def _open(path: Path, mode: str = "rb", **kwargs):
    """Plain or gzip-compressed (DuckDB reads .gz itself; we must look inside)."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, mode if "b" in mode else mode + "t", **kwargs)
    return open(path, mode, **kwargs)


# A character of more than one byte, valid UTF-8 (in Windows-1252 text these
# byte pairs would be the mojibake "Ã©", which nobody types).
UTF8_MULTIBYTE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")


def _cp1252_fallback(error: UnicodeDecodeError):
    """Codec error handler: bytes that are not UTF-8 read as Windows-1252 (Latin-1 for its five holes)."""
    bad = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), error.end


codecs.register_error("nps-cp1252", _cp1252_fallback)


def _detect_encoding(path: Path) -> str:
    with _open(path) as fh:
        start = fh.read(4)
    if start.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if start.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the BOM and the byte order from it
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with _open(path) as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    with _open(path) as fh:  # rows appended by two systems: each character in the encoding it is valid in
        while chunk := fh.read(CHUNK):
            if UTF8_MULTIBYTE.search(chunk):
                return MIXED
    try:  # Windows-1252 leaves five bytes undefined; Latin-1 takes anything
        with _open(path) as fh:
            decoder = codecs.getincrementaldecoder("cp1252")()
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _transcode(path: Path, encoding: str, workdir: Path | None) -> Path:
    fd, out = tempfile.mkstemp(suffix=".csv", prefix="nps-upload-", dir=workdir)
    codec, errors = ("utf-8", "nps-cp1252") if encoding == MIXED else (encoding, "strict")
    with _open(path, "r", encoding=codec, errors=errors, newline="") as src, \
            os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return Path(out)


def _header_line(path: Path) -> str:
    """The first line of a UTF-8 file, which names the columns (cut after MAX_HEADER_CHARS)."""
    with _open(path, "r", encoding="utf-8-sig", newline="") as fh:
        return fh.readline(MAX_HEADER_CHARS + 1)


def _check_header_length(header: str, label: str) -> None:
    if len(header) > MAX_HEADER_CHARS:
        raise UnreadableFile(f"{label}: its first line is longer than {MAX_HEADER_CHARS:,} characters; the first "
                             "line must be the header that names the columns")


def _check_width(header: str, label: str) -> None:
    """Refuse an absurdly wide file before DuckDB's sniffer spends minutes on it."""
    widest = max(header.count(d) for d in DELIMITERS) + 1
    if widest > MAX_COLUMNS:
        at_least = "at least " if not header.endswith("\n") else ""
        raise UnreadableFile(f"{label} has {at_least}{widest:,} columns; a file may have at most "
                             f"{MAX_COLUMNS:,} columns (is it a table turned on its side?)")


def _detect_delimiter(path: Path, header: str) -> str:
    """DuckDB's sniffer, limited to the delimiters exports use and to one the
    header holds: with ragged rows it prefers '|', which makes every row one
    consistent column."""
    con = duck.connect()
    try:
        found = con.execute("SELECT delimiter FROM sniff_csv(?, sample_size = 20480)", [str(path)]).fetchone()[0]
    except duckdb.Error:
        found = None
    finally:
        con.close()
    if found in DELIMITERS and (found in header or not any(d in header for d in DELIMITERS)):
        return found
    return max(DELIMITERS, key=header.count)  # fall back: most frequent on the header line


# What a file really is, from its first bytes, when its name says CSV.
MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or other Office file: save it as .xlsx or CSV"),
    (b"%PDF", "a PDF document, not a table: export the survey as CSV or Excel"),
    (b"\x1f\x8b", "gzip-compressed: give it a name ending in .csv.gz"),
)


def _check_kind(path: Path) -> None:
    """Refuse a file that is not what its name says, saying what it is."""
    with open(path, "rb") as fh:
        start = fh.read(8)
    suffix = path.suffix.lower()
    if start.startswith(b"PK\x03\x04") and suffix not in EXCEL_SUFFIXES:
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except zipfile.BadZipFile:
            names = []
        if "xl/workbook.xml" in names:
            what = "an Excel workbook: give it a name ending in .xlsx"
        elif any(n.startswith("word/") for n in names):
            what = "a Word document, not a table: export the survey as CSV or Excel"
        else:
            what = "a ZIP archive: unpack it and upload the file inside"
        raise UnreadableFile(f"{path.name} is {what}")
    for magic, what in MAGIC:
        if start.startswith(magic) and not (magic == b"\x1f\x8b" and suffix == ".gz"):
            raise UnreadableFile(f"{path.name} is {what}")


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


def _too_long(path: Path, rows: int, limit: int, at_least: bool = False) -> UnreadableFile:
    return UnreadableFile(
        f"{path.name} has {'more than ' if at_least else ''}{rows:,} data rows; an Excel sheet may have at most "
        f"{limit:,} (NPS_EXCEL_MAX_ROWS): export the survey as CSV, which has no such limit, or split it")


def _excel_to_csv(path: Path, workdir: Path | None, rows: int | None = None) -> tuple[Path, int | None]:
    """The first sheet as CSV (only its first `rows` data rows when given), and its
    data rows by the sheet's dimension record (None when it has none)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise UnreadableFile(f"cannot open {path.name} as an Excel workbook: {exc}") from exc
    sheet, limit = book.worksheets[0], excel_max_rows()
    # the sheet's <dimension> record, when it has one, tells its size before a row is read
    width, height = sheet.max_column or 0, sheet.max_row or 0
    if width > MAX_COLUMNS:
        book.close()
        raise UnreadableFile(f"{path.name} has {width:,} columns; a file may have at most {MAX_COLUMNS:,} columns")
    if height - 1 > limit:
        book.close()
        raise _too_long(path, height - 1, limit)
    fd, out = tempfile.mkstemp(suffix=".csv", prefix="nps-upload-", dir=workdir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
            writer = csv.writer(dst)
            written = 0
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                if any(c.strip() for c in cells):  # blank spreadsheet rows are not responses
                    written += 1
                    if written - 1 > limit:  # no (or a wrong) dimension record: counted as streamed
                        raise _too_long(path, limit, limit, at_least=True)
                    writer.writerow(cells)
                    if rows is not None and written > rows:
                        break
    except BaseException:
        os.unlink(out)
        raise
    finally:
        book.close()
    return Path(out), (height - 1 if height else None)


def prepare(path, workdir: Path | None = None, rows: int | None = None) -> Prepared:
    """`path` ready for read_csv; a converted copy goes in `workdir` (default: the
    temp folder), an import's staging folder, which is swept if the import is killed.
    With `rows`, an Excel sheet is converted only that far (for a preview)."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"no such file: {path}")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path.name} is empty")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        csv_path, sheet_rows = _excel_to_csv(path, workdir, rows)
        return Prepared(csv_path, "xlsx", ",", "excel", temporary=True, label=path.name, sheet_rows=sheet_rows)
    _check_kind(path)
    try:
        encoding = _detect_encoding(path)
        if encoding in ("utf-8", "utf-8-sig"):
            csv_path, temporary = path, False  # DuckDB skips a UTF-8 BOM itself
        else:
            csv_path, temporary = _transcode(path, encoding, workdir), True
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise UnreadableFile(f"{path.name} is a damaged or incomplete compressed file ({exc}); "
                             "compress or download it again") from exc
    prepared = Prepared(csv_path, encoding, ",", "csv", temporary, label=path.name,
                        warnings=["mixed_encoding"] if encoding == MIXED else [])
    try:
        header = _header_line(csv_path)
        _check_width(header, path.name)
        _check_header_length(header, path.name)
        prepared.delimiter = _detect_delimiter(csv_path, header)
        prepared.columns = len(next(csv.reader([header], delimiter=prepared.delimiter), []))
    except BaseException:
        prepared.cleanup()
        raise
    return prepared


# Strict and parallel first (fast on a million rows); a file with ragged rows
# or stray quotes gets the forgiving single-threaded reader instead.
READ_OPTIONS = (
    "",
    ", null_padding = true, strict_mode = false, parallel = false",
)



def _read_csv(options: str) -> str:
    return ("read_csv(?, all_varchar = true, header = true, skip = 0, delim = ?, quote = '\"', escape = '\"', "
            f"max_line_size = {MAX_LINE_BYTES}{options})")


def read_into(con, prepared: Prepared, table: str = "raw", limit: int | None = None) -> list[str]:
    """Create `table` (all text, `_row` = data row number) from the prepared file
    (its first `limit` rows only, when given).

    The rows are stored in file order (DuckDB preserves insertion order), so a
    row's number is its rowid + 1: a view adds it, where numbering them with
    a window took half the reading time of a 10-million-row file."""
    error = None
    stored = f"{table}_file"
    for options in READ_OPTIONS:
        try:
            con.execute(
                f"CREATE OR REPLACE TABLE {stored} AS SELECT * FROM {_read_csv(options)}"
                + (f" LIMIT {int(limit)}" if limit else ""),
                [str(prepared.csv_path), prepared.delimiter],
            )
            prepared.options = options
            columns = _without_overflow(con, prepared, stored)
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT rowid + 1 AS _row, * FROM {stored}")
            return columns
        except duckdb.OutOfMemoryException:
            raise  # not the file's fault: the forgiving reader would not fit either
        except duckdb.Error as exc:
            error = exc
    if "Maximum line size" in str(error):
        number, size = _longest_line(prepared.csv_path)
        raise UnreadableFile(f"{prepared.label}: line {number:,} is {size:,} bytes long; a line (one response) may "
                             f"be at most {MAX_LINE_BYTES:,} bytes") from error
    _refuse_overflow(prepared, *_overflow_rows(prepared))
    said = str(error).splitlines()[0].replace(str(prepared.csv_path), prepared.label)
    raise UnreadableFile(
        f"cannot read {prepared.label} as a table: some rows have more fields than the header, or quotes "
        f"that do not close (delimiter {prepared.delimiter!r}). DuckDB says: {said}"
    ) from error


def _longest_line(path: Path) -> tuple[int, int]:
    """(number, bytes) of the file's first line longer than MAX_LINE_BYTES (else its longest),
    read as a stream: the line itself is never held."""
    number, size, longest = 1, 0, (1, 0)
    with _open(path) as fh:
        while chunk := fh.read(CHUNK):
            for piece in chunk.split(b"\n")[:-1]:
                size += len(piece)
                longest = max(longest, (number, size), key=lambda x: x[1])
                if size > MAX_LINE_BYTES:
                    return number, size
                number, size = number + 1, 0
            size += len(chunk) - chunk.rfind(b"\n") - 1  # the unfinished line at the chunk's end
            if size > MAX_LINE_BYTES:
                return number, size
    return max(longest, (number, size), key=lambda x: x[1])


def count_rows(con, prepared: Prepared) -> int | None:
    """The file's data rows, counted as a stream (read_into read only part of it);
    None for an Excel sheet without a dimension record."""
    if prepared.kind == "excel":
        return prepared.sheet_rows
    return con.execute(f"SELECT count(*) FROM {_read_csv(prepared.options)}",
                       [str(prepared.csv_path), prepared.delimiter]).fetchone()[0]


def _overflow_rows(prepared: Prepared) -> tuple[int, int | None]:
    """(rows with more fields than the header, the first one's data row number),
    counted by Python's csv module when DuckDB cannot read the file at all."""
    if prepared.columns is None:
        return 0, None
    n, first = 0, None
    with _open(prepared.csv_path, "r", encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh, delimiter=prepared.delimiter)
        try:
            next(rows, None)
            for number, row in enumerate(rows, 1):
                if len(row) > prepared.columns:
                    n, first = n + 1, first or number
        except csv.Error:  # a quote that never closes: DuckDB's own message says more
            return 0, None
    return n, first


def _refuse_overflow(prepared: Prepared, n: int, first: int | None) -> None:
    if n:
        raise UnreadableFile(
            f"{prepared.label}: {n:,} row(s) have more fields than the {prepared.columns} of the header "
            f"(first: data row {first}, delimiter {prepared.delimiter!r}); put quotes around values that "
            "hold the delimiter"
        )


def _without_overflow(con, prepared: Prepared, table: str) -> list[str]:
    """The header's columns of `table`. The forgiving reader pads a row with
    more fields than the header into extra columns: refuse the file naming the
    first such row (its values would land under no header), or drop them
    when every row leaves them empty (a trailing delimiter)."""
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "_row"]
    if prepared.columns is None or len(columns) <= prepared.columns:
        return columns
    extra = columns[prepared.columns:]
    filled = " OR ".join(f"{quote_ident(c)} IS NOT NULL" for c in extra)
    _refuse_overflow(prepared, *con.execute(f"SELECT count(*), min(rowid) + 1 FROM {table} WHERE {filled}").fetchone())
    for c in extra:
        con.execute(f"ALTER TABLE {table} DROP COLUMN {quote_ident(c)}")
    return columns[:prepared.columns]
