"""The DuckDB store: schema, connections and the lock discipline.

DuckDB lets one process write a database file, or several processes read it.
The dashboard (one server process, many browser sessions) and a scheduled
command-line import must both work, so:

* every connection is short-lived: opened for one unit of work, then closed;
* readers open the file read-only;
* a connection that meets a lock held by another process (or, inside one
  process, an open connection with the other mode) is retried with back-off
  for up to `lock_timeout` seconds, then fails with StoreBusy and a clear
  message instead of a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import re
import threading
import time
from pathlib import Path
from typing import Iterator

import duckdb

from nps_core import DEFAULT_DB

NPS_TYPES = ("relationship", "transaction", "product")

# Canonical record (DESIGN.md). Dimensions are the optional text fields a
# user can break NPS down by; any extra column of a dataset joins them.
DIMENSIONS = ("touchpoint", "product", "channel", "region", "agent")
CANONICAL = (
    "response_id",
    "responded_at",
    "score",
    "comment",
    "nps_type",
    *DIMENSIONS,
    "customer_id",
)
# Canonical fields stored as text as they come (no parsing, no validation).
TEXT_FIELDS = ("comment", *DIMENSIONS, "customer_id")
# Columns of `responses` that are bookkeeping, never user dimensions.
INTERNAL = ("dataset", "import_id")

LOCK_TIMEOUT = float(os.environ.get("NPS_LOCK_TIMEOUT", "30"))

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS datasets (
    name VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    source VARCHAR
);
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    source VARCHAR,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    "read" BIGINT, imported BIGINT, duplicates BIGINT, rejected BIGINT,
    reasons JSON,
    rejects_file VARCHAR
);
CREATE TABLE IF NOT EXISTS responses (
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    responded_at TIMESTAMP NOT NULL,
    score TINYINT NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment VARCHAR,
    nps_type VARCHAR NOT NULL CHECK (nps_type IN {NPS_TYPES!r}),
    touchpoint VARCHAR, product VARCHAR, channel VARCHAR, region VARCHAR, agent VARCHAR,
    customer_id VARCHAR,
    import_id INTEGER
);
-- Extra columns of a file are real columns of `responses`; this records which
-- dataset has which, so each dataset offers only its own as dimensions.
CREATE TABLE IF NOT EXISTS dataset_columns (
    dataset VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    data_type VARCHAR NOT NULL,
    source_header VARCHAR,
    PRIMARY KEY (dataset, column_name)
);
-- Enrichment is computed once per distinct comment text (keyed by its md5)
-- and shared by every response and dataset that has that text.
CREATE TABLE IF NOT EXISTS enrichment (
    comment_key VARCHAR PRIMARY KEY,
    comment VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    sentiment DOUBLE NOT NULL,
    themes VARCHAR[] NOT NULL,
    taxonomy_version INTEGER NOT NULL
);
-- A dataset whose theme taxonomy was edited keeps it here, and the tags of
-- its comments in dataset_themes, which take precedence over enrichment.themes.
CREATE TABLE IF NOT EXISTS taxonomies (
    dataset VARCHAR PRIMARY KEY,
    body JSON NOT NULL,
    version INTEGER NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS dataset_themes (
    dataset VARCHAR NOT NULL,
    comment_key VARCHAR NOT NULL,
    themes VARCHAR[] NOT NULL,
    PRIMARY KEY (dataset, comment_key)
);
CREATE TABLE IF NOT EXISTS rejects (
    import_id INTEGER NOT NULL,
    row_number BIGINT,
    reason VARCHAR NOT NULL,
    raw JSON
);
-- Closing the loop (nps_core/alerts.py, followup.py, notify.py).
-- A rule marks a response critical: score in [score_min, score_max], or a
-- detractor whose comment's sentiment is at most sentiment_max; narrowed by
-- themes (any of), programme types and dimension values (dims: JSON
-- {{column: [values]}}). Rules are switched off, never deleted, so cases
-- and sent alerts keep pointing at them.
CREATE SEQUENCE IF NOT EXISTS alert_rule_ids;
CREATE TABLE IF NOT EXISTS alert_rules (
    rule_id INTEGER PRIMARY KEY DEFAULT nextval('alert_rule_ids'),
    name VARCHAR NOT NULL UNIQUE,
    dataset VARCHAR,
    score_min TINYINT NOT NULL, score_max TINYINT NOT NULL,
    sentiment_max DOUBLE,
    themes VARCHAR[] NOT NULL DEFAULT [],
    nps_types VARCHAR[] NOT NULL DEFAULT [],
    dims JSON NOT NULL DEFAULT '{{}}',
    recipient VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
-- the default rule, once per database (a store whose rules were all edited keeps them)
INSERT INTO alert_rules (name, score_min, score_max, sentiment_max, recipient, channel)
    SELECT 'critical', 0, 3, -0.5, 'Customer service', 'webhook'
    WHERE NOT EXISTS (SELECT 1 FROM alert_rules);
-- Every change to a case (a critical response) is a new row: the history is
-- append-only and a case's current state is its latest row.
CREATE SEQUENCE IF NOT EXISTS case_event_ids;
CREATE TABLE IF NOT EXISTS case_events (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('case_event_ids'),
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('new', 'contacted', 'resolved', 'no_action')),
    owner VARCHAR,
    note VARCHAR,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS promoter_thanks (
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    thanked_by VARCHAR NOT NULL,
    thanked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (dataset, response_id)
);
-- One row per alert (response x channel): the record of what was sent.
-- status: pending -> sending (claimed, attempt counted) -> sent | failed
-- (retried after next_attempt_at) | gave_up. See nps_core/notify.py.
CREATE TABLE IF NOT EXISTS alert_outbox (
    alert_id VARCHAR PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    recipients VARCHAR NOT NULL,
    rules VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP,
    claimed_at TIMESTAMP,
    sent_at TIMESTAMP,
    last_error VARCHAR
);
-- Connected databases (nps_core/sources.py). `url_ref` is env:VAR, secret:NAME
-- or a URL/path without password: a password is never stored.
CREATE TABLE IF NOT EXISTS sources (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    url_ref VARCHAR NOT NULL,
    table_name VARCHAR,
    query VARCHAR,
    mapping JSON NOT NULL,
    headers JSON NOT NULL,
    nps_type VARCHAR,
    date_order VARCHAR NOT NULL,
    mode VARCHAR NOT NULL CHECK (mode IN ('live', 'snapshot')),
    cursor_column VARCHAR,
    cursor_value VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    refreshed_at TIMESTAMP
);
"""
# the tables SCHEMA creates: a database made by an older version lacks some
TABLES = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA))
_SCHEMA_CURRENT: set[str] = set()  # database files checked by this process


class StoreBusy(RuntimeError):
    """The database stayed locked by another process for too long."""


class StoreError(ValueError):
    """A request the store cannot answer (unknown dataset, column …)."""


def quote_ident(name: str) -> str:
    """Quote an identifier for SQL; user column names always go through here."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal, for the few statements that take no parameters."""
    return "'" + text.replace("'", "''") + "'"


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
        # connected sources attached for the readers that use them (same refcounting)
        self._source_users: dict[str, int] = {}
        self._source_locks: dict[str, threading.Lock] = {}
        self._held: dict[int, list[str]] = {}

    @staticmethod
    def alias(path: str) -> str:
        return "db_" + hashlib.sha1(path.encode()).hexdigest()[:16]

    def acquire(self, store: "Store") -> duckdb.DuckDBPyConnection:
        path = str(store.path.resolve())
        alias = self.alias(path)
        with self._lock:
            if self._con is None:
                self._con = duckdb.connect()
            if not self._users.get(path):
                store._retry(
                    lambda: self._con.execute(f"ATTACH {quote_literal(path)} AS {alias} (READ_ONLY)")
                )
            self._users[path] = self._users.get(path, 0) + 1
            cur = self._con.cursor()
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
                    self._con.execute(f"DETACH {alias}")  # a customer's database is held no longer than a query

    def release(self, store: "Store", cur: duckdb.DuckDBPyConnection) -> None:
        path = str(store.path.resolve())
        cur.close()
        self._release_sources(cur)
        with self._lock:
            self._users[path] -= 1
            if not self._users[path]:
                del self._users[path]
                self._con.execute(f"DETACH {self.alias(path)}")


_HUB = _ReadHub()


def attach_source(con: duckdb.DuckDBPyConnection, alias: str, attach_sql: str) -> None:
    """Attach a connected source to a reader from Store.read(), until it is released."""
    _HUB.attach_source(con, alias, attach_sql)


class Store:
    """One DuckDB file. Cheap to construct; holds no open connection."""

    def __init__(self, path: str | os.PathLike | None = None, lock_timeout: float | None = None):
        self.path = Path(path or os.environ.get("NPS_DB") or DEFAULT_DB)
        self.lock_timeout = LOCK_TIMEOUT if lock_timeout is None else lock_timeout

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections -------------------------------------------------------
    def _retry(self, open_fn):
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
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
                # jitter so several waiting sessions do not retry in lockstep
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.5)

    @contextlib.contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-only connection (the file stays attached only while in use)."""
        if not self.path.exists():
            raise StoreError(f"no database at {self.path}")
        cur = _HUB.acquire(self)
        try:
            yield cur
        finally:
            _HUB.release(self, cur)

    @contextlib.contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-write connection with the schema in place."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._retry(lambda: duckdb.connect(str(self.path)))
        try:
            con.execute(SCHEMA)
            yield con
        finally:
            con.close()

    def attach_for_write(self, con: duckdb.DuckDBPyConnection, alias: str = "store") -> None:
        """Attach this store to a (staging) connection, with the lock retry."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # ATTACH takes no bound parameters: the path goes in as a quoted literal
        self._retry(lambda: con.execute(f"ATTACH {quote_literal(str(self.path))} AS {alias}"))
        con.execute(f"USE {alias}")
        con.execute(SCHEMA)

    def exists(self) -> bool:
        return self.path.exists()

    def ensure_schema(self) -> None:
        """Create the tables a database made by an older version lacks.
        Readers attach read-only, so one write does it; checked once per
        process and file (callers on hot paths pay one set lookup)."""
        key = str(self.path.resolve())
        if key in _SCHEMA_CURRENT:
            return
        with self.read() as con:
            present = con.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                "AND list_contains(?, table_name)", [list(TABLES)]
            ).fetchone()[0]
        if present < len(TABLES):
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


# -- catalogue queries (take an open connection) ----------------------------
def dataset_names(con) -> list[str]:
    """Datasets, the most recently imported first."""
    rows = con.execute(
        """SELECT d.name FROM datasets d
           LEFT JOIN (SELECT dataset, max(import_id) AS last FROM imports GROUP BY dataset) i
             ON i.dataset = d.name
           ORDER BY i.last DESC NULLS LAST, d.updated_at DESC, d.name"""
    ).fetchall()
    return [r[0] for r in rows]


def resolve_dataset(con, name: str | None) -> str:
    names = dataset_names(con)
    if name is None:
        if not names:
            raise StoreError("the database holds no dataset yet; import a file first")
        return names[0]
    if name not in names:
        known = ", ".join(names) or "none"
        raise StoreError(f"unknown dataset {name!r} (known: {known})")
    return name


def extra_columns(con, dataset: str) -> dict[str, str]:
    """Extra (non-canonical) columns of a dataset and their DuckDB types."""
    rows = con.execute(
        "SELECT column_name, data_type FROM dataset_columns WHERE dataset = ? ORDER BY column_name",
        [dataset],
    ).fetchall()
    return dict(rows)


def groupable_columns(con, dataset: str) -> list[str]:
    """Columns a filter or breakdown may name in this dataset (no data scan)."""
    return [*DIMENSIONS, *(c for c, t in extra_columns(con, dataset).items() if t == "VARCHAR")]


_SAFE_NAME = re.compile(r"[^0-9a-z_]+")


def column_name_for(header: str) -> str:
    """Storage name of an extra column: lower snake case, never a reserved name."""
    name = _SAFE_NAME.sub("_", header.strip().lower()).strip("_") or "column"
    if name[0].isdigit():
        name = "c_" + name
    if name in CANONICAL or name in INTERNAL:
        name = "extra_" + name
    return name
