"""One dashboard server's work on a shared lake, for tests/engine/test_lake_s3.py.

`figures(store)` is every figure the tests compare: the same function reads
a lone run's store and each server's, so "equal to a lone run" is a plain ==.

Run as a script it is one app server on its own host: it imports a file,
updates cases and reads at once (a reader thread), prints what it did and
saw as one JSON line, then, when a line comes in (every server is done),
its figures as another: what this server's own caches show by then. The
test gives each its own temporary folder (TMPDIR, NPS_LOCAL_DIR,
NPS_STAGING_DIR), as separate machines have.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nps_core.analysis import aggregates as agg
from nps_core.analysis import verbatims
from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query
from nps_core.db.store import Store

DATASETS = ("shared", "cases")


def figures(store, datasets: tuple[str, ...] = DATASETS) -> dict:
    """Counts, NPS, a breakdown on an extra column (read from the responses,
    not the rollup), the monthly trend, Verbatims counts and the case history."""
    out = {}
    for name in datasets:
        f = Filters(dataset=name)
        stats = agg.summary(store, f)
        band = agg.breakdown(store, f, "basket_band", compare=False)
        trend = agg.trend(store, f, "month")
        out[name] = {
            "n": stats.n, "nps": round(stats.nps, 9),
            "by_band": sorted([k, int(n), round(v, 9)] for k, n, v in band[["key", "n", "nps"]].itertuples(index=False)),
            "trend": [[str(k), int(n), round(v, 9)] for k, n, v in trend[["key", "n", "nps"]].itertuples(index=False)],
            "comments": verbatims.count(store, f),
            "search": verbatims.count(store, f, Query(search="service")),
        }
    with store.read() as con:
        out["case_events"] = con.execute(
            "SELECT count(*), count(DISTINCT event_id), count(DISTINCT response_id) FROM case_events").fetchone()
        out["imports"] = con.execute("SELECT count(*), sum(imported) FROM imports").fetchone()
    return json.loads(json.dumps(out))  # tuples as lists, as they come back from a server


def serve(spec: str, csv: str, who: str, case_ids: list[str]) -> dict:
    from nps_core.followup.loop import update_case
    from nps_core.ingest.importer import import_file

    store = Store(spec)
    seen: set[int] = set()
    done = threading.Event()

    def reader():  # a browser session refreshing the overview meanwhile
        while not done.is_set():
            seen.add(agg.summary(store, Filters(dataset="cases")).n)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        imported = import_file(store, csv, dataset="shared").imported
        for rid in case_ids:
            update_case(store, "cases", rid, "contacted", who, "called back", who)
    finally:
        done.set()
        thread.join()
    return {"imported": imported, "seen_cases_n": sorted(seen)}


if __name__ == "__main__":
    spec, csv, who, ids = sys.argv[1:5]
    print(json.dumps(serve(spec, csv, who, ids.split(","))), flush=True)
    sys.stdin.readline()
    print(json.dumps(figures(Store(spec))), flush=True)
