"""The shared store on DuckLake (nps_core/db/lake.py) against a real PostgreSQL catalog.

Expected figures come from plain pandas on the rows the test wrote, never
from the store under test.
"""

import datetime as dt
import itertools
import json
import subprocess
import sys
import threading

import pandas as pd
import pytest
from conftest import write_csv
from pg_server import ADMIN, ADMIN_PASSWORD

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.db.datasets import delete_dataset
from nps_core.db.lake import LAKE_SCHEMA, LakeConfigError, LakeStore, parse
from nps_core.db.store import Store
from nps_core.followup import alerts, loop, notify
from nps_core.ingest.importer import import_file
from nps_core.text import taxonomy

_names = itertools.count()


def new_lake(pg_server, tmp_path, monkeypatch, data: str | None = None) -> str:
    """A fresh catalog database and data folder (or `data`: the data_path and
    its options); the password by env: reference."""
    name = f"lake_{next(_names)}"
    pg_server.create_database(name)
    monkeypatch.setenv("NPS_TEST_LAKE_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("NPS_LOCAL_DIR", str(tmp_path / "local"))
    return (f"ducklake:postgres:dbname={name} host=127.0.0.1 port={pg_server.port} user={ADMIN} "
            f"password=env:NPS_TEST_LAKE_PASSWORD data_path={data or str(tmp_path / 'lake') + '/'}")


@pytest.fixture
def lake(pg_server, tmp_path, monkeypatch) -> LakeStore:
    return Store(new_lake(pg_server, tmp_path, monkeypatch))


def nps(scores: pd.Series) -> float:
    return 100.0 * ((scores >= 9).mean() - (scores <= 6).mean())


def responses(n: int, start: int = 0, prefix: str = "r") -> list[dict]:
    comments = ["Slow delivery, bad service", "Great help, thank you", "Terrible: rude agent", ""]
    return [{"response_id": f"{prefix}{i}", "responded_at": f"2025-03-{1 + i % 28:02d} 10:00", "score": (i * 7) % 11,
             "comment": comments[i % 4], "nps_type": "transaction", "customer_id": f"c{i}", "basket_band": f"city{i % 3}"}
            for i in range(start, start + n)]


# -- configuration (no server needed) ----------------------------------------
def test_spec_resolves_references_and_refuses_a_written_password(monkeypatch):
    monkeypatch.setenv("LAKE_PW", "s3cret")
    catalog, data, storage = parse("ducklake:postgres:dbname=nps host=db user=nps password=env:LAKE_PW "
                                   "data_path=/shared/x/")
    assert catalog == "postgres:dbname=nps host=db user=nps password=s3cret" and data == "/shared/x/"
    assert storage is None  # a folder: no object storage
    with pytest.raises(LakeConfigError, match="password"):
        parse("ducklake:postgres:dbname=nps password=plain data_path=/x/")
    with pytest.raises(LakeConfigError, match="data_path"):
        parse("ducklake:postgres:dbname=nps")
    with pytest.raises(LakeConfigError, match="ducklake:postgres"):
        parse("ducklake:/tmp/meta.ducklake data_path=/x/")


def test_the_file_store_stays_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("NPS_STORE", raising=False)
    monkeypatch.setenv("NPS_DB", str(tmp_path / "x.duckdb"))
    assert type(Store()) is Store and Store().spec == str(tmp_path / "x.duckdb")
    monkeypatch.setenv("NPS_STORE", "ducklake:postgres:dbname=nps data_path=/x/")
    assert isinstance(Store(), LakeStore)


def test_lake_schema_has_no_clause_ducklake_refuses():
    for clause in ("PRIMARY KEY", "UNIQUE", "CHECK (", "SEQUENCE", "nextval", "DEFAULT []", "RETURNING"):
        assert clause not in LAKE_SCHEMA


# -- every engine path on the lake ---------------------------------------------
def test_import_analyse_and_close_the_loop_on_the_lake(lake, tmp_path):
    rows = responses(300)
    v0 = lake.data_version()
    first = import_file(lake, write_csv(tmp_path / "a.csv", rows), dataset="shop")
    assert lake.data_version() != v0  # a new snapshot: caches refresh
    again = import_file(lake, write_csv(tmp_path / "b.csv", rows[:100] + responses(50, 300)), dataset="shop")
    assert (first.imported, again.imported, again.duplicates) == (300, 50, 100)

    frame = pd.DataFrame(rows + responses(50, 300))
    stats = agg.summary(lake, Filters(dataset="shop"))
    assert stats.n == 350 and stats.nps == pytest.approx(nps(frame["score"]))
    by_band = agg.breakdown(lake, Filters(dataset="shop"), "basket_band", compare=False).set_index("key")
    for city, group in frame.groupby("basket_band"):
        assert by_band.loc[city, "n"] == len(group)
        assert by_band.loc[city, "nps"] == pytest.approx(nps(group["score"]))
    with lake.read() as con:
        # enrichment once per distinct comment text, even after two imports
        assert con.execute("SELECT count(*), count(DISTINCT comment_key) FROM enrichment").fetchone() == (3, 3)
        assert con.execute("SELECT list(import_id ORDER BY import_id) FROM imports").fetchone()[0] == [1, 2]

    # case history: ids in order, nothing overwritten
    loop.update_case(lake, "shop", "r1", "contacted", "Ann", "called", "ann")
    loop.update_case(lake, "shop", "r1", "resolved", "Ann", "fixed", "ann", root_cause="delivery")
    hist = loop.history(lake, "shop", "r1")
    assert list(hist["status"]) == ["contacted", "resolved"]
    # sessions of one server writing at once (threads, cursors of one instance)
    threads = [threading.Thread(target=loop.update_case, args=(lake, "shop", f"r{k}", "contacted", None, None, "t"))
               for k in range(10, 14)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    with lake.read() as con:
        assert con.execute("SELECT count(*), count(DISTINCT event_id), max(event_id) FROM case_events"
                           ).fetchone() == (6, 6, 6)

    # a second rule gets the next id; the name stays unique without a key
    rid = alerts.save_rule(lake, alerts.Rule("low", "Team", "x@example.com", score_max=2))
    assert rid == 2
    with pytest.raises(ValueError, match="exists already"):
        alerts.save_rule(lake, alerts.Rule("low", "Team", "y@example.com", score_max=1))

    # thanking twice thanks nobody twice
    promoters = frame[(frame["score"] >= 9)]
    assert loop.mark_thanked(lake, Filters(dataset="shop"), "bob") == len(promoters)
    assert loop.mark_thanked(lake, Filters(dataset="shop"), "bob") == 0

    # the alerts outbox takes each alert once
    new = notify.candidates(lake, "shop", 60)
    assert len(new) and notify.enqueue(lake, new, dt.datetime(2025, 4, 1)) == len(new)
    assert notify.enqueue(lake, new, dt.datetime(2025, 4, 1)) == 0

    # an edited taxonomy replaces the earlier one
    themes = taxonomy.current(lake, "shop")["themes"]
    taxonomy.save(lake, "shop", themes)
    taxonomy.save(lake, "shop", themes)
    with lake.read() as con:
        assert con.execute("SELECT count(*), max(version) FROM taxonomies").fetchone() == (1, 2)

    delete_dataset(lake, "shop")
    with lake.read() as con:
        assert con.execute("SELECT count(*) FROM responses").fetchone()[0] == 0


# -- many processes at once -------------------------------------------------------
CASE_UPDATES = """
import sys
from nps_core.db.store import Store
from nps_core.followup.loop import update_case
store, who, ids = Store(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
for rid in ids:
    update_case(store, "cases", rid, "contacted", who, "called back", who)
"""

READS = """
import json, sys, time
from nps_core.analysis.aggregates import summary
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
store, seen, end = Store(sys.argv[1]), set(), time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    seen.add(summary(store, Filters(dataset="cases")).n)
print(json.dumps(sorted(seen)))
"""


@pytest.mark.slow
def test_importers_alerts_case_updates_and_readers_at_once(pg_server, tmp_path, monkeypatch):
    from conftest import ROOT
    from receivers import Webhook

    spec = new_lake(pg_server, tmp_path, monkeypatch)
    lake = Store(spec)
    # comments no sentiment rule can fire on: the alerts are exactly the scores 0-3 (the default rule)
    cases = [{**r, "responded_at": f"2025-06-{1 + i % 3:02d} 09:00", "comment": "Great help, thank you"}
             for i, r in enumerate(responses(120, 0, "c"))]
    import_file(lake, write_csv(tmp_path / "cases.csv", cases), dataset="cases")
    critical = [r["response_id"] for r in cases if r["score"] <= 3]
    hook = Webhook()
    monkeypatch.setenv("NPS_WEBHOOK_URL", hook.url)
    monkeypatch.setenv("NPS_LOCK_TIMEOUT", "300")  # two shared cores: a retry may wait long

    def python(*args):
        return subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    a = write_csv(tmp_path / "a.csv", responses(1500, 0, "s"))
    b = write_csv(tmp_path / "b.csv", responses(1500, 1000, "s"))  # 500 of them also in a.csv
    updates = [[r["response_id"] for r in cases[k::2][:15]] for k in range(2)]
    procs = {
        "import a": python("-m", "nps_core", "import", str(a), "--dataset", "shared", "--db", spec, "--json"),
        "import b": python("-m", "nps_core", "import", str(b), "--dataset", "shared", "--db", spec, "--json"),
        "alerts": python("-m", "nps_core", "alerts", "--notify", "--dataset", "cases", "--days", "30",
                         "--wait", "30", "--db", spec, "--json"),
        **{f"cases {k}": python("-c", CASE_UPDATES, spec, f"manager{k}", ",".join(ids))
           for k, ids in enumerate(updates)},
        **{f"reader {k}": python("-c", READS, spec, "20") for k in range(2)},
    }
    try:
        outs = {name: p.communicate(timeout=600) for name, p in procs.items()}
    finally:
        hook.close()
    for name, p in procs.items():
        assert p.returncode == 0, f"{name}: {outs[name][1]}"
        assert "Traceback" not in outs[name][1], f"{name}: {outs[name][1]}"

    imported = sorted(json.loads(outs[k][0])["imported"] for k in ("import a", "import b"))
    assert sum(imported) == 2500 and imported in ([1000, 1500], [1500, 1500 - 500])
    with lake.read() as con:
        assert con.execute("SELECT count(*), count(DISTINCT response_id) FROM responses WHERE dataset = 'shared'"
                           ).fetchone() == (2500, 2500)
        assert con.execute("SELECT count(*), count(DISTINCT import_id) FROM imports").fetchone() == (3, 3)
        events = con.execute("SELECT count(*), count(DISTINCT event_id), count(DISTINCT response_id) "
                             "FROM case_events").fetchone()
        assert events == (30, 30, 30)
        assert con.execute("SELECT count(*), count(DISTINCT comment_key) FROM enrichment").fetchone() == (3, 3)
        outbox = con.execute("SELECT count(*), count(DISTINCT alert_id), count(*) FILTER (status = 'sent') "
                             "FROM alert_outbox").fetchone()
    assert outbox == (len(critical), len(critical), len(critical))
    assert sorted(hook.acked) == sorted(set(hook.acked)) and len(hook.acked) == len(critical)
    # the readers always saw the whole dataset, never a half-written state
    for k in range(2):
        assert json.loads(outs[f"reader {k}"][0]) == [120]


# -- moving between stores ---------------------------------------------------------
def cli(*args):
    from conftest import ROOT

    res = subprocess.run([sys.executable, "-m", "nps_core", *args, "--json"], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    return res.returncode, (json.loads(res.stdout) if res.returncode == 0 else res.stderr)


def test_migrate_a_file_to_the_lake_and_back(pg_server, tmp_path, monkeypatch, store):
    spec = new_lake(pg_server, tmp_path, monkeypatch)
    frames = {"shop": pd.DataFrame(responses(400)), "web": pd.DataFrame(responses(150, 0, "w")).drop(columns="basket_band")}
    for name, frame in frames.items():
        import_file(store, write_csv(tmp_path / f"{name}.csv", frame.to_dict("records")), dataset=name)
    loop.update_case(store, "shop", "r1", "contacted", "Ann", "called", "ann")
    alerts.save_rule(store, alerts.Rule("low", "Team", "x@example.com", score_max=2))
    with store.read() as con:
        original = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("responses", "imports", "enrichment", "case_events", "alert_rules", "dataset_columns")}

    code, out = cli("store", "migrate", "--from", str(store.path), "--to", spec)
    assert code == 0, out
    lake = Store(spec)
    back = tmp_path / "back.duckdb"
    code, out_back = cli("store", "migrate", "--db", spec, "--to", str(back))
    assert code == 0, out_back
    for result in (out, out_back):
        assert {d: (v["responses"], v["nps"]) for d, v in result["datasets"].items()} == {
            d: (len(f), pytest.approx(nps(f["score"]))) for d, f in frames.items()}
    for copy in (lake, Store(back)):
        for name, frame in frames.items():
            stats = agg.summary(copy, Filters(dataset=name))
            assert (stats.n, stats.nps) == (len(frame), pytest.approx(nps(frame["score"])))
        with copy.read() as con:
            assert {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in original} == original
        assert list(loop.history(copy, "shop", "r1")["note"]) == ["called"]
    by_band = agg.breakdown(Store(back), Filters(dataset="shop"), "basket_band", compare=False)
    assert sorted(by_band["key"]) == ["city0", "city1", "city2"]  # the extra column came along

    # a store with data is never overwritten
    code, err = cli("store", "migrate", "--from", str(store.path), "--to", spec)
    assert code != 0 and "holds datasets already" in err and "Traceback" not in err


def test_digest_thank_effort_settings_on_the_lake(lake, tmp_path, smtp, quick_retries):
    """The digest, thank-you and effort writes without keys or sequences."""
    from receivers import smtp_config

    from nps_core.analysis import effort
    from nps_core.followup import thank
    from nps_core.report import digest

    import_file(lake, write_csv(tmp_path / "r.csv", responses(40)), dataset="shop")
    first = digest.save_subscription(lake, digest.Subscription("a@example.com", "monthly", "en"))
    second = digest.save_subscription(lake, digest.Subscription("b@example.com", "weekly", "nl"))
    assert (first, second) == (1, 2)
    effort.set_effort(lake, "shop", "delivery", "low")
    effort.set_effort(lake, "shop", "delivery", days=12)  # replaced, not doubled
    assert effort.efforts(lake, "shop")[["theme", "days"]].values.tolist() == [["delivery", 12.0]]
    thank.save_template(lake, "en", "Thanks {first_name}", "Hi")
    thank.save_template(lake, "en", "Thank you {first_name}", "Hello")
    thank.set_daily_cap(lake, 5)
    thank.set_daily_cap(lake, 7)
    assert thank.templates(lake)["en"] == ("Thank you {first_name}", "Hello") and thank.daily_cap(lake) == 7
    box, port = smtp()
    now = dt.datetime(2025, 4, 1, 7)  # due: March 2025 (the monthly one); week 13 has responses too
    out = digest.run(lake, now, cfg=smtp_config(port), wait=5)
    again = digest.run(lake, now, cfg=smtp_config(port), wait=5)
    assert out["sent"] == 2 and again["queued"] == 0 and len(box.messages) == 2
