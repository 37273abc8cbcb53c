"""A file larger than the import's memory spills to disk instead of failing.

The staging database gets a tenth of the memory this file needs (env
NPS_STAGING_MEMORY); before the file's own repeats were dropped in staging,
the final insert stopped with "Out of Memory Error" at this ratio.
"""

import json
import os
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT

ROWS = 1_300_000
REPEATS = 1_000  # the last 1,000 rows repeat the ids of the first 1,000


@pytest.mark.slow
def test_a_file_larger_than_staging_memory_imports(tmp_path):
    path = tmp_path / "big.csv"
    con = duckdb.connect()
    con.execute(f"""COPY (SELECT 'r' || (i % {ROWS - REPEATS}) AS response_id,
                             TIMESTAMP '2024-01-01' + to_seconds(i * 13 % 50000000) AS responded_at,
                             i * 7 % 11 AS score, 'transaction' AS nps_type,
                             'tp' || (i % 7) AS touchpoint, 'c' || (i % 90000) AS customer_id
                      FROM range({ROWS}) t(i)) TO '{path}' (HEADER)""")
    con.close()
    env = {**os.environ, "NPS_STAGING_MEMORY": "128MB", "NPS_STAGING_DIR": str(tmp_path / "spill")}
    db = str(tmp_path / "big.duckdb")
    res = subprocess.run([sys.executable, "-m", "nps_core", "import", str(path), "--db", db, "--json"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert (out["read"], out["imported"], out["duplicates"], out["rejected"]) == (
        ROWS, ROWS - REPEATS, REPEATS, 0)
    with duckdb.connect(db, read_only=True) as store:
        n, ids, disorder = store.execute(
            "SELECT count(*), count(DISTINCT response_id), "
            "count(*) FILTER (WHERE responded_at < prev) FROM "
            "(SELECT *, lag(responded_at) OVER (ORDER BY rowid) AS prev FROM responses)").fetchone()
    assert (n, ids) == (ROWS - REPEATS, ROWS - REPEATS)
    assert disorder == 0  # still stored in time order
