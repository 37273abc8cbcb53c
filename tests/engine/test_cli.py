"""The command-line contract (docs/cli.md), run as a real subprocess."""

import csv
import json
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, write_csv

pytestmark = pytest.mark.slow  # every test runs the command line as a subprocess


def run(*args, timeout=120):
    cmd = [sys.executable, "-m", "nps_core", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def sample(tmp_path):
    rows = [
        {"response_id": f"r{i}", "responded_at": f"2025-0{1 + i % 3}-1{i % 9} 12:00", "score": i % 11,
         "comment": "=cmd|' /C calc'!A0" if i == 4 else f"comment {i}",
         "nps_type": ("relationship", "transaction", "product")[i % 3],
         "touchpoint": ("webshop", "delivery")[i % 2], "spend": str(10 * i)}
        for i in range(60)
    ]
    rows.append({**rows[0], "response_id": "bad", "score": "n/a"})
    return write_csv(tmp_path / "sample.csv", rows), pd.DataFrame(rows[:-1])


def expected_nps(scores):
    s = pd.Series(scores).astype(int)
    return round(100 * ((s >= 9).mean() - (s <= 6).mean()), 1)


def test_import_json_shape_and_idempotence(tmp_path, sample):
    path, _ = sample
    db = str(tmp_path / "c.duckdb")
    first = run("import", str(path), "--db", db, "--json")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert set(out) == {"read", "imported", "duplicates", "rejected", "reasons", "rejects_file", "theme_pack"}
    assert (out["read"], out["imported"], out["duplicates"], out["rejected"]) == (61, 60, 0, 1)
    assert out["reasons"] == {"score not a number": 1}
    assert out["rejects_file"].endswith(".csv")
    second = json.loads(run("import", str(path), "--db", db, "--json").stdout)
    assert (second["imported"], second["duplicates"]) == (0, 60)


def test_summary_by_month_matches_pandas(tmp_path, sample):
    path, frame = sample
    db = str(tmp_path / "c.duckdb")
    run("import", str(path), "--db", db)
    res = run("summary", "--db", db, "--by", "month", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"n", "nps", "promoters", "passives", "detractors", "moe", "groups"}
    scores = frame["score"].astype(int)
    assert out["n"] == 60
    assert out["nps"] == expected_nps(scores)
    assert out["promoters"] == int((scores >= 9).sum())
    assert out["detractors"] == int((scores <= 6).sum())
    frame["month"] = frame["responded_at"].str[:7]
    expected = [{"key": m, "n": len(g), "nps": expected_nps(g["score"])}
                for m, g in frame.groupby("month")]
    assert [{k: g[k] for k in ("key", "n", "nps")} for g in out["groups"]] == expected
    assert all(set(g) == {"key", "n", "nps", "moe", "partial"} for g in out["groups"])
    # the data end on 2025-03-18: March runs on, January and February are complete
    assert [g["partial"] for g in out["groups"]] == [False, False, True]
    cut = json.loads(run("summary", "--db", db, "--by", "month", "--to", "2025-02-14", "--json").stdout)
    assert [g["partial"] for g in cut["groups"]] == [False, True]  # --to cuts February short


def test_summary_by_column_and_dates(tmp_path, sample):
    path, frame = sample
    db = str(tmp_path / "c.duckdb")
    run("import", str(path), "--db", db)
    out = json.loads(run("summary", "--db", db, "--from", "2025-02-01", "--to", "2025-02-28",
                         "--by", "touchpoint", "--json").stdout)
    feb = frame[frame["responded_at"].str.startswith("2025-02")]
    assert out["n"] == len(feb)
    assert {g["key"]: g["nps"] for g in out["groups"]} == {
        tp: expected_nps(g["score"]) for tp, g in feb.groupby("touchpoint")}


def test_export_csv_and_parquet(tmp_path, sample):
    path, frame = sample
    db = str(tmp_path / "c.duckdb")
    run("import", str(path), "--db", db)
    out_csv = tmp_path / "out.csv"
    assert run("export", "--db", db, "--format", "csv", "--out", str(out_csv)).returncode == 0
    with open(out_csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 60
    assert list(rows[0])[:5] == ["response_id", "responded_at", "score", "comment", "nps_type"]
    assert "spend" in rows[0]
    evil = next(r for r in rows if r["response_id"] == "r4")
    assert evil["comment"].startswith("'=")  # no formula when opened in a spreadsheet
    out_pq = tmp_path / "out.parquet"
    assert run("export", "--db", db, "--format", "parquet", "--out", str(out_pq),
               "--from", "2025-02-01", "--to", "2025-02-28").returncode == 0
    table = pq.read_table(out_pq).to_pandas()
    assert len(table) == int(frame["responded_at"].str.startswith("2025-02").sum())
    assert table["comment"].str.startswith("=").any()  # parquet keeps data as it is


@pytest.mark.parametrize(
    "args,needle",
    [
        (["summary", "--by", "no_such_column"], "cannot group by"),
        (["summary", "--dataset", "nope"], "unknown dataset"),
        (["import", "/no/such/file.csv"], "no such file"),
        (["summary", "--from", "yesterday"], "not a date"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(tmp_path, sample, args, needle):
    path, _ = sample
    db = str(tmp_path / "c.duckdb")
    run("import", str(path), "--db", db)
    res = run(*args, "--db", db)
    assert res.returncode != 0
    assert needle in res.stderr
    assert "Traceback" not in res.stderr
    if args[0] != "summary" or "--from" not in args:  # argparse prints usage too
        assert len(res.stderr.strip().splitlines()) == 1


def test_explain_json_contract_and_bad_input(tmp_path):
    from test_explain import bridge_rows  # April and May 2018 worked out by hand; June runs to the 20th

    db = str(tmp_path / "c.duckdb")
    path = write_csv(tmp_path / "bridge.csv", bridge_rows())
    assert run("import", str(path), "--db", db, "--nps-type", "transaction").returncode == 0
    res = run("explain", "--db", db, "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"dataset", "grain", "data", "periods", "change", "dimension", "ranking", "skipped",
                        "segments", "check", "themes_tested", "themes_moved", "narrative"}
    assert out["periods"]["b"] == {"from": "2018-05-01", "to": "2018-05-31", "n": 150, "nps": -26.7,
                                   "moe": out["periods"]["b"]["moe"], "partial": False}  # not June: it runs on
    assert out["periods"]["a"]["from"] == "2018-04-01" and out["periods"]["a"]["n"] == 100
    assert out["change"]["verdict"] == "significant" and out["dimension"] == "touchpoint"
    assert set(out["segments"][0]) == {"key", "n_a", "n_b", "share_a", "share_b", "nps_a", "nps_b", "mix",
                                       "performance", "contribution", "low", "high"}
    total = sum(s["mix"] + s["performance"] for s in out["segments"])
    assert abs(total - out["change"]["delta"]) < 1e-9 and abs(out["check"]["residual"]) < 1e-9
    assert [t["theme"] for t in out["themes_moved"]] == ["delivery"]
    assert set(out["narrative"]) == {"nl", "en"}
    assert out["narrative"]["en"][0]["text"].startswith("NPS fell 26.7 points to -26.7 in May 2018")
    assert out["narrative"]["nl"][0]["figures"][0] == {"key": "change.delta", "value": -26.7}

    june = json.loads(run("explain", "--db", db, "--from", "2018-06-01", "--to", "2018-06-30", "--json").stdout)
    assert june["periods"]["b"]["partial"] is True and june["periods"]["a"]["from"] == "2018-05-01"
    text = run("explain", "--db", db, "--by", "touchpoint")
    assert text.returncode == 0 and "Most of it came from installation" in text.stdout

    for args, needle in [
        (["--by", "no_such_column"], "cannot group by"),
        (["--from", "2018-05-31", "--to", "2018-05-01"], "cannot start after it ends"),
        (["--from", "2019-01-01", "--to", "2019-01-31"], "no responses"),
        (["--from", "2018-05-01", "--to", "2018-05-31", "--vs-from", "2018-04-01"], "--vs-from and --vs-to"),
        (["--from", "2018-05-01"], "--from and --to"),
    ]:
        res = run("explain", "--db", db, *args, "--json")
        assert res.returncode != 0 and needle in res.stderr, (args, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
        assert res.stdout == ""

    spikes = run("alerts", "--spikes", "--dry-run", "--db", db, "--json")
    assert spikes.returncode == 0, spikes.stderr
    out = json.loads(spikes.stdout)
    assert out["week"] == "2018-W24" and out["dry_run"] is True  # data end Wednesday 20 June: W25 runs on
    assert {"tested", "spikes", "would_send", "baseline_from", "baseline_to"} <= set(out)
