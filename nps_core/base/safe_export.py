"""Files people open in a spreadsheet must not run formulas hidden in customer text."""

from __future__ import annotations

import csv
import io
import os

import pandas as pd
import pyarrow.csv as pacsv

from nps_core.base.sql import quote_ident

# A cell starting with one of these is a formula in Excel / LibreOffice / Sheets.
FORMULA_START = "=+-@\t\r"


def safe_cell(value):
    """Prefix a text cell that would start a formula with an apostrophe (OWASP).

    Plain numbers such as -3 stay numbers.
    """
    if isinstance(value, str) and value[:1] in FORMULA_START:
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


# A CSV's field and decimal separators per language: Excel in Dutch splits a CSV on ";" and reads
# "0,61" as a number (its list separator is ";" where the decimal separator is ","); in English ",".
CSV_SEPARATORS = {"nl": (";", ","), "en": (",", ".")}


def spreadsheet(df, fmt: str, sheet: str, lang: str = "en") -> bytes:
    """A frame of responses (or audit entries) as CSV (UTF-8 with BOM so Excel
    reads accents; the separators that Excel in `lang` expects) or Excel, every
    text cell formula-safe; times to the minute."""
    df = df.copy()
    times = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
    for c in times:
        df[c] = df[c].dt.strftime("%Y-%m-%d %H:%M")
    text = [c for c in df.columns if c not in ("score", *times)]
    df[text] = df[text].astype(object).map(safe_cell)
    if fmt == "csv":
        # CRLF rows: QUOTE_MINIMAL quotes every field holding a character of the
        # line terminator, so a bare CR or LF inside a comment stays inside its
        # cell instead of starting a row (a "=1+2" cell) in readers that split on CR.
        sep, decimal = CSV_SEPARATORS.get(lang, CSV_SEPARATORS["en"])
        return df.to_csv(index=False, sep=sep, decimal=decimal, quoting=csv.QUOTE_MINIMAL,
                         lineterminator="\r\n").encode("utf-8-sig")
    if fmt == "xlsx":
        buf = io.BytesIO()
        df.to_excel(buf, index=False, sheet_name=sheet, engine="openpyxl")
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def safe_text_sql(column: str, table: str | None = None) -> str:
    """SQL version of safe_cell for a text column, keeping the column name."""
    name = quote_ident(column)
    q = f"{table}.{name}" if table else name
    return (
        f"CASE WHEN regexp_matches({q}, '^[=+\\-@\\t\\r]') AND TRY_CAST({q} AS DOUBLE) IS NULL "
        f"THEN '''' || {q} ELSE {q} END AS {name}"
    )


def write_csv(con, select_sql: str, params, out: str | os.PathLike) -> None:
    """Write a query result to CSV (UTF-8 with BOM so Excel reads accents)."""
    rel = con.execute(select_sql, params).to_arrow_table()
    with open(out, "wb") as fh:
        fh.write("\ufeff".encode())
        pacsv.write_csv(rel, fh)
