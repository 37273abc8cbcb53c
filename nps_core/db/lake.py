"""The shared store: DuckLake (docs/ARCHITECTURE.md, docs/team.md).

A DuckLake keeps its catalog in a database (PostgreSQL for a team) and its
data as Parquet files in a folder or object storage; many DuckDB processes on
many machines read and write it at once. Selected by a store spec

    ducklake:postgres:dbname=nps host=db.internal user=nps password=env:NPS_LAKE_PASSWORD data_path=/shared/nps/

(`NPS_STORE`, or `--db`): the catalog connection as DuckLake takes it, whose
values may be `env:VAR` / `secret:NAME` references as for sources (a password
is never written in the spec itself; PGPASSWORD and ~/.pgpass work too), and
`data_path=` the folder of the data files, or object storage:

    … data_path=s3://nps-lake/prod/ s3_key_id=env:NPS_S3_KEY s3_secret=env:NPS_S3_SECRET
      [s3_region=…] [s3_endpoint=http://minio.internal:9000] [s3_url_style=path]

read and written through httpfs with a DuckDB secret made in every connection
that attaches the lake (db/object_store.py, which also words its errors).

DuckLake has no PRIMARY KEY, UNIQUE, CHECK or sequences, so:

* the schema is the file store's with those clauses taken out (`lake_schema`);
* every write transaction first bumps the one row of `store_writes`, so two
  write transactions that overlap always conflict at commit (DuckLake's own
  conflict detection): writers are serialised like the file store's single
  writer, and the NOT EXISTS / max()+1 the writers use stay exact;
* the loser of a conflict gets StoreConflict; `retry_conflicts` re-runs a
  unit of work until it commits (importer, case updates, alerts, enrichment).

Readers and writers take a cursor on one DuckDB instance per process that
keeps the lake attached; each read() is one read transaction, so it sees
one snapshot (the latest when it began) throughout.

Every query on a lake table asks the catalog database for the table's files
(20–50 ms on PostgreSQL), so a page of ten queries took a second. Readers
therefore read local copies of the small tables every page reads and of the
rollup (`MIRRORED`), made once per lake snapshot in the process's instance;
the snapshot is looked up at most every `NPS_LAKE_SNAPSHOT_TTL` seconds
(default 0.5) and at once after this process's own writes. Another server's
write shows within that time; a reader's copies and its lake tables may then
be one commit apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shlex
import threading
import time
from pathlib import Path
from typing import Iterator, NamedTuple

import duckdb

from nps_core.base.access import LOCAL, Access
from nps_core.base.sql import quote_literal
from nps_core.db import duck, lifecycle, object_store, rollup
from nps_core.db.duck import READ_MEMORY, reader_spill
from nps_core.db.errors import LOCK_TIMEOUT, StoreConflict, StoreError, retry_conflicts
from nps_core.db.extensions import ExtensionMissing, load
from nps_core.db.object_store import ObjectStorage
from nps_core.db.schema import SCHEMA
from nps_core.db.scoped import enter_reader, leave_reader, scope_writer

PREFIX = "ducklake:"


class LakeConfigError(ValueError):
    """A DuckLake store spec that cannot be used."""


def lake_schema(schema: str = SCHEMA) -> str:
    """The file store's DDL without what DuckLake does not support (keys,
    CHECK, list defaults), plus the writers' guard row."""
    out = re.sub(r",\s*PRIMARY KEY \([^)]*\)", "", schema)
    out = re.sub(r" (PRIMARY KEY|UNIQUE)\b", "", out)
    out = re.sub(r" CHECK \((?:[^()]|\([^()]*\))*\)", "", out)
    out = re.sub(r" DEFAULT \[\]", "", out)
    return out + (
        "CREATE TABLE IF NOT EXISTS store_writes (n BIGINT NOT NULL);\n"
        "INSERT INTO store_writes SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM store_writes);\n"
    )


LAKE_SCHEMA = lake_schema()


class LakeSpec(NamedTuple):
    catalog: str  # the catalog connection as DuckLake takes it, references resolved
    data_path: str  # a folder, or s3://bucket/prefix/
    storage: ObjectStorage | None  # the object storage's secret, for an s3:// data path


def parse(spec: str) -> LakeSpec:
    """The catalog, data path and object storage of a spec, with env:/secret: values resolved."""
    from nps_core.db.connections import (  # sources import the store
        SourceError,
        resolve,
    )

    body = spec[len(PREFIX):]
    kind, sep, rest = body.partition(":")
    # a DuckDB-file catalog serves one process only: no use over the file store
    if not sep or kind not in ("postgres", "sqlite"):
        raise LakeConfigError("a DuckLake store is ducklake:postgres:KEY=VALUE … data_path=FOLDER "
                              "(or, for processes of one machine, ducklake:sqlite:FILE data_path=FOLDER)")
    try:
        words = shlex.split(rest)
    except ValueError as exc:
        raise LakeConfigError(f"the DuckLake store spec cannot be read: {exc}") from None
    data_path, kept, storage_options = None, [], {}
    for word in words:
        key, eq, value = word.partition("=")
        if eq and value.startswith(("env:", "secret:")):
            try:
                value = resolve(value, any_variable=True)  # the server's own configuration
            except SourceError as exc:
                raise LakeConfigError(str(exc)) from None
        elif key == "password" or key in object_store.CREDENTIALS:
            raise LakeConfigError(f"the store spec holds {'a password' if key == 'password' else key}, which "
                                  f"would be logged: use {key}=env:VAR or {key}=secret:NAME"
                                  + (", PGPASSWORD or ~/.pgpass" if key == "password" else ""))
        if key == "data_path":
            data_path = value
        elif key.startswith("s3_"):
            storage_options[key] = value
        else:
            kept.append(f"{key}={value}" if eq else word)
    if not data_path:
        raise LakeConfigError("the DuckLake store spec needs data_path=FOLDER or data_path=s3://BUCKET/PREFIX/ "
                              "(where the data files go)")
    try:
        storage = object_store.from_spec(data_path, storage_options)
    except ValueError as exc:
        raise LakeConfigError(str(exc)) from None
    return LakeSpec(f"{kind}:{' '.join(kept)}", data_path, storage)


class _Instances:
    """One DuckDB instance per process and lake, kept attached (attaching
    costs about a second); readers and writers each take a cursor, which is
    a transaction of its own."""

    def __init__(self):
        self._lock = threading.Lock()
        self._cons: dict[str, duckdb.DuckDBPyConnection] = {}
        self._mirrors: dict[str, _Mirror] = {}

    def mirror(self, store: "LakeStore") -> "_Mirror":
        """The local copies of this lake's MIRRORED tables (below)."""
        with self._lock:
            return self._mirrors.setdefault(store.spec, _Mirror())

    def cursor(self, store: "LakeStore") -> duckdb.DuckDBPyConnection:
        with self._lock:
            if lifecycle.exiting():
                raise StoreError("the process is exiting")
            con = self._cons.get(store.spec)
            if con is None:
                con = store.connect()
                if not self._cons:
                    lifecycle.on_exit(self.interrupt, self.close)
                self._cons[store.spec] = con
            cur = con.cursor()
        cur.execute(f"USE {store.ALIAS}")
        return cur

    def interrupt(self) -> None:
        """End the queries under way (the process exits: db/lifecycle.py)."""
        with self._lock:
            for con in self._cons.values():
                con.interrupt()

    def close(self) -> None:
        with self._lock:
            for con in self._cons.values():
                con.close()
            self._cons.clear()


_INSTANCES = _Instances()

MIRRORED = ("datasets", "settings", "sources", "dataset_columns", rollup.TABLE)
SNAPSHOT_TTL = float(os.environ.get("NPS_LAKE_SNAPSHOT_TTL", "0.5"))


class _Mirror:
    """The local copies of one lake's MIRRORED tables, at one snapshot."""

    def __init__(self):
        self.lock = threading.Lock()
        self.snapshot: int | None = None
        self.checked = 0.0  # time.monotonic() of the last snapshot lookup

    @staticmethod
    def table(snapshot: int, name: str) -> str:
        return f"memory.main.lake_{snapshot}_{name}"

    def current(self, cur, alias: str) -> int:
        """The snapshot to read (holding self.lock), its copies made."""
        now = time.monotonic()
        if self.snapshot is not None and now - self.checked < SNAPSHOT_TTL:
            return self.snapshot
        snapshot = cur.execute(f"SELECT id FROM {alias}.current_snapshot()").fetchone()[0]
        self.checked = now
        if snapshot != self.snapshot:
            for name in MIRRORED:
                cur.execute(f"CREATE OR REPLACE TABLE {self.table(snapshot, name)} AS "
                            f"SELECT * FROM {alias}.{name} AT (VERSION => {int(snapshot)})")
            # readers in flight keep seeing the old copies: DuckDB's catalog is transactional
            old, self.snapshot = self.snapshot, snapshot
            for name in MIRRORED if old is not None else ():
                cur.execute(f"DROP TABLE IF EXISTS {self.table(old, name)}")
        return snapshot

_SCHEMA_CURRENT: set[str] = set()
_IN_TRANSACTION: set[int] = set()  # connections inside transaction()


class LakeStore:
    """A DuckLake (see the module doc). Cheap to construct; `path` is a local
    place for what stays on this machine (rejects files, the alerts run lock)."""

    ALIAS = "store"

    def __init__(self, spec: str, lock_timeout: float | None = None, access: Access = LOCAL):
        self.spec = spec
        self.access = access  # as Store.access: what readers see, what writers may do
        self.catalog, self.data_path, self.storage = parse(spec)
        self.lock_timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        local = Path(os.environ.get("NPS_LOCAL_DIR") or "data")
        self.path = local / f"lake-{hashlib.sha1(spec.encode()).hexdigest()[:12]}"

    def __repr__(self) -> str:
        return f"LakeStore({self.spec!r})"

    # -- connections -------------------------------------------------------
    def _attach(self, con: duckdb.DuckDBPyConnection, alias: str, read_only: bool = False) -> None:
        from nps_core.db.connections import scrub  # sources import the store

        try:
            load(con, "ducklake")
            load(con, self.catalog.partition(":")[0])
            if self.storage:
                object_store.open_storage(con, self.storage)
        except ExtensionMissing as exc:
            raise LakeConfigError(str(exc)) from None
        options = f"DATA_PATH {quote_literal(self.data_path)}" + (", READ_ONLY" if read_only else "")
        try:
            con.execute(f"ATTACH {quote_literal(PREFIX + self.catalog)} AS {alias} ({options})")
        except duckdb.Error as exc:  # scrubbed: the catalog's connection error quotes its connection string
            raise LakeConfigError(f"cannot open the DuckLake store: {scrub(str(exc), self.catalog)}") from None

    def connect(self) -> duckdb.DuckDBPyConnection:
        # the process's lake instance: bounded like the file store's readers (duck.READ_MEMORY)
        con = duck.connect(memory_limit=READ_MEMORY, temp_directory=str(reader_spill()))
        try:
            self._attach(con, self.ALIAS)
        except BaseException:
            con.close()
            raise
        return con

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor in one read transaction: every query of the unit sees one
        snapshot, and the MIRRORED tables are its local copies (module doc)."""
        self.ensure_schema()
        cur = _INSTANCES.cursor(self)
        try:
            mirror = _INSTANCES.mirror(self)
            with object_store.reworded(self.storage):
                with mirror.lock:  # the copies cannot be dropped before this reader's transaction sees them
                    snapshot = mirror.current(cur, self.ALIAS)
                    cur.execute("BEGIN")
                    for name in MIRRORED:
                        cur.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS "
                                    f"SELECT * FROM {mirror.table(snapshot, name)}")
                enter_reader(self.access, cur, self.ALIAS)
                yield cur
        finally:
            leave_reader(cur)
            with contextlib.suppress(duckdb.Error):
                cur.execute("COMMIT")  # writes nothing, so makes no snapshot; keeps an attached source
            cur.close()

    @contextlib.contextmanager
    def transaction(self, con: duckdb.DuckDBPyConnection, guard: bool = True) -> Iterator[None]:
        """One write transaction; a conflict at commit raises StoreConflict.
        Inside write() (already one transaction) it adds nothing. Only
        creating the schema runs unguarded: the guard row comes with it."""
        if id(con) in _IN_TRANSACTION:
            yield
            return
        con.execute("BEGIN")
        _IN_TRANSACTION.add(id(con))
        try:
            with object_store.reworded(self.storage):  # the data files are written before the commit
                if guard:
                    con.execute("UPDATE store_writes SET n = n + 1")  # con is USE-ing the lake
                yield
                _IN_TRANSACTION.discard(id(con))
                con.execute("COMMIT")
            _INSTANCES.mirror(self).checked = 0.0  # this process's next read sees its own write
        except BaseException as exc:
            if id(con) in _IN_TRANSACTION:
                _IN_TRANSACTION.discard(id(con))
                with contextlib.suppress(duckdb.Error):  # an aborted transaction is gone already
                    con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error) and "conflict" in str(exc).lower():
                raise StoreConflict("another process changed the store at the same moment; "
                                    "nothing was saved, try again") from exc
            raise

    @contextlib.contextmanager
    def write(self, action: str | None = None, dataset: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
        """As Store.write: the role checked first, one transaction."""
        if action:
            self.access.require(action, dataset)
        self.ensure_schema()
        cur = _INSTANCES.cursor(self)
        try:
            with self.transaction(cur):
                scope_writer(self.access, cur, action, self.ALIAS)
                yield cur
        finally:
            cur.close()

    def attach_for_write(self, con: duckdb.DuckDBPyConnection, alias: str = "store") -> None:
        """Attach the lake to a (staging) connection; the caller's writes go
        through transaction(con)."""
        self.ensure_schema()
        self._attach(con, alias)
        con.execute(f"USE {alias}")

    def attach_for_read(self, con: duckdb.DuckDBPyConnection, alias: str) -> None:
        self._attach(con, alias, read_only=True)

    def let_go(self) -> None:
        """As Store.let_go: nothing to do, the lake's files are never locked by a reader."""

    def exists(self) -> bool:
        with self.read() as con:
            return bool(con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                "AND table_name = 'responses'").fetchone()[0])

    def ensure_schema(self) -> None:
        """Create what the lake lacks, once per process; racing processes
        conflict on the same CREATE and the loser finds it done."""
        if self.spec in _SCHEMA_CURRENT:
            return

        def create():
            cur = _INSTANCES.cursor(self)
            try:
                with self.transaction(cur, guard=False):
                    rollup.apply_schema(cur, LAKE_SCHEMA)
            finally:
                cur.close()

        retry_conflicts(create, self.lock_timeout)
        _SCHEMA_CURRENT.add(self.spec)

    def data_version(self) -> tuple:
        """The lake's current snapshot: a new one for every commit anywhere."""
        self.ensure_schema()
        cur = _INSTANCES.cursor(self)
        try:
            mirror = _INSTANCES.mirror(self)
            with mirror.lock, object_store.reworded(self.storage):
                return (self.spec, mirror.current(cur, self.ALIAS))
        finally:
            cur.close()

