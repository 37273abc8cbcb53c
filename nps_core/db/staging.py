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
import time
from pathlib import Path

from nps_core.db import duck

# Peak memory of one import; beyond it DuckDB spills to disk (env: tests use a small one to force spilling).
STAGING_MEMORY = os.environ.get("NPS_STAGING_MEMORY", "1GB")
LOCK_NAME = ".in-use"
ORPHAN_AGE = 3600  # seconds: a folder that never got its lock file is a leftover after this


def staging_root() -> Path:
    return Path(os.environ.get("NPS_STAGING_DIR") or Path(tempfile.gettempdir()) / "nps_staging")


def _claim(folder: Path):
    """Lock a new folder as in use: the lock file is locked under a temporary
    name and then renamed, so a sweep never sees `.in-use` unlocked."""
    fh = open(folder / (LOCK_NAME + ".new"), "w")
    fcntl.flock(fh, fcntl.LOCK_EX)
    os.rename(folder / (LOCK_NAME + ".new"), folder / LOCK_NAME)
    return fh


def _remove_if_abandoned(folder: Path) -> bool:
    """Remove `folder` when its import is gone: its lock file is not held, or it
    never got one and is old. A folder still being set up (young, no lock file yet)
    or in use stays."""
    lock = folder / LOCK_NAME
    if not lock.exists():
        if time.time() - folder.stat().st_mtime <= ORPHAN_AGE:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    with open(lock) as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live import
        shutil.rmtree(folder, ignore_errors=True)
        return True


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the spill folders of staging connections that are gone (killed imports)."""
    root = root or staging_root()
    removed = []
    if not root.is_dir():
        return removed
    for folder in root.iterdir():
        try:
            if folder.is_dir() and _remove_if_abandoned(folder):
                removed.append(folder)
        except OSError:
            continue  # being removed by its owner or another sweep
    return removed


class Staging:
    """A private staging database (`.con`) spilling to a folder of its own; close() removes both."""

    def __init__(self):
        root = staging_root()
        root.mkdir(parents=True, exist_ok=True)
        sweep(root)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        self._lock = _claim(self.folder)
        try:
            self.con = duck.connect(memory_limit=STAGING_MEMORY, temp_directory=str(self.folder))
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
