"""DuckDB extensions from their PyPI packages (duckdb-extension-NAME, pinned
to DuckDB's version in requirements.txt): nothing is downloaded at run time.
Loaded here: postgres and sqlite (sources, a lake's catalog), ducklake, and
httpfs for a lake's data on object storage (db/object_store.py)."""

from __future__ import annotations

import importlib.resources

import duckdb

from nps_core.base.sql import quote_literal


class ExtensionMissing(RuntimeError):
    """The extension's package is not installed."""


def load(con: duckdb.DuckDBPyConnection, ext: str) -> None:
    """Load extension `ext`, installing it from its package the first time."""
    try:
        con.execute(f"LOAD {ext}")
        return
    except duckdb.Error:
        pass
    package = f"duckdb_extension_{ext}"
    try:
        path = importlib.resources.files(package) / "extensions" / f"v{duckdb.__version__}" / f"{ext}.duckdb_extension"
    except ModuleNotFoundError:
        raise ExtensionMissing(f"DuckDB's {ext} extension is missing: pip install duckdb-extension-{ext}=="
                               f"{duckdb.__version__}") from None
    con.execute(f"INSTALL {quote_literal(str(path))}")
    con.execute(f"LOAD {ext}")
