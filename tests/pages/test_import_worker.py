"""Imports in a worker process (nps_core/jobs/worker.py, the Upload page).

A worker killed mid-import (kill -9, as the out-of-memory killer does) leaves
the store exactly as it was and nothing behind that blocks the next import;
on the page, Cancel stops the import and a killed worker is one line, while
the app goes on serving.
"""

import os
import signal
import time
from pathlib import Path

import duckdb
import openpyxl
import pytest
from apptest_support import import_finished, rendered, rerun, start

from nps_core.base.access import Access
from nps_core.base.i18n import t
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.jobs.worker import ImportJob, access_from_json, access_to_json
from nps_core.sources import registry

BEFORE_COMMIT = ("storing", "indexing", "recording", "writing rejects")  # the importer's stages inside its transaction


def big_csv(path: Path, rows: int) -> Path:
    """`rows` responses; every 1000th has score 11 (a reject); an extra column the store lacks."""
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'w' || i AS response_id,
                             TIMESTAMP '2024-01-01' + to_seconds(i * 13 % 50000000) AS responded_at,
                             CASE WHEN i % 1000 = 0 THEN 11 ELSE i * 7 % 11 END AS score,
                             'transaction' AS nps_type, 'tp' || (i % 7) AS touchpoint,
                             'k' || (i % 5) AS worker_test_segment
                      FROM range({rows}) t(i)) TO '{path}' (HEADER)""")
    con.close()
    return path


def snapshot(path: Path) -> dict:
    """Everything an import writes: row counts of every table, the responses' columns, a checksum."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        out = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        out["columns"] = [r[0] for r in con.execute("DESCRIBE responses").fetchall()]
        out["checksum"] = con.execute("SELECT sum(hash(dataset, response_id, score)) FROM responses").fetchone()[0]
    return out


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)
    return value


def stage(job: ImportJob) -> str | None:
    return job.poll().stage


def test_the_access_travels_to_the_worker_unchanged():
    a = Access(role="analyst", datasets=("demo", "x"), dims=(("region", ("Noord", "Zuid")),),
               identity="anna@example.com", name="Anna")
    assert access_from_json(access_to_json(a)) == a
    b = Access(role="admin", datasets=None, identity="local")
    assert access_from_json(access_to_json(b)) == b


def test_every_stage_an_import_reports_has_a_text(demo_store, tmp_path, monkeypatch):
    """The page names the worker's stage (i18n "stage_…"): a file import's and a source copy's."""
    monkeypatch.setenv("NPS_SOURCE_DIRS", str(tmp_path))
    (tmp_path / "lake").mkdir()
    source = big_csv(tmp_path / "small.csv", 50)
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{source}')) TO '{tmp_path / 'lake' / 'p.parquet'}' (FORMAT parquet)")
    con.close()
    stages = set()
    import_file(demo_store, source, dataset="small", progress=lambda f, stage: stages.add(stage))
    registry.add_source(demo_store, "lake", str(tmp_path / "lake"), progress=lambda f, stage: stages.add(stage))
    assert {"reading", "storing", "enriching", "done", "connecting"} <= stages
    for stage in stages:
        assert t(f"stage_{stage}", "nl") and t(f"stage_{stage}", "en")


@pytest.mark.slow
def test_worker_killed_mid_import_leaves_the_store_as_it_was(demo_store, tmp_path, monkeypatch):
    spill = tmp_path / "spill"
    monkeypatch.setenv("NPS_STAGING_DIR", str(spill))
    rows = 1_500_000
    source = big_csv(tmp_path / "big export.csv", rows)
    before = snapshot(demo_store.path)
    size_at_start = demo_store.path.stat().st_size

    job = ImportJob.start(demo_store, source, dataset="big")
    wait_for(lambda: stage(job) in BEFORE_COMMIT, 300, "the storing stage")
    # the insert writes the new row groups into the store's file before it commits: kill it then
    wait_for(lambda: demo_store.path.stat().st_size > size_at_start or stage(job) not in BEFORE_COMMIT,
             300, "the insert to write")
    os.kill(job.pid, signal.SIGKILL)
    status = job.wait(timeout=30)
    assert status.state == "failed" and status.kind == "killed"
    assert status.error == "the import process was ended by SIGKILL"
    last = (job.folder / "progress.json").read_text()
    assert any(f'"{s}"' in last for s in BEFORE_COMMIT), f"killed too late to prove anything: {last}"
    assert demo_store.path.stat().st_size > size_at_start  # data pages were written, yet:

    assert snapshot(demo_store.path) == before  # no partial rows, no new column, no import, no audit entry
    assert list(spill.iterdir()) == []  # its spill folder is gone
    assert not demo_store.writer_waiting()
    job.close()

    again = ImportJob.start(demo_store, source, dataset="big")
    status = again.wait(timeout=600)
    assert status.state == "done", status
    r = status.result
    rejected = len(range(0, rows, 1000))
    assert (r.read, r.imported, r.duplicates, r.rejected) == (rows, rows - rejected, 0, rejected)
    after = snapshot(demo_store.path)
    assert after["responses"] == before["responses"] + rows - rejected
    assert after["audit_log"] == before["audit_log"] + 1
    again.close()


@pytest.mark.slow
def test_worker_killed_mid_snapshot_copy_leaves_the_store_as_it_was(demo_store, tmp_path, monkeypatch):
    """The Connect page's snapshot copy runs in the worker too (registry.add_source)."""
    monkeypatch.setenv("NPS_SOURCE_DIRS", str(tmp_path))  # file sources are read only from there
    rows = 1_500_000
    folder = tmp_path / "lake"
    folder.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{big_csv(tmp_path / 'src.csv', rows)}')) "
                f"TO '{folder / 'part-1.parquet'}' (FORMAT parquet)")
    con.close()
    before = snapshot(demo_store.path)
    args = {"name": "lake", "url": str(folder), "mode": "snapshot"}

    job = ImportJob.run_task(demo_store, "add_source", **args)
    wait_for(lambda: stage(job) in BEFORE_COMMIT or job.poll().finished, 300, "the storing stage")
    assert not job.poll().finished, job.poll()
    os.kill(job.pid, signal.SIGKILL)
    status = job.wait(timeout=30)
    assert status.state == "failed" and status.kind == "killed"
    assert snapshot(demo_store.path) == before  # no rows, no source, no dataset, no audit entry
    job.close()

    again = ImportJob.run_task(demo_store, "add_source", **args)
    status = again.wait(timeout=600)
    assert status.state == "done", status
    rejected = len(range(0, rows, 1000))
    assert (status.result.read, status.result.imported, status.result.rejected) == (rows, rows - rejected, rejected)
    after = snapshot(demo_store.path)
    assert after["responses"] == before["responses"] + rows - rejected
    assert after["sources"] == before["sources"] + 1
    again.close()


@pytest.mark.slow
def test_killed_worker_waiting_for_the_lock_leaves_no_writer_marker(demo_store, tmp_path):
    source = big_csv(tmp_path / "small.csv", 100)
    store = Store(demo_store.path, lock_timeout=120)
    before = snapshot(store.path)
    reader = duckdb.connect(str(store.path), read_only=True)  # another process's reader holds the file
    try:
        job = ImportJob.start(store, source)
        markers = Path(str(store.path) + ".writers")
        wait_for(lambda: markers.is_dir() and any(markers.iterdir()), 120, "the writer's marker")
        os.kill(job.pid, signal.SIGKILL)
        assert job.wait(timeout=30).kind == "killed"
        assert list(markers.iterdir()) == []  # removed at once: readers need not wait for a dead writer
    finally:
        reader.close()
    job.close()
    assert snapshot(store.path) == before
    assert ImportJob.start(store, source).wait(timeout=120).result.imported == 99  # row 0 has score 11


@pytest.mark.slow
def test_worker_killed_while_converting_excel_leaves_no_copy_behind(demo_store, tmp_path, monkeypatch):
    spill, temp = tmp_path / "spill", tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("NPS_STAGING_DIR", str(spill))
    monkeypatch.setenv("TMPDIR", str(temp))  # the worker's temp folder
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("export")
    sheet.append(["date", "score", "comment"])
    for i in range(60_000):
        sheet.append([f"2025-01-{i % 28 + 1:02d}", i % 11, f"opmerking {i}"])
    book.save(tmp_path / "export.xlsx")
    before = snapshot(demo_store.path)
    job = ImportJob.start(demo_store, tmp_path / "export.xlsx", nps_type="product")
    copy = wait_for(lambda: list(spill.glob("*/nps-upload-*.csv")), 120, "the converted copy")
    os.kill(job.pid, signal.SIGKILL)
    assert job.wait(timeout=30).kind == "killed"
    assert not copy[0].exists() and list(spill.iterdir()) == []
    assert list(temp.rglob("*")) == []
    assert snapshot(demo_store.path) == before
    job.close()


def test_out_of_memory_in_the_worker_is_one_line_and_not_blamed_on_the_file(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("NPS_STAGING_MEMORY", "1MB")  # the worker's staging database cannot hold the file
    before = snapshot(demo_store.path)
    status = ImportJob.start(demo_store, big_csv(tmp_path / "export.csv", 200_000)).wait(timeout=120)
    assert status.state == "failed" and status.kind == "memory"
    assert status.error.startswith("Out of Memory Error: could not allocate") and "\n" not in status.error
    assert snapshot(demo_store.path) == before


def test_a_refused_file_is_one_line_from_the_worker(demo_store, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Datum;Opmerking\n01-12-2025;hallo\n")
    status = ImportJob.start(demo_store, path, nps_type="transaction").wait(timeout=120)
    assert status.state == "failed" and status.kind == "refused"
    assert status.error.startswith("notes.csv: no column for score") and "\n" not in status.error


def test_the_upload_is_audited_with_the_users_identity(demo_store, tmp_path):
    path = tmp_path / "few.csv"
    path.write_text("date,score\n2025-12-01,9\n2025-12-02,3\n")
    anna = Store(demo_store.path, access=Access(role="analyst", datasets=None, identity="anna@example.com"))
    status = ImportJob.start(anna, path, nps_type="product").wait(timeout=120)
    assert status.result.imported == 2
    with duckdb.connect(str(demo_store.path), read_only=True) as con:
        who, role, action, dataset, detail = con.execute(
            "SELECT identity, role, action, dataset, detail FROM audit_log ORDER BY event_id DESC LIMIT 1").fetchone()
    assert (who, role, action, dataset) == ("anna@example.com", "analyst", "upload", "few")
    assert '"imported": 2' in detail


# -- on the Upload page ---------------------------------------------------------
def started_import(app_db, tmp_path, rows: int):
    """The Upload page with an import of `rows` rows just started."""
    data = big_csv(tmp_path / "export.csv", rows).read_bytes()
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("export.csv", data, "text/csv")
    rerun(at)
    at.button[0].click()  # Import (the programme type is in the file)
    rerun(at)
    assert not at.exception
    return at


@pytest.mark.slow
def test_upload_page_shows_progress_and_cancel_stops_the_import(app_db, tmp_path):
    before = snapshot(app_db.path)
    at = started_import(app_db, tmp_path, 500_000)
    job = at.session_state["import_job"]
    assert [p.value for p in at.get("progress")]  # the progress bar
    assert "Importing…" in at.get("progress")[0].proto.text
    at.button(key="cancel_import").click()
    rerun(at)
    assert not at.exception and "import_job" not in at.session_state
    assert job.process.returncode == -signal.SIGTERM
    assert [i.value for i in at.info] == ["Import cancelled: nothing was stored."]
    assert not at.metric or "Imported" not in [m.label for m in at.metric]
    assert snapshot(app_db.path) == before
    # and the next import works
    at.button[0].click()
    import_finished(rerun(at))
    assert {m.label: m.value for m in at.metric}["Imported"] == f"{500_000 - 500:,}"


@pytest.mark.slow
def test_upload_page_a_killed_worker_is_one_line_and_the_app_still_answers(app_db, tmp_path):
    before = snapshot(app_db.path)
    at = started_import(app_db, tmp_path, 300_000)
    job = at.session_state["import_job"]
    os.kill(job.pid, signal.SIGKILL)
    job.process.wait(30)
    rerun(at)
    assert not at.exception
    assert [rendered(e.value) for e in at.error] == [
        "The import was cut off (the import process was ended by SIGKILL), perhaps for lack of memory. "
        "Nothing was stored: try again, or split the file."]
    assert snapshot(app_db.path) == before
    rerun(at, page="")  # the same session on another page
    assert not at.exception and any(m.label == "NPS" for m in at.metric)
    other = start("comments", lang="en")  # and another session
    assert not other.exception and not other.error
