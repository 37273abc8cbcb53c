"""One writer, many readers: the lock discipline of the store, across real processes."""

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT, write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.db.errors import StoreBusy
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file

pytestmark = pytest.mark.slow  # real processes holding locks: not in the fast tier

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
con.execute("SELECT count(*) FROM responses").fetchall()
print("holding", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def hold(path, mode, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), mode, str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def rows(n, start=0):
    return [{"response_id": f"n{i}", "responded_at": "2025-05-05 10:00", "score": i % 11,
             "nps_type": "product"} for i in range(start, start + n)]


@pytest.fixture
def seeded(store, tmp_path):
    import_file(store, write_csv(tmp_path / "seed.csv", rows(10)), dataset="d")
    return store


def test_import_waits_for_a_reader_in_another_process(seeded, tmp_path):
    reader = hold(seeded.path, "ro", 1.5)
    t0 = time.monotonic()
    res = import_file(seeded, write_csv(tmp_path / "more.csv", rows(5, 10)), dataset="d")
    waited = time.monotonic() - t0
    reader.wait()
    assert res.imported == 5 and waited >= 1.0
    assert agg.summary(seeded, Filters(dataset="d")).n == 15


def test_reader_waits_for_a_writer_then_reads(seeded):
    writer = hold(seeded.path, "rw", 1.0)
    assert agg.summary(seeded, Filters()).n == 10
    writer.wait()


def test_reader_gives_up_with_a_clear_message(seeded):
    writer = hold(seeded.path, "rw", 6)
    impatient = Store(seeded.path, lock_timeout=0.5)
    with pytest.raises(StoreBusy, match="busy"):
        agg.summary(impatient, Filters())
    writer.kill()


def test_cli_import_reports_busy_in_one_line(seeded, tmp_path):
    writer = hold(seeded.path, "rw", 8)
    env = {**os.environ, "NPS_LOCK_TIMEOUT": "0.5"}
    res = subprocess.run([sys.executable, "-m", "nps_core", "import", str(write_csv(tmp_path / "x.csv", rows(3))),
                          "--db", str(seeded.path), "--json"], cwd=ROOT, env=env, capture_output=True, text=True)
    writer.kill()
    assert res.returncode == 3
    assert res.stderr.count("\n") == 1 and "busy" in res.stderr and not res.stdout


def test_many_readers_and_an_importer_at_once(seeded, tmp_path):
    """Four reader processes query in a loop while the CLI imports twice."""
    loop = """
import sys, time
sys.path.insert(0, sys.argv[2])
from nps_core.db.store import Store
from nps_core.analysis.aggregates import summary
from nps_core.analysis.filters import Filters
s, seen, end = Store(sys.argv[1]), set(), time.monotonic() + float(sys.argv[3])
while time.monotonic() < end:
    seen.add(summary(s, Filters(dataset="d")).n)
print(sorted(seen))
"""
    readers = [subprocess.Popen([sys.executable, "-c", loop, str(seeded.path), str(ROOT), "6"],
                                stdout=subprocess.PIPE, text=True) for _ in range(4)]
    time.sleep(0.5)
    outs = []
    for k in range(2):
        path = write_csv(tmp_path / f"batch{k}.csv", rows(2000, 100 + 2000 * k))
        res = subprocess.run([sys.executable, "-m", "nps_core", "import", str(path), "--dataset", "d",
                              "--db", str(seeded.path), "--json"], cwd=ROOT, capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        outs.append(json.loads(res.stdout)["imported"])
    seen = [json.loads(r.communicate()[0]) for r in readers]
    assert outs == [2000, 2000]
    assert all(r.returncode == 0 for r in readers)
    # readers only ever saw whole imports: 10, 2010 or 4010 responses, never a partial one
    assert set().union(*map(set, seen)) <= {10, 2010, 4010}
    assert agg.summary(seeded, Filters(dataset="d")).n == 4010


def test_import_in_the_app_process_waits_for_its_readers(seeded, tmp_path):
    """An upload in the dashboard process while another session is reading."""
    reading, done = threading.Event(), threading.Event()

    def session():
        with seeded.read() as con:
            con.execute("SELECT count(*) FROM responses").fetchall()
            reading.set()
            done.wait(5)

    thread = threading.Thread(target=session)
    thread.start()
    reading.wait(5)
    threading.Timer(1.0, done.set).start()
    t0 = time.monotonic()
    res = import_file(seeded, write_csv(tmp_path / "up.csv", rows(7, 50)), dataset="d")
    thread.join()
    assert res.imported == 7 and time.monotonic() - t0 >= 0.8
    assert agg.summary(seeded, Filters(dataset="d")).n == 17


def test_parallel_sessions_share_one_attachment(seeded):
    """Many threads reading at once all get the right answer."""
    results, errors = [], []

    def session():
        try:
            for _ in range(20):
                results.append(agg.summary(seeded, Filters(dataset="d")).n)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=session) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [10] * 160
