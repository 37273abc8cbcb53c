"""Every DuckDB connection the engine opens.

DuckDB's Python client draws a progress bar on stdout for a query over two
seconds: in the middle of the command line's --json output. It is off here.
"""

from __future__ import annotations

import duckdb


def connect(database: str = ":memory:", **config) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, without the progress bar (its cursors inherit that)."""
    con = duckdb.connect(database, config=config)
    con.execute("SET enable_progress_bar = false")  # a client setting: not accepted in config
    return con
