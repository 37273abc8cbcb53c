"""Imports at the same time, in processes and in threads, store exactly what a lone import stores.

Each import stages its file in a private DuckDB that spills to disk beyond its
memory limit; when two imports shared one spill folder they overwrote each
other's spill files (a segmentation fault, or silently wrong rows). A small
staging memory limit (NPS_STAGING_MEMORY) makes these imports spill as a
2-million-row file does at the default limit.
"""

import os
import random
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT

from nps_core.db import staging
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file

pytestmark = pytest.mark.slow

ROWS = 300_000
SMALL_MEMORY = "256MB"
WORDS = "snel vriendelijk duur pakket levering wachten prima slecht helpful late refund app".split()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    rnd = random.Random(7)
    path = tmp_path_factory.mktemp("big") / "big.csv"
    comments = [" ".join(rnd.choices(WORDS, k=8)) for _ in range(40)]  # few distinct: enrichment stays quick
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("response_id,responded_at,score,comment,nps_type,touchpoint,region,note\n")
        for i in range(ROWS):
            fh.write(f"r{i},2025-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d},{i % 11},"
                     f"{comments[i % 40]},transaction,tp{i % 7},reg{i % 5},{rnd.random():.12f}x{i}\n")
    return path


def rows_of(path) -> list[tuple]:
    with Store(path).read() as con:
        return con.execute(
            "SELECT * EXCLUDE (import_id) FROM responses ORDER BY dataset, response_id"
        ).fetchall()


@pytest.fixture(scope="module")
def lone(big_csv, tmp_path_factory):
    """The reference: the same file imported with nothing else running."""
    path = tmp_path_factory.mktemp("lone") / "lone.duckdb"
    import_file(Store(path), big_csv, dataset="big")
    rows = rows_of(path)
    assert len(rows) == ROWS
    return rows


IMPORT = "import sys; from nps_core.ingest.importer import import_file; from nps_core.db.store import Store; " \
         "import_file(Store(sys.argv[1]), sys.argv[2], dataset='big')"


def test_concurrent_imports_in_processes_match_a_lone_import(big_csv, lone, tmp_path):
    env = {**os.environ, "NPS_STAGING_MEMORY": SMALL_MEMORY, "NPS_STAGING_DIR": str(tmp_path / "spill")}
    targets = [tmp_path / f"p{k}.duckdb" for k in range(2)]
    procs = [subprocess.Popen([sys.executable, "-c", IMPORT, str(t), str(big_csv)], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True) for t in targets]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    for target in targets:
        assert rows_of(target) == lone
    assert list((tmp_path / "spill").iterdir()) == []  # every spill folder removed


def test_concurrent_imports_into_one_store_in_processes(big_csv, lone, tmp_path):
    """Two processes import the same file into one store: the store ends with the rows once."""
    env = {**os.environ, "NPS_STAGING_MEMORY": SMALL_MEMORY, "NPS_STAGING_DIR": str(tmp_path / "spill")}
    target = tmp_path / "one.duckdb"
    procs = [subprocess.Popen([sys.executable, "-c", IMPORT, str(target), str(big_csv)], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert rows_of(target) == lone


def test_concurrent_imports_in_threads_match_a_lone_import(big_csv, lone, tmp_path, monkeypatch):
    """What two Upload pages of one dashboard server do."""
    monkeypatch.setattr(staging, "STAGING_MEMORY", SMALL_MEMORY)
    monkeypatch.setenv("NPS_STAGING_DIR", str(tmp_path / "spill"))
    targets = [tmp_path / f"t{k}.duckdb" for k in range(2)]
    errors = []

    def run(target):
        try:
            import_file(Store(target), big_csv, dataset="big")
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for target in targets:
        assert rows_of(target) == lone
    assert list((tmp_path / "spill").iterdir()) == []


def test_a_killed_imports_spill_folder_is_removed_by_the_next_import(tmp_path, monkeypatch):
    """A folder whose lock nobody holds (its import was killed) goes at the next staging;
    a live one stays, and so does one still being set up (no lock file yet, young)."""
    monkeypatch.setenv("NPS_STAGING_DIR", str(tmp_path / "spill"))
    killed = tmp_path / "spill" / "12345-killed"
    killed.mkdir(parents=True)
    (killed / staging.LOCK_NAME).touch()  # its process died, so nothing holds the lock
    (killed / "duckdb_temp_block-1.block").write_bytes(b"x" * 1024)
    starting, stale = tmp_path / "spill" / "1-starting", tmp_path / "spill" / "2-stale"
    starting.mkdir()
    stale.mkdir()
    old = time.time() - staging.ORPHAN_AGE - 60
    os.utime(stale, (old, old))
    live = staging.Staging()
    try:
        with staging.Staging() as other:
            assert not killed.exists() and not stale.exists() and starting.exists()
            assert live.folder.exists() and other.folder.exists()
        assert not other.folder.exists()
        assert live.folder.exists()
    finally:
        live.close()
    assert list((tmp_path / "spill").iterdir()) == [starting]


def test_concurrent_staging_and_sweeps_never_remove_a_live_folder(tmp_path, monkeypatch):
    """Many staging connections opening while others sweep: none loses its folder."""
    monkeypatch.setenv("NPS_STAGING_DIR", str(tmp_path / "spill"))
    errors = []

    def churn():
        try:
            for _ in range(40):
                with staging.Staging() as s:
                    assert (s.folder / staging.LOCK_NAME).exists()
                    s.con.execute("SELECT 1").fetchall()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
