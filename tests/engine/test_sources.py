"""Connected sources against real databases: a PostgreSQL server started for the
session, SQLite and DuckDB files, Parquet files and folders.

The reference for every number is the same data imported from a CSV through
the upload path, and for the headline a plain pandas count."""

import json
import re
import sqlite3
import subprocess
import sys

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.db.connections import SourceError
from nps_core.db.errors import StoreError
from nps_core.ingest.importer import import_file
from nps_core.sources.attach import get_source
from nps_core.sources.live import bind, live_path
from nps_core.sources.registry import (
    add_source,
    list_sources,
    list_tables,
    refresh_source,
)

MAPPING = {"response_id": "id", "responded_at": "submitted", "score": "score", "nps_type": "programme",
           "comment": "comment", "touchpoint": "touchpoint"}
READER, READER_PASSWORD = "reader", "reader-secret"


def frame(first: int, n: int, seed: int) -> pd.DataFrame:
    """Responses with every kind of row the validation rules reject."""
    rng = np.random.default_rng(seed)
    ids = np.arange(first, first + n)
    score = pd.array(rng.integers(0, 11, n), dtype="Int64")
    score[rng.random(n) < 0.03] = pd.NA  # score missing
    score[rng.random(n) < 0.02] = 11  # out of range
    return pd.DataFrame({
        "id": ids,
        "submitted": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 540 * 24, n), unit="h"),
        "score": score,
        "programme": rng.choice(["relationship", "transaction", "tNPS", "Relatie", "weird"], n,
                                p=[0.4, 0.3, 0.13, 0.13, 0.04]),
        "comment": [f"opmerking {i}" for i in ids],
        "touchpoint": rng.choice(["shop", "web", "phone"], n),
        "revenue": rng.integers(0, 5000, n) / 4,
    })


BASE = frame(1, 800, 1)
MORE = frame(801, 60, 2)


def expected(df: pd.DataFrame) -> dict:
    """n and NPS of the valid rows, by plain pandas (the independent reference)."""
    known = df["programme"].str.lower().isin(["relationship", "transaction", "tnps", "relatie"])
    s = df["score"]
    valid = df[s.notna() & (s <= 10) & known]
    p, d = (valid["score"] >= 9).sum(), (valid["score"] <= 6).sum()
    return {"n": len(valid), "nps": round(100 * (p - d) / len(valid), 1)}


def numbers(store, dataset) -> dict:
    f = Filters(dataset=dataset)
    s = aggregates.summary(store, f)
    by_tp = aggregates.breakdown(store, f, "touchpoint", compare=False).sort_values("key")
    by_month = aggregates.trend(store, f, "month")
    return {"n": s.n, "counts": (s.promoters, s.passives, s.detractors), "nps": round(s.nps, 1),
            "touchpoints": by_tp[["key", "n", "nps"]].round(6).values.tolist(),
            "months": by_month[["key", "n", "nps"]].round(6).values.tolist()}


def csv_reference(store, df, tmp_path, name="csv", mapping=MAPPING) -> tuple:
    path = tmp_path / f"{name}.csv"
    df.to_csv(path, index=False)
    result = import_file(store, path, dataset=name, mapping=mapping)
    return result, numbers(store, name)


@pytest.fixture(autouse=True)
def source_dirs(tmp_path, monkeypatch):
    """File sources are read from allowed folders only: here each test's own."""
    monkeypatch.setenv("NPS_SOURCE_DIRS", str(tmp_path))


# -- the sources, one per kind ------------------------------------------------------
@pytest.fixture(scope="module")
def pg(pg_server):
    con = pg_server.admin()
    con.register("base", BASE)
    con.execute("DROP TABLE IF EXISTS pg.public.responses")
    con.execute("CREATE TABLE pg.public.responses AS SELECT * FROM base")
    con.close()
    pg_server.add_reader(READER, READER_PASSWORD)  # idempotent: each module using this fixture sets it up again
    return pg_server


@pytest.fixture
def pg_base(pg):
    """The server with exactly BASE in `responses` (tests append to it)."""
    pg.execute(f"DELETE FROM responses WHERE id > {len(BASE)}")
    return pg


class Kind:
    """Create a source of one kind with BASE, append MORE, give its --url."""

    def __init__(self, kind, tmp_path, monkeypatch, pg=None):
        self.kind, self.pg, self.dir = kind, pg, tmp_path / f"src-{kind}"
        self.dir.mkdir()
        if kind == "postgres":
            monkeypatch.setenv("NPS_SOURCE_URL_SRC", pg.url(READER, READER_PASSWORD))
            self.url, self.table = "env:NPS_SOURCE_URL_SRC", "responses"
        elif kind == "sqlite":
            self.path = self.dir / "survey.sqlite"
            with sqlite3.connect(self.path) as db:
                BASE.assign(submitted=BASE["submitted"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_sql(
                    "responses", db, index=False)
            self.url, self.table = f"sqlite:{self.path}", "responses"
        elif kind == "duckdb":
            self.path = self.dir / "survey.duckdb"
            with duckdb.connect(str(self.path)) as db:
                db.register("base", BASE)
                db.execute("CREATE TABLE responses AS SELECT * FROM base")
            self.url, self.table = f"duckdb:{self.path}", "responses"
        else:
            BASE.to_parquet(self.dir / "part-1.parquet", index=False)
            self.url, self.table = str(self.dir), None

    def append(self, df):
        if self.kind == "postgres":
            con = self.pg.admin()
            con.register("more", df)
            con.execute("INSERT INTO pg.public.responses SELECT * FROM more")
            con.close()
        elif self.kind == "sqlite":
            with sqlite3.connect(self.path) as db:
                df.assign(submitted=df["submitted"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_sql(
                    "responses", db, index=False, if_exists="append")
        elif self.kind == "duckdb":
            with duckdb.connect(str(self.path)) as db:
                db.register("more", df)
                db.execute("INSERT INTO responses SELECT * FROM more")
        else:
            df.to_parquet(self.dir / "part-2.parquet", index=False)


KINDS = ("postgres", "sqlite", "duckdb", "parquet")


@pytest.fixture(params=KINDS)
def source(request, tmp_path, monkeypatch):
    pg = request.getfixturevalue("pg_base") if request.param == "postgres" else None
    return Kind(request.param, tmp_path, monkeypatch, pg)


def test_live_and_snapshot_equal_the_csv_import_and_refresh_moves_only_new_rows(source, store, tmp_path):
    csv_result, reference = csv_reference(store, BASE, tmp_path)
    assert {"n": reference["n"], "nps": reference["nps"]} == expected(BASE)

    snap = add_source(store, "snap", source.url, table=source.table, mapping=MAPPING, mode="snapshot",
                      cursor="id")
    live = add_source(store, "live", source.url, table=source.table, mapping=MAPPING, mode="live")
    assert snap.contract() | {"rejects_file": None} == csv_result.contract() | {"rejects_file": None}
    assert (live.read, live.imported, live.rejected, live.reasons) == (
        csv_result.read, csv_result.imported, csv_result.rejected, csv_result.reasons)
    assert numbers(store, "snap") == reference
    assert numbers(store, "live") == reference

    source.append(MORE)
    both = pd.concat([BASE, MORE], ignore_index=True)
    _, reference2 = csv_reference(store, both, tmp_path, "csv2")
    again = refresh_source(store, "snap")
    new_valid = expected(MORE)["n"]
    # only the new rows travel: read counts the rows above the cursor, nothing else
    assert (again.read, again.imported, again.duplicates) == (len(MORE), new_valid, 0)
    assert numbers(store, "snap") == reference2
    assert numbers(store, "live") == reference2  # live reads the source on every query
    assert refresh_source(store, "snap").read == 0
    listed = {r["name"]: r for r in list_sources(store)}
    assert listed["snap"]["cursor_value"] == str(len(BASE) + len(MORE))
    assert listed["live"]["mode"] == "live" and listed["live"]["refreshed_at"]


def test_cli_source_add_refresh_list_and_summary_match_a_dataset(pg_base, store, tmp_path, monkeypatch):
    pg = pg_base
    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg.url(READER, READER_PASSWORD))
    csv_path = tmp_path / "base.csv"
    BASE.to_csv(csv_path, index=False)
    maps = [arg for f, c in MAPPING.items() for arg in ("--map", f"{f}={c}")]

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "nps_core", *args, "--db", str(store.path)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    import_file(store, csv_path, dataset="csv", mapping=MAPPING)
    added = cli("source", "add", "crm", "--url", "env:NPS_SOURCE_URL_PG", "--table", "responses", *maps,
                "--mode", "live", "--json")
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["imported"] == expected(BASE)["n"]
    by_source = cli("summary", "--source", "crm", "--by", "touchpoint", "--json")
    by_dataset = cli("summary", "--dataset", "csv", "--by", "touchpoint", "--json")
    assert json.loads(by_source.stdout) == json.loads(by_dataset.stdout)
    refreshed = cli("source", "refresh", "crm", "--json")
    assert set(json.loads(refreshed.stdout)) == {"read", "imported", "duplicates", "rejected", "reasons",
                                                 "rejects_file"}
    listed = json.loads(cli("source", "list", "--json").stdout)["sources"]
    assert [(s["name"], s["connection"]) for s in listed] == [("crm", "env:NPS_SOURCE_URL_PG")]
    assert READER_PASSWORD not in store.path.read_bytes().decode("latin-1")

    # a password on the command line is refused, and never stored
    inline = cli("source", "add", "x", "--url", pg.url(READER, READER_PASSWORD), "--table", "responses")
    assert inline.returncode == 2 and "never stored" in inline.stderr
    assert READER_PASSWORD not in inline.stderr

    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg.url(READER, "wrong-password"))
    failed = cli("summary", "--source", "crm")
    assert failed.returncode == 2 and failed.stdout == ""
    assert failed.stderr.count("\n") == 1 and "password authentication failed" in failed.stderr
    assert "wrong-password" not in failed.stderr


def one_line(exc) -> str:
    text = str(exc.value)
    assert "\n" not in text
    return text


def test_errors_are_one_clear_line_and_other_datasets_keep_working(pg_base, store, tmp_path, monkeypatch):
    pg = pg_base
    _, reference = csv_reference(store, BASE, tmp_path)
    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg.url(READER, READER_PASSWORD))
    con = pg.admin()
    con.execute("DROP TABLE IF EXISTS pg.public.shrinking")
    con.execute("CREATE TABLE pg.public.shrinking AS SELECT * FROM pg.public.responses")
    con.close()
    pg.execute(f"GRANT SELECT ON shrinking TO {READER}")
    add_source(store, "live", "env:NPS_SOURCE_URL_PG", table="shrinking", mapping=MAPPING, mode="live")
    add_source(store, "snap", "env:NPS_SOURCE_URL_PG", table="shrinking", mapping=MAPPING, cursor="id")

    with pytest.raises(SourceError) as missing:
        add_source(store, "nope", "env:NPS_SOURCE_URL_PG", table="no_such_table", mode="live")
    assert "no_such_table" in one_line(missing)

    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg.url(READER, "wrong-password"))
    with pytest.raises(SourceError) as refused:
        aggregates.summary(store, Filters(dataset="live"))
    assert "password authentication failed" in one_line(refused) and "wrong-password" not in str(refused.value)
    assert numbers(store, "csv") == reference  # the rest of the dashboard is unaffected

    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg.url(READER, READER_PASSWORD))
    pg.stop()
    try:
        with pytest.raises(SourceError) as down:
            aggregates.summary(store, Filters(dataset="live"))
        assert "cannot connect" in one_line(down) and READER_PASSWORD not in str(down.value)
        with pytest.raises(SourceError):
            refresh_source(store, "snap")
        assert numbers(store, "csv") == reference
        assert aggregates.summary(store, Filters(dataset="snap")).n == reference["n"]  # the copy stays
    finally:
        pg.start()

    pg.execute("ALTER TABLE shrinking DROP COLUMN touchpoint")
    for action in (lambda: aggregates.summary(store, Filters(dataset="live")), lambda: refresh_source(store, "snap")):
        with pytest.raises(SourceError) as vanished:
            action()
        assert "'touchpoint' no longer exists" in one_line(vanished)

    monkeypatch.delenv("NPS_SOURCE_URL_PG")
    with pytest.raises(SourceError, match="NPS_SOURCE_URL_PG is not set"):
        aggregates.summary(store, Filters(dataset="live"))


def test_nothing_is_ever_written_to_the_customer_database(pg_base, store, monkeypatch, tmp_path):
    """A superuser connection is refused outright (test_hostile_postgres_role_that_could_write_is_refused
    covers a role with write rights); with the read-only role the server log shows only reads, in READ
    ONLY transactions, and writes through the attachment or a query are refused before the server."""
    pg = pg_base
    monkeypatch.setenv("NPS_SOURCE_URL_SUPER", pg.url())
    with pytest.raises(SourceError, match="is a superuser"):
        list_tables("env:NPS_SOURCE_URL_SUPER")
    with pytest.raises(SourceError, match="is a superuser"):
        add_source(store, "super", "env:NPS_SOURCE_URL_SUPER", table="responses", mapping=MAPPING, mode="live")
    monkeypatch.setenv("NPS_SOURCE_URL_ADMIN", pg.url(READER, READER_PASSWORD))
    before_rows = pg.admin().execute("SELECT count(*) FROM pg.public.responses").fetchone()[0]
    log_start = len(pg.log_text())

    assert "responses" in list_tables("env:NPS_SOURCE_URL_ADMIN")
    add_source(store, "live", "env:NPS_SOURCE_URL_ADMIN", table="responses", mapping=MAPPING, mode="live")
    add_source(store, "snap", "env:NPS_SOURCE_URL_ADMIN", query="SELECT * FROM responses WHERE score IS NOT NULL",
               mapping=MAPPING, cursor="id")
    refresh_source(store, "snap")
    refresh_source(store, "live")
    aggregates.overview(store, Filters(dataset="live"))
    with store.read() as con:  # the attachment a live view uses refuses writes
        bind(con, "live")
        alias = con.execute("SELECT database_name FROM duckdb_databases() WHERE type = 'postgres'").fetchone()[0]
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute(f"DELETE FROM {alias}.public.responses")
        with pytest.raises(duckdb.Error):
            con.execute(f"CALL postgres_execute('{alias}', 'DELETE FROM responses')")
    # a data-modifying statement disguised as a query: refused by us or by the server
    for query in ("DELETE FROM responses", "SELECT 1; DELETE FROM responses",
                  "WITH gone AS (DELETE FROM responses RETURNING *) SELECT * FROM gone"):
        with pytest.raises(SourceError):
            add_source(store, "evil", "env:NPS_SOURCE_URL_ADMIN", query=query, mapping=MAPPING)

    assert pg.admin().execute("SELECT count(*) FROM pg.public.responses").fetchone()[0] == before_rows
    ours = [line for line in pg.log_text()[log_start:].splitlines() if line.startswith("app=nps_dashboard")]
    statements = [line.split("statement: ", 1)[1] for line in ours if "statement: " in line]
    assert len(statements) > 10  # the log does show what we sent
    writes = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|GRANT|REVOKE|COPY\s+\w+\s+FROM)",
                        re.I)
    assert [s for s in statements if writes.match(s)] == []
    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins and all("READ ONLY" in s.upper() for s in begins)


def test_file_sources_stay_untouched(tmp_path, monkeypatch, store):
    for kind in ("sqlite", "duckdb"):
        src = Kind(kind, tmp_path, monkeypatch)
        before = src.path.read_bytes()
        add_source(store, f"{kind}-live", src.url, table=src.table, mapping=MAPPING, mode="live")
        add_source(store, f"{kind}-snap", src.url, table=src.table, mapping=MAPPING, cursor="id")
        with store.read() as con:
            bind(con, f"{kind}-live")
            alias = con.execute("SELECT database_name FROM duckdb_databases() WHERE database_name LIKE 'src_%'"
                                ).fetchone()[0]
            with pytest.raises(duckdb.Error, match="read-only|read only"):
                con.execute(f"DELETE FROM {alias}.responses")
        assert src.path.read_bytes() == before


def test_bad_requests_are_refused(store, tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        add_source(store, "x", f"sqlite:{tmp_path / 'missing.sqlite'}", table="t")
    with pytest.raises(SourceError, match="cannot tell"):
        add_source(store, "x", str(tmp_path / "file.txt"), table="t")
    with pytest.raises(SourceError, match="sent to PostgreSQL"):
        add_source(store, "x", str(tmp_path), query="SELECT 1")
    with pytest.raises(StoreError, match="letters, digits"):
        add_source(store, "bad name", str(tmp_path))


# -- a well-typed table is read as it is, with the same results ------------------------
def typed_frame() -> pd.DataFrame:
    """Rows in native types (id, timestamp, integer score, decimal extra) with
    every rejection a typed table can hold, rows without an id and padded or
    blank text."""
    df = frame(1, 900, 5)
    rng = np.random.default_rng(6)
    n = len(df)
    df["id"] = pd.array(df["id"], dtype="Int64")
    df.loc[rng.random(n) < 0.05, "id"] = pd.NA  # no id: the response id is a hash of the row
    df.loc[rng.random(n) < 0.03, "submitted"] = pd.NaT  # date missing
    df.loc[rng.random(n) < 0.02, "submitted"] = pd.Timestamp("1985-06-01 10:00")  # not a plausible date
    df.loc[rng.random(n) < 0.02, "score"] = -1  # out of range
    df.loc[rng.random(n) < 0.03, "programme"] = None  # programme type missing
    df.loc[rng.random(n) < 0.04, "touchpoint"] = rng.choice(["  ", " web "], 1)[0]  # blank, padded
    halves = rng.random(n) < 0.03
    df["rating"] = df["score"].astype("Float64") + np.where(halves, 0.5, 0.0)  # a decimal score, some not whole
    # named like the view's own column (and the programme spellings' table)
    return df.rename(columns={"programme": "nps_type"})


TYPED_MAPPING = MAPPING | {"nps_type": "nps_type"}


def valid_typed(df: pd.DataFrame) -> pd.DataFrame:
    """The valid rows of typed_frame, by plain pandas."""
    known = df["nps_type"].str.lower().isin(["relationship", "transaction", "tnps", "relatie"])
    s, year = df["score"], df["submitted"].dt.year
    return df[s.notna() & (s >= 0) & (s <= 10) & year.between(1990, 2100) & known]


def expected_typed(df: pd.DataFrame) -> dict:
    valid = valid_typed(df)
    p, d = (valid["score"] >= 9).sum(), (valid["score"] <= 6).sum()
    return {"n": len(valid), "nps": round(100 * (p - d) / len(valid), 1)}


def scan_filters(store, dataset, sql, params) -> str:
    """The filters DuckDB hands to the PostgreSQL scan of a live dataset's query."""
    with store.read() as con:
        bind(con, dataset)
        plan = json.loads(con.execute(f"EXPLAIN (FORMAT json) {sql}", params).fetchall()[0][1])
    nodes, found = list(plan), []
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("children", []))
        if node["name"] == "POSTGRES_SCAN":
            filters = node["extra_info"].get("Filters", "")
            found.append(" AND ".join(filters) if isinstance(filters, list) else filters)
    assert len(found) == 1
    return found[0]


def view_rows(store, dataset) -> list:
    with store.read() as con:
        bind(con, dataset)
        # revenue is a number from the typed table, text from the text one
        return con.execute("SELECT response_id, responded_at, score, nps_type, comment, touchpoint, "
                           "CAST(revenue AS DOUBLE) "
                           "FROM responses ORDER BY ALL").fetchall()


def test_a_typed_table_is_filtered_by_the_server_and_equals_the_csv_import(pg, store, tmp_path, monkeypatch):
    df = typed_frame()
    con = pg.admin()
    con.register("typed_df", df)
    for table in ("typed", "typed_text"):
        con.execute(f"DROP TABLE IF EXISTS pg.public.{table}")
    con.execute("CREATE TABLE pg.public.typed AS SELECT id, submitted, CAST(score AS INTEGER) AS score, nps_type, "
                "comment, touchpoint, CAST(revenue AS DECIMAL(10, 2)) AS revenue, CAST(submitted AS DATE) AS day, "
                "CAST(submitted AS TIMESTAMPTZ) AS zoned, CAST(rating AS DECIMAL(4, 1)) AS rating FROM typed_df")
    # the same values as the text path writes them (a zoned time as local wall-clock time)
    con.execute("CREATE TABLE pg.public.typed_text AS SELECT CAST(COLUMNS(* EXCLUDE (zoned, rating)) AS VARCHAR), "
                "CAST(CAST(zoned AS TIMESTAMP) AS VARCHAR) AS zoned, CAST(rating AS VARCHAR) AS rating "
                "FROM pg.public.typed")
    columns = {t: dict(r[:2] for r in con.execute(f"DESCRIBE pg.public.{t}").fetchall()) for t in ("typed", "typed_text")}
    assert [columns["typed"][c] for c in ("submitted", "score", "day", "zoned")] == [
        "TIMESTAMP", "INTEGER", "DATE", "TIMESTAMP WITH TIME ZONE"]
    con.close()
    pg.execute(f"GRANT SELECT ON typed, typed_text TO {READER}")
    monkeypatch.setenv("NPS_SOURCE_URL_PG", pg.url(READER, READER_PASSWORD))

    csv_result, reference = csv_reference(store, df, tmp_path, mapping=TYPED_MAPPING)
    assert {"n": reference["n"], "nps": reference["nps"]} == expected_typed(df)
    assert set(csv_result.reasons) >= {"score missing", "score out of range", "date missing", "date unreadable",
                                       "programme type missing", "programme type unknown"}
    typed = add_source(store, "typed", "env:NPS_SOURCE_URL_PG", table="typed", mapping=TYPED_MAPPING, mode="live")
    text = add_source(store, "typed_text", "env:NPS_SOURCE_URL_PG", table="typed_text", mapping=TYPED_MAPPING, mode="live")
    for live in (typed, text):
        assert (live.read, live.imported, live.rejected, live.reasons) == (
            csv_result.read, csv_result.imported, csv_result.rejected, csv_result.reasons)

    # the typed table's date filter (and score range) run in PostgreSQL; the text table's cannot
    month = "SELECT count(*) FROM responses WHERE responded_at >= ? AND responded_at < ?"
    span = [pd.Timestamp("2024-03-01").to_pydatetime(), pd.Timestamp("2024-04-01").to_pydatetime()]
    typed_filters = scan_filters(store, "typed", month, span)
    assert "submitted>='2024-03-01 00:00:00'" in typed_filters and "submitted<'2024-04-01" in typed_filters
    assert "score>=0" in typed_filters and "score<=10" in typed_filters
    assert "submitted" not in scan_filters(store, "typed_text", month, span)

    # same numbers as the CSV import, for the whole table and for one month
    assert numbers(store, "typed") == reference
    assert numbers(store, "typed_text") == reference
    march = dict(date_from=pd.Timestamp("2024-03-01").date(), date_to=pd.Timestamp("2024-03-31").date())
    for name in ("typed", "typed_text"):
        ov, ov_csv = (aggregates.overview(store, Filters(dataset=d, **march)) for d in (name, "csv"))
        assert (ov.current.n, ov.current.nps, ov.previous.n) == (ov_csv.current.n, ov_csv.current.nps, ov_csv.previous.n)
        assert ov.trend[["key", "n", "nps"]].values.tolist() == ov_csv.trend[["key", "n", "nps"]].values.tolist()
    # and row for row the same view, hashed ids of the rows without one included
    rows = view_rows(store, "typed")
    assert len(rows) == reference["n"] and rows == view_rows(store, "typed_text")
    hashed = [r for r in rows if not r[0].isdigit()]
    assert len(hashed) == valid_typed(df)["id"].isna().sum() > 0

    assert live_path(get_source(store, "typed"), columns["typed"]) == "native"
    assert live_path(get_source(store, "typed_text"), columns["typed_text"]) == "text"
    # a date or a timestamp with time zone is read as it is too (its date filter is DuckDB's)
    _, by_day = csv_reference(store, df.assign(submitted=df["submitted"].dt.floor("D")), tmp_path, "csv_day",
                              TYPED_MAPPING)
    for column, reference_numbers in (("day", by_day), ("zoned", reference)):
        add_source(store, column, "env:NPS_SOURCE_URL_PG", table="typed", mapping=TYPED_MAPPING | {"responded_at": column},
                   mode="live")
        assert live_path(get_source(store, column), columns["typed"]) == "native"
        assert numbers(store, column) == reference_numbers

    # a decimal score: a half is a reject ("score not a whole number"), as in the CSV import
    rated = df.drop(columns="score").rename(columns={"rating": "score"})
    csv_rated, by_rating = csv_reference(store, rated, tmp_path, "csv_rated", TYPED_MAPPING)
    assert csv_rated.reasons["score not a whole number"] == (rated["score"] % 1 == 0.5).sum() > 0
    add_source(store, "rated", "env:NPS_SOURCE_URL_PG", table="typed", mapping=TYPED_MAPPING | {"score": "rating"}, mode="live")
    assert live_path(get_source(store, "rated"), columns["typed"]) == "native"
    assert numbers(store, "rated") == by_rating
    # 9 with three decimals is "9.000", nine thousand to the upload's number reading: left to the text path
    assert live_path(get_source(store, "rated"), columns["typed"] | {"rating": "DECIMAL(5,3)"}) == "text"
