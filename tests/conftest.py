import csv
import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# the tests live in groups (engine, pages, e2e, hostile, corpus) and share helpers in support/;
# a few import another group's helpers by module name, so every group is on the path
for _group in ("support", "engine", "pages", "e2e", "hostile", "corpus"):
    sys.path.insert(1, str(ROOT / "tests" / _group))

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.jobs.demo import DEMO_DATASET, DEMO_FILE

ARTIFACTS = ROOT / "test-artifacts"
PG_FIXTURES = {"pg_server", "pg", "pg_base"}


def pytest_collection_modifyitems(items):
    """Tier by what a test needs: anything that starts PostgreSQL is `pg`
    (the fast tier is -m "not e2e and not pg and not slow")."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if PG_FIXTURES & set(getattr(item, "fixturenames", ())) or "postgres" in params.values():
            item.add_marker(pytest.mark.pg)


# The hardening tests (issue 24: `pytest -k "hostile or concurrent or …"`) may not skip: what they
# need (Chromium, PostgreSQL, the receivers) is installed by run-tests.sh, so a skip is a failure.
HARDENING = ("hostile", "concurrent", "traversal", "poison", "injection", "masking", "killed", "exit")
_skipped_hardening: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and any(word in report.nodeid.lower() for word in HARDENING):
        _skipped_hardening.append(f"{report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")


def pytest_sessionfinish(session, exitstatus):
    if _skipped_hardening:
        print("\nhardening tests may not skip:\n  " + "\n  ".join(_skipped_hardening))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def write_csv(path: Path, rows: list[dict], delimiter=",") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "nps.duckdb", lock_timeout=5)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo dataset imported once into a database file for the session."""
    path = tmp_path_factory.mktemp("demo") / "nps.duckdb"
    import_file(Store(path), DEMO_FILE, dataset=DEMO_DATASET)
    return path


@pytest.fixture
def demo_store(demo_db, tmp_path) -> Store:
    """A private copy of the demo database (tests may write to it)."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return Store(path, lock_timeout=5)


@pytest.fixture(scope="session")
def demo_frame():
    """The demo CSV read with plain pandas: the independent reference."""
    import pandas as pd

    df = pd.read_csv(DEMO_FILE, dtype=str, keep_default_na=False)
    df["score"] = df["score"].astype(int)
    df["responded_at"] = pd.to_datetime(df["responded_at"])
    return df


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_db(demo_db, tmp_path, monkeypatch) -> Store:
    """A copy of the demo database that the app under AppTest uses (NPS_DB)."""
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("NPS_DB", str(path))
    return Store(path)


@pytest.fixture
def env_db(monkeypatch, tmp_path):
    """Point NPS_DB at a fresh file for code that reads the environment."""
    path = tmp_path / "env.duckdb"
    monkeypatch.setenv("NPS_DB", str(path))
    return path


def pytest_configure(config):
    ARTIFACTS.mkdir(exist_ok=True)
    os.environ.setdefault("NPS_LOCK_TIMEOUT", "20")
    # no background cache warm-up (ui/warmup.py) in the app under test: tests/pages/test_warmup.py runs it itself
    os.environ.setdefault("NPS_WARMUP", "0")


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for the session (tests/support/pg_server.py)."""
    from pg_server import PgServer

    server = PgServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto, signatures checked) behind a switch (tests/support/s3_server.py)."""
    from s3_server import S3Server

    server = S3Server()
    yield server
    server.close()


@pytest.fixture
def smtp():
    """make(**kw) -> (mailbox, port): real SMTP servers (tests/support/receivers.py), stopped afterwards."""
    import receivers

    made = []

    def make(**kw):
        box, controller = receivers.start(**kw)
        made.append(controller)
        return box, controller.port

    yield make
    for c in made:
        c.stop()


@pytest.fixture
def webhook():
    """make(**kw) -> a real webhook receiver (tests/support/receivers.py), closed afterwards."""
    import receivers

    made = []

    def make(**kw):
        made.append(receivers.Webhook(**kw))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def quick_retries(monkeypatch):
    """The outbox's back-off in milliseconds, so a retry comes within the test."""
    from nps_core.followup import outbox

    monkeypatch.setattr(outbox, "BACKOFF", 0.05)
