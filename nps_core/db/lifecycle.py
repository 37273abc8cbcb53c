"""What lives as long as the process (the readers' shared DuckDB instance, a
lake's attached instance, background threads that read the store) and its
orderly end before the interpreter exits.

A DuckDB call still running in a thread while Python finalizes aborts the
whole process ("terminate called without an active exception", exit 134):
the dashboard's cache warm-up did so at the end of AppTest runs, and on
SIGTERM (uvicorn, under st.App, turns SIGTERM into a normal exit). So at exit,
in this order: `exiting()` turns true, so background loops stop at their next
step; every registered connection is interrupted, so a query under way ends
at once; the background threads are waited for; then the registered closers
run (connections close, spill folders go).
"""

from __future__ import annotations

import atexit
import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)

EXIT_WAIT = 10.0  # seconds the background threads get to notice, all together
_exiting = threading.Event()
_lock = threading.Lock()
_threads: list[threading.Thread] = []
_interrupts: list[Callable[[], None]] = []
_closers: list[Callable[[], None]] = []


def exiting() -> bool:
    """True once the process has begun to exit: background work stops."""
    return _exiting.is_set()


def background(target: Callable, *args, name: str) -> threading.Thread:
    """Start `target(*args)` in a daemon thread that the exit waits for."""
    thread = threading.Thread(target=target, args=args, name=name, daemon=True)
    with _lock:
        _threads[:] = [t for t in _threads if t.is_alive()] + [thread]
    thread.start()
    return thread


def on_exit(interrupt: Callable[[], None] | None = None, close: Callable[[], None] | None = None) -> None:
    """Register a long-lived connection or folder: `interrupt()` ends its
    queries under way, `close()` closes it once no background thread runs
    any more (closers run last registered first: a connection registered
    after its spill folder closes before the folder goes)."""
    with _lock:
        _interrupts.extend([interrupt] if interrupt else [])
        _closers.extend([close] if close else [])


def _run(steps: list[Callable[[], None]]) -> None:
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - the exit goes on; say what did not close
            log.warning("at exit: %s failed", step, exc_info=True)


def shutdown() -> None:
    """The orderly end (atexit runs it; tests call it too). Safe to call twice."""
    _exiting.set()
    with _lock:
        threads, interrupts, closers = list(_threads), list(_interrupts), list(_closers)
        _interrupts.clear()
        _closers.clear()
    _run(interrupts)
    for thread in threads:
        thread.join(timeout=EXIT_WAIT / max(len(threads), 1))
    _run(closers[::-1])


atexit.register(shutdown)
