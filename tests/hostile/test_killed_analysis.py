"""An import killed after its rows were committed, while their comments were
being analysed (issue 24): the page and the command line say what was stored,
every page says how many comments still wait, and they are analysed with no
manual step: by the next import, by `enrich`, and in the background by the
dashboard itself."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from apptest_support import rendered, rerun, start
from conftest import ROOT, write_csv

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.jobs.worker import COMMITTED, ImportJob
from nps_core.text import sentiment
from nps_core.text.enrich import pending

pytestmark = pytest.mark.slow

WORDS = ("levering", "bezorger", "klantenservice", "prijs", "app", "retour", "factuur", "winkel", "wachttijd",
         "medewerker", "pakket", "korting", "website", "betaling", "kassa", "service")
TONE = ("was prima", "duurde veel te lang", "viel tegen", "was top", "klopte niet", "was vriendelijk")


def comments_csv(path: Path, rows: int) -> Path:
    """`rows` responses, each with a comment of its own (distinct texts take the analysis a while)."""
    return write_csv(path, [
        {"response_id": f"k{i}", "responded_at": f"2025-03-{1 + i % 28:02d}", "score": i % 11,
         "nps_type": "transaction",
         "comment": f"De {WORDS[i % 16]} {TONE[i % 6]} en de {WORDS[(i // 16) % 16]} {TONE[(i // 96) % 6]}, "
                    f"bestelling {i}."}
        for i in range(rows)])


def analysed_comments(path: Path, dataset: str) -> tuple[int, int, int]:
    """(distinct comments of the dataset, with an analysis, with sentence vectors and a current score),
    counted straight from the file."""
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            """WITH c AS (SELECT DISTINCT md5(comment) AS k FROM responses WHERE dataset = ? AND comment IS NOT NULL)
               SELECT count(*),
                      count(*) FILTER (WHERE k IN (SELECT comment_key FROM enrichment)),
                      count(*) FILTER (WHERE k IN (SELECT comment_key FROM enrichment WHERE sentiment_version = ?)
                                         AND k IN (SELECT comment_key FROM comment_sentences))
               FROM c""", [dataset, sentiment.MODEL_VERSION]).fetchone()


def killed_while_analysing(store: Store, source: Path) -> ImportJob:
    job = ImportJob.start(store, source, dataset="killed")
    deadline = time.monotonic() + 300
    while job.poll().stage != COMMITTED:
        assert job.process.poll() is None, job.poll()
        assert time.monotonic() < deadline, "never reached the analysis"
        time.sleep(0.02)
    time.sleep(0.5)  # well inside the analysis of 20,000 distinct comments
    os.kill(job.pid, signal.SIGKILL)
    job.process.wait(30)
    return job


@pytest.fixture
def killed(store, tmp_path):
    rows = 20_000
    job = killed_while_analysing(store, comments_csv(tmp_path / "export.csv", rows))
    store.let_go()
    return store, job, rows


def test_the_outcome_says_what_was_stored(killed):
    store, job, rows = killed
    status = job.poll()
    assert status.state == "done" and not status.analysed
    assert status.error == "the import process was ended by SIGKILL"
    assert (status.result.read, status.result.imported, status.result.rejected) == (rows, rows, 0)
    total, with_analysis, complete = analysed_comments(store.path, "killed")
    assert total == rows and complete < rows  # stored, not (all) analysed
    assert pending(store) == rows - complete
    job.close()


def test_the_next_import_analyses_what_was_left(killed, tmp_path):
    store, job, rows = killed
    job.close()
    import_file(store, comments_csv(tmp_path / "next.csv", 3), dataset="next")
    store.let_go()
    assert analysed_comments(store.path, "killed") == (rows, rows, rows)
    assert pending(store) == 0


def test_enrich_on_the_command_line_analyses_what_was_left(killed):
    store, job, rows = killed
    job.close()
    done = subprocess.run([sys.executable, "-m", "nps_core", "enrich", "--db", str(store.path), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert analysed_comments(store.path, "killed") == (rows, rows, rows)


def test_the_dashboard_says_so_and_analyses_them_in_the_background(killed, monkeypatch):
    store, job, rows = killed
    job.close()
    monkeypatch.setenv("NPS_DB", str(store.path))
    left = pending(store)
    at = start("", lang="en", dataset="killed", period="all")
    assert not at.exception
    notices = [i.value for i in at.info if "still being analysed" in i.value]
    assert len(notices) == 1 and notices[0].startswith(f"{left:,} comments still being analysed"), \
        [i.value for i in at.info]
    deadline = time.monotonic() + 300
    while pending(store):  # nobody asked: the page started the analysis itself
        assert time.monotonic() < deadline, "the background analysis did not finish"
        time.sleep(0.5)
    store.let_go()
    assert analysed_comments(store.path, "killed") == (rows, rows, rows)
    rerun(at)
    assert not [i for i in at.info if "still being analysed" in i.value]


def test_the_upload_page_says_the_rows_are_stored(app_db, tmp_path):
    rows = 20_000
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("export.csv", comments_csv(tmp_path / "e.csv", rows).read_bytes(),
                                               "text/csv")
    rerun(at)
    at.button[0].click()  # Import (the programme type is in the file)
    rerun(at)
    job = at.session_state["import_job"]
    deadline = time.monotonic() + 300
    while job.poll().stage != COMMITTED:
        assert time.monotonic() < deadline and job.process.poll() is None
        time.sleep(0.02)
    time.sleep(0.5)
    os.kill(job.pid, signal.SIGKILL)
    job.process.wait(30)
    rerun(at)
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Imported"] == f"{rows:,}"
    said = [rendered(i.value) for i in at.info]
    assert "Stored. Analysing the comments was cut off (the import process was ended by SIGKILL); it carries on "\
           "by itself in the background." in said, said


def test_the_command_line_says_what_is_stored_before_analysing(store, tmp_path):
    source = comments_csv(tmp_path / "export.csv", 20_000)
    proc = subprocess.Popen([sys.executable, "-m", "nps_core", "import", str(source), "--db", str(store.path),
                             "--dataset", "cli"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()  # said before the analysis starts
    proc.kill()
    proc.wait()
    assert first.strip() == "20,000 responses stored in cli; analysing their comments…"
    assert analysed_comments(store.path, "cli")[0] == 20_000  # and they are
