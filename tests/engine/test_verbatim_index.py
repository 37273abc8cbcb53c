"""The Verbatims index (db/comment_index.py): counts, pages and word searches
read through it equal a plain pandas computation over the same rows, after
every path that writes responses, on the file store and on DuckLake."""

import datetime as dt
import random
import sqlite3
import unicodedata

import pandas as pd
import pytest
from conftest import write_csv

from nps_core.analysis import verbatims as vb
from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query
from nps_core.base.access import Access
from nps_core.db import comment_index
from nps_core.db.datasets import delete_dataset
from nps_core.db.migrate import migrate
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text.enrich import enrich

# repeated texts with LIKE wildcards, quotes, a backslash, accents and case
TEXTS = ["Levering was te laat", "100% tevreden", "snel_geleverd", "50%_korting niet gekregen",
         "Klant zei: \"te laat\"", "it's late again", "C:\\pad\\fout", "Café était très bien",
         "CAFE bezoek", "Prima service", "slecht", "Latency in de app", "", None]
REGIONS = ["Noord", "Zuid", "Oost"]
TYPES = ["transaction", "relationship", "product"]


def rows(n: int, seed: int, prefix: str) -> list[dict]:
    """n responses over 20 days, many at the very same second (ties in time)."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 3, 1)
    out = []
    for i in range(n):
        # a handful of instants per day: dozens of rows share each timestamp
        at = start + dt.timedelta(days=rng.randrange(20), hours=rng.choice([0, 9, 13, 23]),
                                  minutes=rng.choice([0, 59]), seconds=rng.choice([0, 59]))
        out.append({"response_id": f"{prefix}{rng.randrange(10**6):06d}-{i}",
                    "responded_at": at.strftime("%Y-%m-%d %H:%M:%S"), "score": rng.randrange(11),
                    "comment": rng.choice(TEXTS), "nps_type": rng.choice(TYPES), "region": rng.choice(REGIONS),
                    "customer_id": f"{prefix}{i}"})  # unique: the pages' order is checked row by row
    return out


def fold(text: str) -> str:
    """Lower case without accents, as the page documents its word search."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def expected(frame: pd.DataFrame, f: Filters = Filters(), q: Query = Query(), region=None) -> pd.DataFrame:
    """The selection by hand, newest first, ties by response id."""
    d = frame[frame["comment"].notna() & (frame["comment"] != "")]
    if f.date_from:
        d = d[d["responded_at"] >= pd.Timestamp(f.date_from)]
    if f.date_to:
        d = d[d["responded_at"] < pd.Timestamp(f.date_to) + pd.Timedelta(days=1)]
    if f.nps_types:
        d = d[d["nps_type"].isin(f.nps_types)]
    for column, values in f.dims:
        d = d[d[column].isin(values)]
    if region:
        d = d[d["region"].isin(region)]
    d = d[d["score"].between(q.score_min, q.score_max)]
    if q.categories:
        cat = d["score"].map(lambda s: "promoter" if s >= 9 else "passive" if s >= 7 else "detractor")
        d = d[cat.isin(q.categories)]
    for word in q.search.split():
        d = d[d["comment"].map(lambda c: fold(word) in fold(c)).astype(bool)]  # bool: an empty frame stays one
    return d.sort_values(["responded_at", "response_id"], ascending=[False, True])


def frame_of(*batches) -> pd.DataFrame:
    d = pd.DataFrame([r for batch in batches for r in batch])
    d["responded_at"] = pd.to_datetime(d["responded_at"])
    return d.drop_duplicates("response_id")


QUERIES = [Query(), Query(search="laat"), Query(search="LAAT te"), Query(search="%"), Query(search="100%"),
           Query(search="_"), Query(search="50%_"), Query(search='"te'), Query(search="it's"),
           Query(search="\\pad"), Query(search="cafe"), Query(search="très"), Query(search="nothing-matches"),
           Query(categories=("detractor",)), Query(search="la", categories=("promoter", "passive")),
           Query(score_min=3, score_max=8)]
FILTERS = [Filters(dataset="d"), Filters(dataset="d", date_from=dt.date(2025, 3, 5), date_to=dt.date(2025, 3, 12)),
           Filters(dataset="d", nps_types=("transaction", "product")),
           Filters(dataset="d", dims=(("region", ("Noord",)),))]


def check(store: Store, frame: pd.DataFrame, filters=FILTERS, queries=QUERIES, region=None, size=25) -> None:
    """Count and pages (first, deep, across day boundaries, past the end) against pandas."""
    for f in filters:
        for q in queries:
            want = expected(frame, f, q, region)
            assert vb.count(store, f, q) == len(want), (f, q)
            offsets = sorted({0, len(want) // 2, len(want) - 3, len(want) + 40})
            for offset in (o for o in offsets if o >= 0):
                got = vb.page(store, f, q, size, offset)
                part = want.iloc[offset:offset + size]
                assert list(got["customer_id"]) == list(part["customer_id"]), (f, q, offset)
                assert list(got["responded_at"]) == list(part["responded_at"]), (f, q, offset)
        # every row once, in order, through consecutive pages
        want = expected(frame, f, Query(), region)
        pages = [vb.page(store, f, Query(), 40, o) for o in range(0, len(want), 40)]
        assert [c for p in pages for c in p["customer_id"]] == list(want["customer_id"])


def indexed(store: Store, dataset: str = "d") -> bool:
    with store.read() as con:
        return comment_index.indexed(con, dataset)


@pytest.fixture
def two_imports(store, tmp_path):
    first, second = rows(500, 1, "a"), rows(400, 2, "b")
    import_file(store, write_csv(tmp_path / "one.csv", first), dataset="d")
    # the second file repeats a slice of the first (duplicates are not stored twice)
    import_file(store, write_csv(tmp_path / "two.csv", second + first[:50]), dataset="d")
    other = rows(150, 3, "o")
    import_file(store, write_csv(tmp_path / "other.csv", other), dataset="other")
    return store, frame_of(first, second), frame_of(other)


@pytest.mark.slow
def test_index_equals_pandas_after_two_imports(two_imports):
    store, frame, _ = two_imports
    assert indexed(store)  # the index answers, not the fallback
    check(store, frame)


@pytest.mark.slow
def test_a_deleted_dataset_takes_its_index_along(two_imports):
    store, frame, other = two_imports
    delete_dataset(store, "other")
    with store.read() as con:
        left = {t: con.execute(f"SELECT count(*) FROM {t} WHERE dataset = 'other'").fetchone()[0]
                for t in comment_index.INDEX_TABLES}
    assert left == {t: 0 for t in comment_index.INDEX_TABLES}
    check(store, frame, filters=FILTERS[:1])


@pytest.mark.slow
def test_a_store_without_index_reads_responses_and_enrich_builds_it(two_imports):
    store, frame, other = two_imports
    with store.write() as con:  # as a store made by an older version
        for table in comment_index.INDEX_TABLES:
            con.execute(f"DELETE FROM {table}")
    assert not indexed(store)
    check(store, frame, queries=QUERIES[:3])  # answered from responses
    enrich(store)
    assert indexed(store) and indexed(store, "other")
    check(store, frame)
    check(store, other, filters=[Filters(dataset="other")], queries=QUERIES[:4])


@pytest.mark.slow
def test_migrate_to_another_file_keeps_or_builds_the_index(two_imports, tmp_path):
    store, frame, _ = two_imports
    copied = Store(tmp_path / "copy.duckdb")
    migrate(store, copied)
    assert indexed(copied)
    check(copied, frame, filters=FILTERS[:2])
    with store.write() as con:  # a file made by an older version: no index to copy
        for table in comment_index.INDEX_TABLES:
            con.execute(f"DELETE FROM {table}")
    rebuilt = Store(tmp_path / "rebuilt.duckdb")
    migrate(store, rebuilt)
    assert indexed(rebuilt)
    check(rebuilt, frame, filters=FILTERS[:2])


@pytest.mark.slow
def test_scoped_readers(two_imports):
    store, frame, _ = two_imports
    by_dataset = Store(store.path, access=Access(datasets=("d",)))
    assert indexed(by_dataset)  # a dataset scope reads the index of its datasets
    check(by_dataset, frame, filters=FILTERS[:2], queries=QUERIES[:5])
    by_region = Store(store.path, access=Access(datasets=("d",), dims=(("region", ("Zuid", "Oost")),)))
    assert not indexed(by_region)  # a dimension scope cannot use whole-dataset counts
    check(by_region, frame, filters=FILTERS, queries=QUERIES[:5], region=("Zuid", "Oost"))
    with by_region.read() as con:  # nor see the index of rows outside it
        assert con.execute("SELECT count(*) FROM comment_texts").fetchone()[0] == 0


def test_a_page_past_the_end_is_empty_with_the_columns(two_imports):
    store, frame, _ = two_imports
    got = vb.page(store, Filters(dataset="d"), Query(), 25, 10**6)
    assert got.empty and list(got.columns) == list(vb.COLUMNS)


@pytest.mark.slow
def test_a_live_source_reads_its_rows_and_a_snapshot_is_indexed(two_imports, tmp_path_factory, monkeypatch):
    from nps_core.sources.registry import add_source, refresh_source

    store, frame, _ = two_imports
    first, more = rows(400, 7, "s"), rows(150, 8, "t")
    folder = tmp_path_factory.mktemp("source")  # outside the store's folder, as file sources must be
    monkeypatch.setenv("NPS_SOURCE_DIRS", str(folder))
    path = folder / "survey.sqlite"
    with sqlite3.connect(path) as db:
        pd.DataFrame(first).to_sql("t", db, index=False)
    mapping = {f: f for f in ("response_id", "responded_at", "score", "comment", "nps_type", "region",
                              "customer_id")}
    add_source(store, "live", f"sqlite:{path}", table="t", mapping=mapping, mode="live")
    add_source(store, "snap", f"sqlite:{path}", table="t", mapping=mapping, cursor="response_id")
    assert not indexed(store, "live") and indexed(store, "snap")
    with sqlite3.connect(path) as db:
        pd.DataFrame(more).to_sql("t", db, index=False, if_exists="append")
    refresh_source(store, "snap")  # the new rows join the snapshot's index
    for name in ("live", "snap"):
        check(store, frame_of(first, more), filters=[Filters(dataset=name)], queries=QUERIES[:4])
    check(store, frame, filters=FILTERS[:1], queries=QUERIES[:2])  # the stored dataset is untouched


@pytest.mark.pg
@pytest.mark.slow
def test_index_on_the_lake_after_import_migrate_and_delete(pg_server, tmp_path, monkeypatch, store):
    from test_lake import new_lake

    lake = Store(new_lake(pg_server, tmp_path, monkeypatch))
    first, second, other = rows(600, 4, "a"), rows(400, 5, "b"), rows(200, 6, "o")
    import_file(lake, write_csv(tmp_path / "one.csv", first), dataset="d")
    import_file(lake, write_csv(tmp_path / "two.csv", second + first[:30]), dataset="d")
    import_file(lake, write_csv(tmp_path / "other.csv", other), dataset="other")
    frame = frame_of(first, second)
    assert indexed(lake)
    # each read of a lake costs a catalog round trip or more: a few filters, the tricky words
    check(lake, frame, filters=FILTERS[1:3], queries=[QUERIES[i] for i in (0, 1, 3, 5, 8, 11, 14)])
    delete_dataset(lake, "other")
    check(lake, frame, filters=FILTERS[:1], queries=QUERIES[:2])
    # and back to a file: the copy answers the same
    migrate(lake, store)
    assert indexed(store)
    check(store, frame, filters=FILTERS[:2])
