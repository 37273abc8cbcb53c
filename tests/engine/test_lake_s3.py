"""The shared lake with its data on object storage (db/object_store.py), against
a real S3 server on 127.0.0.1 (moto, signatures checked: tests/support/s3_server.py)
and a real PostgreSQL catalog.

Expected figures come from plain pandas, or from a lone run of the same work
on a database file (tests/support/lake_server.py `figures`), never from the lake.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT, write_csv
from lake_server import figures
from test_lake import new_lake, nps, responses

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.db import object_store
from nps_core.db.lake import LakeConfigError, parse
from nps_core.db.migrate import migrate
from nps_core.db.object_store import ObjectStorageError
from nps_core.db.store import Store
from nps_core.followup.loop import update_case
from nps_core.ingest.importer import import_file

KEY_VAR, SECRET_VAR = "NPS_TEST_S3_KEY", "NPS_TEST_S3_SECRET"


def s3_lake(pg_server, s3_server, tmp_path, monkeypatch, secret_var: str = SECRET_VAR) -> tuple[str, str]:
    """(spec, bucket) of a fresh lake in a bucket of its own; the key and secret by env: reference."""
    bucket = s3_server.new_bucket()
    monkeypatch.setenv(KEY_VAR, s3_server.key_id)
    monkeypatch.setenv(SECRET_VAR, s3_server.secret)
    data = (f"s3://{bucket}/nps/ s3_key_id=env:{KEY_VAR} s3_secret=env:{secret_var} "
            f"s3_endpoint={s3_server.endpoint}")
    return new_lake(pg_server, tmp_path, monkeypatch, data), bucket


def cli(*args, env=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "nps_core", *args], check=False, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def one_line_error(res, *secrets) -> str:
    """The CLI's stderr for a refused command: one line, no traceback, no secret."""
    assert res.returncode != 0, res.stdout
    err = res.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    for secret in secrets:
        assert secret not in err
    return err


# -- configuration (no server needed) ----------------------------------------
def test_object_storage_spec(monkeypatch):
    monkeypatch.setenv("S3K", "AKIAEXAMPLE")
    monkeypatch.setenv("S3S", "very-secret")
    catalog, data, storage = parse("ducklake:postgres:dbname=nps host=db data_path=s3://b/nps/ "
                                   "s3_key_id=env:S3K s3_secret=env:S3S s3_endpoint=http://minio:9000")
    assert (catalog, data) == ("postgres:dbname=nps host=db", "s3://b/nps/")
    assert "very-secret" not in repr(storage) and storage.bucket == "b"
    params = object_store.secret_parameters(storage)
    assert params == {"KEY_ID": "AKIAEXAMPLE", "SECRET": "very-secret", "ENDPOINT": "minio:9000", "USE_SSL": False,
                      "URL_STYLE": "path", "REGION": "us-east-1", "SCOPE": "s3://b/nps/"}
    # AWS: no endpoint, DuckDB's own (virtual-host) style, the region as given
    aws = parse("ducklake:postgres:dbname=nps data_path=s3://b/ s3_key_id=env:S3K s3_secret=env:S3S "
                "s3_region=eu-west-1").storage
    assert object_store.secret_parameters(aws) == {"KEY_ID": "AKIAEXAMPLE", "SECRET": "very-secret",
                                                   "REGION": "eu-west-1", "SCOPE": "s3://b/"}
    refusals = {
        "data_path=s3://b/ s3_key_id=env:S3K s3_secret=plain": "s3_secret=env:VAR",
        "data_path=s3://b/ s3_key_id=AKIA s3_secret=env:S3S": "s3_key_id=env:VAR",
        "data_path=s3://b/ s3_key_id=env:S3K": "needs s3_secret",
        "data_path=/shared/x/ s3_region=eu-west-1": "only to data_path=s3://",
        "data_path=s3://b/ s3_key_id=env:S3K s3_secret=env:S3S s3_url_style=odd": "path or vhost",
        "data_path=s3://b/ s3_key_id=env:S3K s3_secret=env:S3S s3_bucket=x": "unknown",
    }
    for options, message in refusals.items():
        with pytest.raises(LakeConfigError, match=message) as caught:
            parse(f"ducklake:postgres:dbname=nps {options}")
        assert "plain" not in str(caught.value)  # a value written in the spec is never repeated


def test_credentials_from_a_secrets_file(monkeypatch, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[connections.lake_s3]\nkey_id = "AKIAFILE"\nsecret = "from-the-file"\n')
    monkeypatch.chdir(tmp_path)
    storage = parse("ducklake:postgres:dbname=nps data_path=s3://b/ s3_key_id=secret:lake_s3.key_id "
                    "s3_secret=secret:lake_s3.secret").storage
    assert storage.options == {"s3_key_id": "AKIAFILE", "s3_secret": "from-the-file"}
    with pytest.raises(LakeConfigError, match=r"no \[connections.lake_s3\] token"):
        parse("ducklake:postgres:dbname=nps data_path=s3://b/ s3_key_id=secret:lake_s3.token s3_secret=x")


# -- the lake on a real S3 server ----------------------------------------------
def test_import_read_and_migrate_through_object_storage(pg_server, s3_server, tmp_path, monkeypatch, store):
    spec, bucket = s3_lake(pg_server, s3_server, tmp_path, monkeypatch)
    rows = responses(400)
    frame = pd.DataFrame(rows)
    import_file(Store(spec), write_csv(tmp_path / "a.csv", rows), dataset="shop")
    assert any(k.startswith("nps/") and k.endswith(".parquet") for k in s3_server.objects(bucket))
    assert not (tmp_path / "lake").exists()  # nothing went to a local folder

    # into and out of it: a file -> the lake -> a file, every figure as pandas counts it
    import_file(store, write_csv(tmp_path / "w.csv", responses(150, 0, "w")), dataset="web")
    spec2, _ = s3_lake(pg_server, s3_server, tmp_path / "2", monkeypatch)
    migrate(store, Store(spec2))
    back = Store(tmp_path / "back.duckdb")
    res = cli("store", "migrate", "--db", spec, "--to", str(back.path), "--json")
    assert res.returncode == 0, res.stderr
    for copy, name, expected in ((Store(spec), "shop", frame), (back, "shop", frame),
                                 (Store(spec2), "web", pd.DataFrame(responses(150, 0, "w")))):
        stats = agg.summary(copy, Filters(dataset=name))
        assert (stats.n, stats.nps) == (len(expected), pytest.approx(nps(expected["score"])))
        by_band = agg.breakdown(copy, Filters(dataset=name), "basket_band", compare=False).set_index("key")
        for city, group in expected.groupby("basket_band"):
            assert (by_band.loc[city, "n"], by_band.loc[city, "nps"]) == (len(group), pytest.approx(nps(group["score"])))


@pytest.mark.slow
def test_two_app_servers_on_separate_hosts(pg_server, s3_server, tmp_path, monkeypatch):
    """Two server processes, each with its own folders and caches, import, update
    cases and read at once; each then shows every figure of a lone run."""
    spec, _ = s3_lake(pg_server, s3_server, tmp_path, monkeypatch)
    monkeypatch.setenv("NPS_LOCK_TIMEOUT", "300")  # two shared cores: a retry may wait long
    cases = [{**r, "responded_at": f"2025-06-{1 + i % 3:02d} 09:00"} for i, r in enumerate(responses(120, 0, "c"))]
    files = {"cases": write_csv(tmp_path / "cases.csv", cases),
             "a": write_csv(tmp_path / "a.csv", responses(1500, 0, "s")),
             "b": write_csv(tmp_path / "b.csv", responses(1500, 1000, "s"))}  # 500 of them also in a.csv
    ids = [[r["response_id"] for r in cases[k::2][:15]] for k in range(2)]

    lone = Store(tmp_path / "lone.duckdb")  # the same work, one process, one file, one after the other
    for name, dataset in (("cases", "cases"), ("a", "shared"), ("b", "shared")):
        import_file(lone, files[name], dataset=dataset)
    for k in range(2):
        for rid in ids[k]:
            update_case(lone, "cases", rid, "contacted", f"host{k}", "called back", f"host{k}")
    expected = figures(lone)

    import_file(Store(spec), files["cases"], dataset="cases")
    servers = []
    for k, name in enumerate(("a", "b")):
        host = tmp_path / f"host{k}"
        env = {**os.environ, "TMPDIR": str(host / "tmp"), "NPS_LOCAL_DIR": str(host / "local"),
               "NPS_STAGING_DIR": str(host / "staging")}
        (host / "tmp").mkdir(parents=True)
        servers.append(subprocess.Popen([sys.executable, str(ROOT / "tests" / "support" / "lake_server.py"), spec,
                                         str(files[name]), f"host{k}", ",".join(ids[k])], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True))
    try:
        did = [json.loads(p.stdout.readline() or "null") for p in servers]
        assert None not in did, [p.stderr.read() for p in servers]
        shown = []
        for p in servers:
            out, err = p.communicate("go\n", timeout=600)
            assert p.returncode == 0 and "Traceback" not in err, err
            shown.append(json.loads(out))
    finally:
        for p in servers:
            p.kill()
    assert sorted(d["imported"] for d in did) == [1000, 1500]
    for d in did:
        assert d["seen_cases_n"] == [120]  # never a half-written state
    assert shown == [expected, expected]
    assert figures(Store(spec)) == expected


KILLED_IMPORT = """
import sys
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
import_file(Store(sys.argv[1]), sys.argv[2], dataset="big",
            progress=lambda fraction, stage: print(stage, flush=True))
"""


@pytest.mark.slow
def test_a_server_killed_mid_import_leaves_the_lake_consistent(pg_server, s3_server, tmp_path, monkeypatch):
    spec, bucket = s3_lake(pg_server, s3_server, tmp_path, monkeypatch)
    lake = Store(spec)
    import_file(lake, write_csv(tmp_path / "shop.csv", responses(300)), dataset="shop")
    before = figures(lake, ("shop",))
    files_before = len(s3_server.objects(bucket))
    big = write_csv(tmp_path / "big.csv", responses(150_000, 0, "b"))

    proc = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, spec, str(big)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while (line := proc.stdout.readline()) and line.strip() != "storing":
            pass
        assert line, proc.stderr.read()
        # killed once its data files are in the bucket, before its commit
        deadline = time.monotonic() + 300
        while len(s3_server.objects(bucket)) == files_before and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
    finally:
        proc.kill()
    written = len(s3_server.objects(bucket)) - files_before
    assert written > 0  # it died half-way: files written, never committed
    assert figures(lake, ("shop",)) == before
    with lake.read() as con:
        assert con.execute("SELECT count(*) FROM datasets WHERE name = 'big'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM responses WHERE dataset = 'big'").fetchone()[0] == 0
    # the same import again stores everything once
    again = cli("import", str(big), "--dataset", "big", "--db", spec, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["imported"] == 150_000
    stats = agg.summary(lake, Filters(dataset="big"))
    frame = pd.DataFrame(responses(150_000, 0, "b"))
    assert (stats.n, stats.nps) == (150_000, pytest.approx(nps(frame["score"])))


@pytest.mark.slow
def test_object_storage_unreachable_then_back(pg_server, s3_server, tmp_path, monkeypatch):
    spec, _ = s3_lake(pg_server, s3_server, tmp_path, monkeypatch)
    import_file(Store(spec), write_csv(tmp_path / "shop.csv", responses(300)), dataset="shop")
    later = write_csv(tmp_path / "later.csv", responses(200, 0, "l"))
    env = {**os.environ, "NPS_LOCK_TIMEOUT": "20"}

    with s3_server.switch.unreachable():
        imported = cli("import", str(later), "--dataset", "later", "--db", spec, "--json", env=env)
        read = cli("summary", "--dataset", "shop", "--by", "basket_band", "--db", spec, "--json", env=env)
    for res in (imported, read):
        err = one_line_error(res, s3_server.secret)
        assert "object storage at s3://" in err and "cannot be reached" in err

    # back: nothing of the refused import, every figure right, the import goes through
    lone = Store(tmp_path / "lone.duckdb")
    import_file(lone, tmp_path / "shop.csv", dataset="shop")
    summary = cli("summary", "--dataset", "shop", "--by", "basket_band", "--db", spec, "--json")
    assert summary.returncode == 0, summary.stderr
    expected = pd.DataFrame(responses(300))
    out = json.loads(summary.stdout)
    assert (out["n"], out["nps"]) == (300, pytest.approx(round(nps(expected["score"]), 1)))
    with Store(spec).read() as con:
        assert con.execute("SELECT count(*) FROM datasets WHERE name = 'later'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    again = cli("import", str(later), "--dataset", "later", "--db", spec, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["imported"] == 200, again.stderr


def test_wrong_credentials_are_named_never_echoed(pg_server, s3_server, tmp_path, monkeypatch):
    wrong = "wrong-secret-0123456789"
    spec, bucket = s3_lake(pg_server, s3_server, tmp_path, monkeypatch, secret_var="NPS_TEST_S3_WRONG")
    monkeypatch.setenv("NPS_TEST_S3_WRONG", wrong)
    csv = write_csv(tmp_path / "a.csv", responses(50))
    res = cli("import", str(csv), "--dataset", "shop", "--db", spec, "--json")
    err = one_line_error(res, wrong, s3_server.secret)
    assert "refused the credentials" in err and "s3_secret" in err
    with pytest.raises(ObjectStorageError, match="refused the credentials") as caught:
        import_file(Store(spec), csv, dataset="shop")
    assert wrong not in str(caught.value)
    assert s3_server.objects(bucket) == []
