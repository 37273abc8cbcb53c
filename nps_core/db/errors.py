"""What a unit of work on the store can end in, and the retry of a unit that
met another process's commit (a shared DuckLake store)."""

from __future__ import annotations

import functools
import os
import random
import time

# Seconds a unit of work waits for a lock (or retries a conflict) before it gives up.
LOCK_TIMEOUT = float(os.environ.get("NPS_LOCK_TIMEOUT", "30"))


class StoreBusy(RuntimeError):
    """The database stayed locked by another process for too long."""


class StoreConflict(StoreBusy):
    """Another process committed a change at the same moment (a shared
    DuckLake store); nothing of this unit of work was saved."""


def retry_conflicts(work, timeout: float | None = None):
    """Run `work()` again after a StoreConflict, with back-off, for up to
    `timeout` seconds; the file store never conflicts, so it runs once."""
    deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
    delay = 0.05
    while True:
        try:
            return work()
        except StoreConflict:
            if time.monotonic() >= deadline:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 1.0)


def retrying(fn):
    """`fn` run by retry_conflicts: a unit of work several servers may do at once."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        return retry_conflicts(lambda: fn(*args, **kwargs))
    return run


class StoreError(ValueError):
    """A request the store cannot answer (unknown dataset, column …)."""
