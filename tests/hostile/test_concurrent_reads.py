"""Imports get in while several dashboard processes read without pause
(issue 19, item 9): readers hold back while a writer waits, so the file is
released between their queries instead of staying open for good."""

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT, write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store

# A dashboard process: THREADS sessions querying back to back through the
# store's shared reader, until the stop file appears.
READER = """
import json, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from nps_core.analysis.aggregates import summary, trend
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
store, stop, threads = Store(sys.argv[1]), Path(sys.argv[3]), int(sys.argv[4])
answers, errors = [0] * threads, []
def session(i):
    while not stop.exists():
        try:
            summary(store, Filters(dataset="demo"))
            trend(store, Filters(dataset="demo"), "month")
            answers[i] += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
workers = [threading.Thread(target=session, args=(i,)) for i in range(threads)]
for w in workers:
    w.start()
print("reading", flush=True)
for w in workers:
    w.join()
print(json.dumps({"answers": answers, "errors": errors[:3]}))
"""

PROCESSES, THREADS, IMPORTS, TIMEOUT = 3, 3, 3, 10


@pytest.mark.slow
def test_concurrent_imports_are_not_starved_by_readers_in_several_processes(demo_store, tmp_path):
    stop = tmp_path / "stop"
    env = {**os.environ, "NPS_LOCK_TIMEOUT": str(TIMEOUT)}
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(demo_store.path), str(ROOT), str(stop),
                                 str(THREADS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for _ in range(PROCESSES)]
    try:
        for r in readers:
            assert r.stdout.readline().strip() == "reading", r.stderr.read()
        time.sleep(1.0)  # the read load is on
        results = []
        for k in range(IMPORTS):
            rows = [{"response_id": f"k{k}-{i}", "responded_at": "2025-06-01 10:00", "score": i % 11,
                     "nps_type": "product"} for i in range(50)]
            started = time.monotonic()
            res = subprocess.run([sys.executable, "-m", "nps_core", "import", str(write_csv(tmp_path / f"{k}.csv", rows)),
                                  "--dataset", "new", "--db", str(demo_store.path), "--json"],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
            results.append((res.returncode, res.stderr.strip(), time.monotonic() - started))
    finally:
        stop.touch()
        outs = [r.communicate(timeout=120) for r in readers]
    assert [(code, err) for code, err, _ in results] == [(0, "")] * IMPORTS, results
    reports = [json.loads(out.splitlines()[-1]) for out, _ in outs]
    assert all(r["errors"] == [] for r in reports), reports
    assert all(n > 0 for r in reports for n in r["answers"]), reports  # every session kept getting answers
    assert agg.summary(Store(demo_store.path), Filters(dataset="new")).n == 50 * IMPORTS
