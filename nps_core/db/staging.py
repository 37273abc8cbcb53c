"""The private in-memory DuckDB an import stages a file in, with its own spill folder.

DuckDB spills to `temp_directory` when a staging database outgrows its memory
limit. Two imports sharing one folder overwrite each other's spill files: one
crashes, the other silently stores wrong values. So every staging connection
gets a folder of its own under `<tmp>/nps_staging/`, holds an exclusive lock
on it while in use and removes it when closed. A folder whose lock nobody
holds belongs to an import that was killed; the next staging connection
removes it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

# Peak memory of one import; beyond it DuckDB spills to disk (env: tests use a small one to force spilling).
STAGING_MEMORY = os.environ.get("NPS_STAGING_MEMORY", "1GB")
LOCK_NAME = ".in-use"


def staging_root() -> Path:
    return Path(os.environ.get("NPS_STAGING_DIR") or Path(tempfile.gettempdir()) / "nps_staging")


def _lock(folder: Path, blocking: bool):
    """An exclusive lock on `folder` (an open file; closing it releases the lock), or None when held."""
    fh = open(folder / LOCK_NAME, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        fh.close()
        return None
    return fh


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the spill folders of staging connections that are gone (killed imports)."""
    root = root or staging_root()
    removed = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        try:
            held = _lock(folder, blocking=False)
        except OSError:
            continue  # being removed by its owner or another sweep
        if held is None:
            continue  # a live import
        shutil.rmtree(folder, ignore_errors=True)
        held.close()
        removed.append(folder)
    return removed


class Staging:
    """A private staging database (`.con`) spilling to a folder of its own; close() removes both."""

    def __init__(self):
        root = staging_root()
        root.mkdir(parents=True, exist_ok=True)
        sweep(root)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        self._lock = _lock(self.folder, blocking=True)
        try:
            self.con = duckdb.connect(
                config={"memory_limit": STAGING_MEMORY, "temp_directory": str(self.folder)}
            )
        except BaseException:
            self._remove()
            raise

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._lock.close()

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            self._remove()

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
