"""The DuckDB store: connections and the lock discipline (docs/ARCHITECTURE.md).

DuckDB lets one process write a database file, or several processes read it.
The dashboard (one server process, many browser sessions) and a scheduled
command-line import must both work, so:

* every connection is short-lived: opened for one unit of work, then closed;
* readers open the file read-only;
* a connection that meets a lock held by another process (or, inside one
  process, an open connection with the other mode) is retried with back-off
  for up to `lock_timeout` seconds, then fails with StoreBusy and a clear
  message instead of a traceback;
* writers go first: a writer that meets a lock leaves a marker beside the
  database (`<db>.writers/<pid>-…`) until it gets in, and while one is there
  readers of every process wait (up to their own lock timeout) before
  opening the file, so the file is released as soon as the current readers
  finish. Without this, overlapping readers of several dashboard processes
  keep it open for good and imports starve.
"""


from __future__ import annotations

import contextlib
import hashlib
import os
import random
import threading
import time
from pathlib import Path
from typing import Iterator

import duckdb

from nps_core import DEFAULT_DB
from nps_core.base.access import LOCAL, Access
from nps_core.base.sql import quote_literal
from nps_core.db import duck, lifecycle, rollup
from nps_core.db.duck import READ_MEMORY, reader_spill
from nps_core.db.errors import LOCK_TIMEOUT, StoreBusy, StoreError
from nps_core.db.schema import (
    ADDED_COLUMNS,
    SCHEMA,
    TABLES,
)
from nps_core.db.scoped import enter_reader, leave_reader, scope_writer

# Seconds a file stays attached for readers after the last one is done, unless
# a writer waits: the clicks of a dashboard session come in bursts, and each
# attach of a large file costs ~10 ms (0: detach at once).
READ_LINGER = float(os.environ.get("NPS_READ_LINGER", "1.0"))


_SCHEMA_CURRENT: set[str] = set()  # database files checked by this process


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return (
        "Could not set lock" in text  # another process holds the file
        or "Conflicting lock" in text
        or "different configuration" in text  # this process has it open in the other mode
        or "Unique file handle conflict" in text  # this process has it attached elsewhere
    )


class _ReadHub:
    """One in-memory DuckDB instance per process that readers share.

    Starting a DuckDB instance costs ~10 ms (it builds its function catalogue),
    a large part of a dashboard refresh. So readers take a cursor on this one
    instance, with the file ATTACHed read-only while at least one of them
    uses it and DETACHed (lock released) as soon as the last one is done.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users: dict[str, int] = {}
        self._attached: set[str] = set()  # files attached, in use or lingering
        self._idle_since: dict[str, int] = {}  # file -> generation of its pending detach
        # connected sources attached for the readers that use them (same refcounting)
        self._source_users: dict[str, int] = {}
        self._source_locks: dict[str, threading.Lock] = {}
        self._held: dict[int, list[str]] = {}
        self._cursors: set[duckdb.DuckDBPyConnection] = set()  # in use: interrupted at exit

    @staticmethod
    def alias(path: str) -> str:
        return "db_" + hashlib.sha1(path.encode()).hexdigest()[:16]

    def acquire(self, store: "Store") -> duckdb.DuckDBPyConnection:
        path = str(store.path.resolve())
        alias = self.alias(path)
        store.yield_to_writers()  # also joining an attachment in use: it must be able to end
        with self._lock:
            if lifecycle.exiting():
                raise StoreError("the process is exiting")
            if self._con is None:
                self._con = duck.connect(memory_limit=READ_MEMORY, temp_directory=str(reader_spill()))
                lifecycle.on_exit(self.interrupt, self.close)
            self._idle_since.pop(path, None)  # a lingering attachment is in use again
            if path not in self._attached:
                store._retry(
                    lambda: self._con.execute(f"ATTACH {quote_literal(path)} AS {alias} (READ_ONLY)")
                )
                self._attached.add(path)
            self._users[path] = self._users.get(path, 0) + 1
            cur = self._con.cursor()
            self._cursors.add(cur)
        try:
            cur.execute(f"USE {alias}")
        except BaseException:
            self.release(store, cur)
            raise
        return cur

    def attach_source(self, cur: duckdb.DuckDBPyConnection, alias: str, attach_sql: str) -> None:
        """Attach a source for this reader, once for all readers using it at the
        same time. Connecting may be slow (an unreachable host), so only the
        readers of this source wait, not every reader."""
        with self._lock:
            lock = self._source_locks.setdefault(alias, threading.Lock())
        with lock:
            if not self._source_users.get(alias):
                cur.execute(attach_sql)
            with self._lock:
                self._source_users[alias] = self._source_users.get(alias, 0) + 1
                self._held.setdefault(id(cur), []).append(alias)

    def _release_sources(self, cur: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            aliases = self._held.pop(id(cur), [])
        for alias in aliases:
            with self._source_locks[alias], self._lock:
                self._source_users[alias] -= 1
                if not self._source_users[alias]:
                    del self._source_users[alias]
                    if self._con is not None:  # else closed at exit, and the source with it
                        self._con.execute(f"DETACH {alias}")  # a customer's database is held no longer than a query

    def release(self, store: "Store", cur: duckdb.DuckDBPyConnection) -> None:
        path = str(store.path.resolve())
        cur.close()
        self._release_sources(cur)
        with self._lock:
            self._cursors.discard(cur)
            self._users[path] -= 1
            if self._users[path]:
                return
            del self._users[path]
            if READ_LINGER <= 0 or store.writer_waiting():
                self._detach(path)
                return
            generation = self._idle_since[path] = time.monotonic_ns()
        timer = threading.Timer(READ_LINGER, self._expire, [path, generation])
        timer.daemon = True
        timer.start()

    def _detach(self, path: str) -> None:
        """Detach an unused file (holding self._lock): its lock is free for writers."""
        self._idle_since.pop(path, None)
        if self._con is not None and path in self._attached and not self._users.get(path):
            self._attached.discard(path)
            self._con.execute(f"DETACH {self.alias(path)}")

    def _expire(self, path: str, generation: int) -> None:
        with self._lock:
            if self._idle_since.get(path) == generation:
                self._detach(path)

    def interrupt(self) -> None:
        """End every read under way (the process exits: db/lifecycle.py)."""
        with self._lock:
            for cur in self._cursors:
                cur.interrupt()

    def close(self) -> None:
        """Close the instance (after interrupt(), at exit)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def let_go(self, path: str) -> None:
        """Detach `path` now if no reader uses it: this process is about to write it."""
        with self._lock:
            self._detach(path)


_HUB = _ReadHub()
def attach_source(con: duckdb.DuckDBPyConnection, alias: str, attach_sql: str) -> None:
    """Attach a connected source to a reader from Store.read(), until it is released."""
    _HUB.attach_source(con, alias, attach_sql)


class Store:
    """One DuckDB file. Cheap to construct; holds no open connection.

    The store is chosen here: `path` (or else env NPS_STORE, NPS_DB, the
    default file) may be a DuckLake spec, `ducklake:…`, which gives the
    shared store of nps_core/db/lake.py with the same interface."""

    def __new__(cls, path: str | os.PathLike | None = None, lock_timeout: float | None = None,
                access: Access = LOCAL):
        spec = str(path or os.environ.get("NPS_STORE") or os.environ.get("NPS_DB") or DEFAULT_DB)
        if cls is Store and spec.startswith("ducklake:"):
            from nps_core.db.lake import LakeStore

            return LakeStore(spec, lock_timeout, access)
        return super().__new__(cls)

    def __init__(self, path: str | os.PathLike | None = None, lock_timeout: float | None = None,
                 access: Access = LOCAL):
        self.path = Path(path or os.environ.get("NPS_STORE") or os.environ.get("NPS_DB") or DEFAULT_DB)
        self.lock_timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        # whose store this is: what its readers see (db/scoped.py) and what its writers may do
        self.access = access

    @property
    def spec(self) -> str:
        """What Store(spec) opens again (a cache key across processes' caches)."""
        return str(self.path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections -------------------------------------------------------
    def _retry(self, open_fn, writer: bool = False):
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        marker = None
        try:
            while True:
                try:
                    return open_fn()
                except (duckdb.IOException, duckdb.ConnectionException, duckdb.BinderException) as exc:
                    if not _is_lock_error(exc):
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreBusy(
                            f"the database {self.path} is busy (another process is writing to it); "
                            f"gave up after {self.lock_timeout:.0f} s, try again in a moment"
                        ) from exc
                    if writer and marker is None:
                        marker = self._announce_writer()
                    # jitter so several waiting sessions do not retry in lockstep; a writer
                    # retries sooner, since readers hold back for it
                    time.sleep(delay * (0.5 + random.random()))
                    delay = min(delay * 2, 0.1 if writer else 0.5)
        finally:
            if marker is not None:
                marker.unlink(missing_ok=True)

    @property
    def _writers_dir(self) -> Path:
        return Path(str(self.path) + ".writers")

    def _announce_writer(self) -> Path:
        """A marker saying a writer of this process waits for the file."""
        self._writers_dir.mkdir(parents=True, exist_ok=True)
        marker = self._writers_dir / f"{os.getpid()}-{threading.get_ident()}-{random.getrandbits(32):08x}"
        marker.touch()
        return marker

    def writer_waiting(self) -> bool:
        """Whether a live writer waits for the file (markers of dead processes are removed)."""
        try:
            names = os.listdir(self._writers_dir)
        except FileNotFoundError:
            return False
        for name in names:
            try:
                os.kill(int(name.split("-", 1)[0]), 0)
                return True
            except ProcessLookupError:  # left by a writer that was killed
                (self._writers_dir / name).unlink(missing_ok=True)
            except (ValueError, PermissionError):
                return True  # not ours to judge: a process of another user is alive
        return False

    def yield_to_writers(self) -> None:
        """Before a reader opens the file: wait while a writer waits for it,
        at most this store's lock timeout (then read anyway)."""
        deadline = time.monotonic() + self.lock_timeout
        while self.writer_waiting() and time.monotonic() < deadline:
            time.sleep(0.01)

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-only connection (the file stays attached only while in use)."""
        if not self.path.exists():
            raise StoreError(f"no database at {self.path}")
        cur = _HUB.acquire(self)
        try:
            enter_reader(self.access, cur, _HUB.alias(str(self.path.resolve())))
            yield cur
        finally:
            leave_reader(cur)
            _HUB.release(self, cur)

    @contextlib.contextmanager
    def write(self, action: str | None = None, dataset: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-write connection with the schema in place.

        `action` (access.ACTIONS) is checked against this store's role and
        `dataset` against its scope first. For an action on single responses
        (access.ROW_ACTIONS) `responses` and `datasets` on the connection are
        then the scope's, so the change reaches only rows in scope."""
        if action:
            self.access.require(action, dataset)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _HUB.let_go(str(self.path.resolve()))
        con = self._retry(lambda: duck.connect(str(self.path)), writer=True)
        try:
            rollup.apply_schema(con, SCHEMA)
            scope_writer(self.access, con, action, con.execute("SELECT current_database()").fetchone()[0])
            yield con
        finally:
            con.close()

    def let_go(self) -> None:
        """Detach the file from this process's readers now (they keep it
        attached READ_LINGER seconds), before something outside the Store opens it."""
        _HUB.let_go(str(self.path.resolve()))

    def attach_for_write(self, con: duckdb.DuckDBPyConnection, alias: str = "store") -> None:
        """Attach this store to a (staging) connection, with the lock retry."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _HUB.let_go(str(self.path.resolve()))
        # ATTACH takes no bound parameters: the path goes in as a quoted literal
        self._retry(lambda: con.execute(f"ATTACH {quote_literal(str(self.path))} AS {alias}"), writer=True)
        con.execute(f"USE {alias}")
        rollup.apply_schema(con, SCHEMA)

    def attach_for_read(self, con: duckdb.DuckDBPyConnection, alias: str) -> None:
        self._retry(lambda: con.execute(f"ATTACH {quote_literal(str(self.path))} AS {alias} (READ_ONLY)"))

    @contextlib.contextmanager
    def transaction(self, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
        """One write transaction on a connection attach_for_write() prepared."""
        con.execute("BEGIN")
        try:
            yield
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def exists(self) -> bool:
        return self.path.exists()

    def ensure_schema(self) -> None:
        """Create the tables and columns a database made by an older version
        lacks. Readers attach read-only, so one write does it; checked once per
        process and file (callers on hot paths pay one set lookup)."""
        key = str(self.path.resolve())
        if key in _SCHEMA_CURRENT:
            return
        with self.read() as con:
            tables, columns = con.execute(
                "SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                "        AND list_contains(?, table_name)), "
                "       (SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
                "        AND list_contains(?, table_name || '.' || column_name))", [list(TABLES), list(ADDED_COLUMNS)]
            ).fetchone()
        if tables < len(TABLES) or columns < len(ADDED_COLUMNS):
            with self.write():
                pass  # write() runs the schema
        _SCHEMA_CURRENT.add(key)

    def data_version(self) -> tuple:
        """Changes whenever the file is written; a cache key that needs no lock."""
        parts = []
        for p in (self.path, Path(str(self.path) + ".wal")):
            try:
                st = p.stat()
                parts.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                parts.append(None)
        return (str(self.path.resolve()), *parts)


