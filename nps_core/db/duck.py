"""Every DuckDB connection the engine opens.

DuckDB's Python client draws a progress bar on stdout for a query over two
seconds: in the middle of the command line's --json output. It is off here.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

from nps_core.db import lifecycle

# Memory of the readers of one server process together; a larger sort or join
# spills to a folder of its own (issue 17: the engine stays under 1 GB at ten
# million responses).
READ_MEMORY = os.environ.get("NPS_READ_MEMORY", "512MB")
SPILL_PREFIX = "nps_reader_"


def connect(database: str = ":memory:", **config) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, without the progress bar (its cursors inherit that)."""
    con = duckdb.connect(database, config=config)
    con.execute("SET enable_progress_bar = false")  # a client setting: not accepted in config
    return con


@functools.lru_cache(maxsize=1)
def reader_spill() -> Path:
    """This process's spill folder for readers (DuckDB's spill files of two
    processes must not share one); folders of processes that are gone are removed.
    DuckDB makes the folder when a query first spills, so a process killed
    before that (an import worker) leaves nothing behind."""
    temp = Path(tempfile.gettempdir())
    for folder in temp.glob(f"{SPILL_PREFIX}*"):
        try:
            os.kill(int(folder.name.removeprefix(SPILL_PREFIX)), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            continue  # not a process id, or another user's live process
    mine = temp / f"{SPILL_PREFIX}{os.getpid()}"
    lifecycle.on_exit(close=lambda: shutil.rmtree(mine, ignore_errors=True))  # after the instances using it close
    return mine
