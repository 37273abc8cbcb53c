"""Scores of an older sentiment model are scored again (issue 28, item 3):
each score carries the model version (text/sentiment.MODEL_VERSION); a
database scored by another version counts those comments as pending, and the
analysis (the next import, `enrich`, the dashboard's background analysis)
scores them anew, the vector half of the blend included."""

import shutil

import duckdb
from conftest import write_csv

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text import sentiment
from nps_core.text.enrich import enrich, pending

COMMENTS = ["Snelle levering, prima geholpen", "De bezorger was onbeschoft en te laat",
            "Great service, friendly staff", "Never again, the app kept crashing", "No comment", "Geen"]


def _store(path, name="r") -> Store:
    rows = [{"response_id": f"r{i}", "responded_at": "2025-05-01", "score": 3 + i, "comment": c,
             "nps_type": "product"} for i, c in enumerate(COMMENTS)]
    store = Store(path / f"{name}.duckdb", lock_timeout=5)
    import_file(store, write_csv(path / f"{name}.csv", rows), dataset=name)
    return store


def _scores(store: Store) -> dict:
    store.let_go()
    with duckdb.connect(str(store.path), read_only=True) as con:
        return dict(con.execute("SELECT comment, sentiment FROM enrichment").fetchall())


def test_every_score_carries_the_current_model_version(tmp_path):
    store = _store(tmp_path)
    store.let_go()
    with duckdb.connect(str(store.path), read_only=True) as con:
        versions = {r[0] for r in con.execute("SELECT sentiment_version FROM enrichment").fetchall()}
    assert versions == {sentiment.MODEL_VERSION} and pending(store) == 0


def test_a_database_scored_by_an_older_model_is_scored_again(tmp_path):
    fresh = _scores(_store(tmp_path, "fresh"))  # the reference: scored by the current model from the start
    store = _store(tmp_path, "stale")
    store.let_go()
    with duckdb.connect(str(store.path)) as con:  # as an older model left it: other scores, another version
        con.execute("UPDATE enrichment SET sentiment = -0.99, sentiment_version = '0-older'")
    assert pending(store) == len(COMMENTS)
    out = enrich(store)
    assert out["rescored"] == len(COMMENTS) and pending(store) == 0
    again = _scores(store)
    assert again.keys() == fresh.keys()
    assert all(abs(again[c] - fresh[c]) < 1e-9 for c in fresh), (again, fresh)


def test_a_database_from_before_versions_is_scored_again(tmp_path):
    """Its rows gain the column as 'unversioned': never taken for waiting to be blended (blended twice)."""
    store = _store(tmp_path)
    fresh = _scores(store)
    with duckdb.connect(str(store.path)) as con:
        con.execute("ALTER TABLE enrichment DROP COLUMN sentiment_version")
    shutil.copy(store.path, tmp_path / "old.duckdb")  # a file this process has not seen: its schema is checked
    reopened = Store(tmp_path / "old.duckdb", lock_timeout=5)
    assert pending(reopened) == len(COMMENTS)
    enrich(reopened)
    again = _scores(reopened)
    assert all(abs(again[c] - fresh[c]) < 1e-9 for c in fresh), (again, fresh)
