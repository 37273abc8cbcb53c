"""The Connect page and `source add` cannot be turned into a file browser or an
environment reader, and a PostgreSQL source can neither hang nor write
(issue 19, item 7)."""

import os
import sqlite3
import time

import pytest
from apptest_support import rerun, start

from nps_core.db import connections
from nps_core.db.connections import SourceError
from nps_core.db.store import Store
from nps_core.sources.registry import add_source, inspect_source, list_tables


def _sqlite(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (id INTEGER, score INTEGER, submitted TEXT)")
        db.execute("INSERT INTO t VALUES (1, 9, '2025-11-03 10:00:00')")
    return path


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """allowed/ (NPS_SOURCE_DIRS) with a database; secret/ beside it with another;
    the store in data/."""
    allowed, secret = tmp_path / "allowed", tmp_path / "secret"
    _sqlite(allowed / "ok.sqlite")
    _sqlite(secret / "private.sqlite")
    monkeypatch.setenv("NPS_SOURCE_DIRS", str(allowed))
    monkeypatch.setenv("NPS_DB", str(tmp_path / "data" / "nps.duckdb"))
    return allowed, secret


def test_hostile_file_sources_are_off_until_a_folder_is_allowed(tmp_path, monkeypatch):
    monkeypatch.delenv("NPS_SOURCE_DIRS", raising=False)
    path = _sqlite(tmp_path / "x.sqlite")
    with pytest.raises(SourceError, match="file sources are switched off: set NPS_SOURCE_DIRS"):
        list_tables(f"sqlite:{path}")
    monkeypatch.setenv("NPS_SOURCE_DIRS", str(tmp_path))
    assert list_tables(f"sqlite:{path}") == ["t"]


def test_hostile_traversal_and_symlinks_out_of_the_allowed_folder_are_refused(folders):
    allowed, secret = folders
    assert list_tables(f"sqlite:{allowed / 'ok.sqlite'}") == ["t"]
    (allowed / "link.sqlite").symlink_to(secret / "private.sqlite")
    (allowed / "dir").symlink_to(secret)
    for ref in (f"sqlite:{secret / 'private.sqlite'}", f"sqlite:{allowed}/../secret/private.sqlite",
                f"{allowed}/../secret/private.sqlite", f"sqlite:{allowed / 'link.sqlite'}",
                f"parquet:{allowed / 'dir'}", "/etc/passwd", "sqlite:/etc/hostname"):
        with pytest.raises(SourceError, match="outside the folders allowed for file sources"):
            list_tables(ref)
    with pytest.raises(SourceError, match="outside the folders allowed"):
        inspect_source(f"sqlite:{secret / 'private.sqlite'}", table="t")


def test_hostile_the_store_and_its_folder_are_never_a_source(folders, tmp_path, monkeypatch):
    allowed, _ = folders
    monkeypatch.setenv("NPS_DB", str(allowed / "nps.duckdb"))  # even when it sits in an allowed folder
    store = Store(allowed / "nps.duckdb")
    with store.write() as con:
        con.execute("CREATE TABLE IF NOT EXISTS secret_table AS SELECT 1 AS x")
    (allowed / "sub").mkdir()
    (allowed / "sub" / "store.duckdb").symlink_to(allowed / "nps.duckdb")
    for ref in (f"duckdb:{allowed / 'nps.duckdb'}", f"{allowed / 'nps.duckdb'}", f"duckdb:{allowed / 'sub' / 'store.duckdb'}",
                f"duckdb:{allowed / 'sub' / '..' / 'nps.duckdb'}", f"parquet:{allowed}", f"parquet:{tmp_path}"):
        with pytest.raises(SourceError, match="dashboard's own data folder"):
            list_tables(ref)
    # and the store a command writes to (--db), wherever NPS_DB points
    monkeypatch.setenv("NPS_DB", str(tmp_path / "elsewhere" / "nps.duckdb"))
    assert list_tables(f"sqlite:{allowed / 'ok.sqlite'}") == ["t"]
    other = Store(allowed / "other.duckdb")
    with pytest.raises(SourceError, match="dashboard's own data folder"):
        add_source(other, "ok", f"sqlite:{allowed / 'ok.sqlite'}", table="t",
                   mapping={"score": "score", "responded_at": "submitted"}, nps_type="transaction")


def test_hostile_env_references_only_for_source_variables_and_values_never_shown(folders, monkeypatch):
    _, secret = folders
    monkeypatch.setenv("NPS_WEBHOOK_URL", "https://hooks.example/T0/secret-token")
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:hunter2@db/app")
    monkeypatch.setenv("NPS_SOURCE_URL_FILE", f"sqlite:{secret / 'private.sqlite'}")
    monkeypatch.setenv("NPS_SOURCE_URL_ODD", "/srv/hidden-name.txt")
    for ref, reason in (("env:NPS_WEBHOOK_URL", "only reads variables named NPS_SOURCE_URL"),
                        ("env:DATABASE_URL", "only reads variables named NPS_SOURCE_URL"),
                        ("env:HOME", "only reads variables named NPS_SOURCE_URL"),
                        ("env:NPS_SOURCE_URL_FILE", "env:NPS_SOURCE_URL_FILE is outside the folders allowed"),
                        ("env:NPS_SOURCE_URL_ODD", "outside the folders allowed")):
        with pytest.raises(SourceError, match=reason) as refused:
            list_tables(ref)
        for value in ("secret-token", "hunter2", "private.sqlite", "hidden-name", os.environ["HOME"]):
            assert value not in str(refused.value)
    assert "env:DATABASE_URL" not in connections.configured()


def test_hostile_connect_page_will_not_open_the_store(folders, tmp_path, monkeypatch, demo_db):
    allowed, secret = folders
    db = allowed / "app.duckdb"
    db.write_bytes(demo_db.read_bytes())
    monkeypatch.setenv("NPS_DB", str(db))
    at = start("sources", lang="en")
    for path in (str(db), f"sqlite:{secret / 'private.sqlite'}"):
        at.selectbox(key="connect_ref").set_value("\0other")
        at = rerun(at)
        at.text_input(key="connect_path").set_value(path)
        at = rerun(at)
        assert not at.exception
        [error] = [e.value for e in at.error]
        assert "data folder" in error or "outside the folders allowed" in error
        assert not at.dataframe or all("secret_table" not in str(d.value) for d in at.dataframe)
        assert not [s for s in at.selectbox if s.key == "connect_table"]  # no tables listed


# -- PostgreSQL -----------------------------------------------------------------
@pytest.fixture
def pg_hostile(pg_server):
    pg_server.execute("CREATE TABLE IF NOT EXISTS hostile_t (id integer, score integer, submitted timestamp)")
    pg_server.execute("DELETE FROM hostile_t")
    pg_server.execute("INSERT INTO hostile_t VALUES (1, 9, '2025-11-03 10:00')")
    return pg_server


@pytest.mark.pg
def test_hostile_postgres_statement_timeout(pg_hostile, monkeypatch):
    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg_hostile.add_reader("hostile_reader", "hostile-secret"))
    monkeypatch.setenv("NPS_SOURCE_TIMEOUT", "2")
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"did not answer within 2 s \(NPS_SOURCE_TIMEOUT\)"):
        inspect_source("env:NPS_SOURCE_URL_PG", query="SELECT pg_sleep(8) AS x")
    assert time.monotonic() - started < 7
    monkeypatch.setenv("NPS_SOURCE_TIMEOUT", "30")
    headers, _, preview = inspect_source("env:NPS_SOURCE_URL_PG", query="SELECT pg_sleep(0.1), 1 AS one")
    assert "one" in headers and preview["one"].tolist() == ["1"]


@pytest.mark.pg
def test_hostile_postgres_role_that_could_write_is_refused(pg_hostile, monkeypatch):
    pg_hostile.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'writer') THEN "
                       "CREATE ROLE writer LOGIN PASSWORD 'writer-secret'; END IF; END $$")
    pg_hostile.execute("GRANT SELECT, INSERT ON hostile_t TO writer")
    monkeypatch.setenv("NPS_SOURCE_URL_WRITER", pg_hostile.url("writer", "writer-secret"))
    monkeypatch.setenv("NPS_SOURCE_URL_SUPER", pg_hostile.url())
    with pytest.raises(SourceError, match="role may change public.hostile_t; connect with a role that may only read"):
        list_tables("env:NPS_SOURCE_URL_WRITER")
    with pytest.raises(SourceError, match="role is a superuser"):
        inspect_source("env:NPS_SOURCE_URL_SUPER", table="hostile_t")
    pg_hostile.execute("REVOKE INSERT ON hostile_t FROM writer")
    assert "hostile_t" in list_tables("env:NPS_SOURCE_URL_WRITER")  # now read-only: accepted
