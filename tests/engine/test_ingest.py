"""Importing canonical CSV files: counts, rejects, duplicates, atomicity."""

import csv

import pytest
from conftest import write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.ingest.importer import import_file
from nps_core.ingest.rules import ImportRefused


def canonical(i, score, when="2025-03-01 10:00", nps_type="transaction", comment=""):
    return {"response_id": f"id{i}", "responded_at": when, "score": score, "comment": comment,
            "nps_type": nps_type, "touchpoint": "webshop", "revenue": "12.5"}


def table_counts(store):
    with store.read() as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("responses", "datasets", "imports", "rejects", "dataset_columns")}


def test_counts_and_reasons(store, tmp_path):
    rows = [canonical(i, s) for i, s in enumerate([10, 9, 7, 0])]
    rows += [canonical(10, "x"), canonical(11, ""), canonical(12, "11"), canonical(13, "7.5"),
             canonical(14, 5, when="31-02-2025"), canonical(15, 5, nps_type="survey"),
             canonical(0, 10)]  # id0 again: a duplicate
    res = import_file(store, write_csv(tmp_path / "f.csv", rows))
    assert (res.read, res.imported, res.duplicates, res.rejected) == (11, 4, 1, 6)
    assert res.reasons == {"score not a number": 1, "score missing": 1, "score out of range": 1,
                           "score not a whole number": 1, "date unreadable": 1,
                           "programme type unknown": 1}
    s = agg.summary(store, Filters())
    assert (s.promoters, s.passives, s.detractors) == (2, 1, 1)


def test_rejects_file_keeps_original_rows_and_reasons(store, tmp_path):
    rows = [canonical(1, 10), canonical(2, "abc", comment="=HYPERLINK(\"http://x\")"), canonical(3, "-1")]
    res = import_file(store, write_csv(tmp_path / "f.csv", rows), rejects_dir=tmp_path / "rej")
    with open(res.rejects_file, encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    assert [(r["row_number"], r["reject_reason"], r["response_id"]) for r in got] == [
        ("2", "score not a number", "id2"), ("3", "score out of range", "id3")]
    # a formula in customer text is neutralised for spreadsheets; a negative number is not
    assert got[0]["comment"] == "'=HYPERLINK(\"http://x\")"
    assert got[1]["score"] == "-1"
    with store.read() as con:
        assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 2


def test_same_file_twice_imports_nothing_the_second_time(store, tmp_path):
    path = write_csv(tmp_path / "f.csv", [canonical(i, i % 11) for i in range(50)])
    first = import_file(store, path)
    second = import_file(store, path)
    assert (first.imported, first.duplicates) == (50, 0)
    assert (second.read, second.imported, second.duplicates) == (50, 0, 50)
    assert agg.summary(store, Filters()).n == 50


def test_rows_without_id_get_a_stable_hash(store, tmp_path):
    rows = [{"responded_at": "2025-03-01", "score": 9, "comment": "prima", "nps_type": "product"}] * 3
    rows.append({"responded_at": "2025-03-02", "score": 3, "comment": "slecht", "nps_type": "product"})
    path = write_csv(tmp_path / "noid.csv", rows)
    first = import_file(store, path)
    assert first.imported == 4  # identical rows are separate responses
    assert import_file(store, path).imported == 0
    # an overlapping export: the old rows plus one new one
    overlap = write_csv(tmp_path / "overlap.csv", rows + [
        {"responded_at": "2025-03-03", "score": 10, "comment": "top!", "nps_type": "product"}])
    again = import_file(store, overlap, dataset="noid")
    assert (again.imported, again.duplicates) == (1, 4)


def test_datasets_are_separate(store, tmp_path):
    path = write_csv(tmp_path / "f.csv", [canonical(i, 10) for i in range(5)])
    import_file(store, path, dataset="one")
    import_file(store, path, dataset="two")
    assert agg.summary(store, Filters(dataset="one")).n == 5
    assert agg.summary(store, Filters(dataset="two")).n == 5


def test_programme_type_for_the_whole_file(store, tmp_path):
    rows = [{"responded_at": "2025-03-01", "score": s} for s in (10, 3)]
    path = write_csv(tmp_path / "typeless.csv", rows)
    with pytest.raises(ImportRefused, match="--nps-type"):
        import_file(store, path)
    res = import_file(store, path, nps_type="relationship")
    assert res.imported == 2
    assert agg.summary(store, Filters(nps_types=("relationship",))).n == 2


def test_file_without_score_column_is_refused_and_store_untouched(store, tmp_path):
    import_file(store, write_csv(tmp_path / "ok.csv", [canonical(1, 10)]))
    before = table_counts(store)
    bad = write_csv(tmp_path / "bad.csv", [{"responded_at": "2025-01-01", "rating_text": "good"}])
    with pytest.raises(ImportRefused, match="score"):
        import_file(store, bad, nps_type="product")
    assert table_counts(store) == before


def test_explicit_mapping(store, tmp_path):
    rows = [{"when": "2025-03-01", "likelihood": 10, "kind": "product"},
            {"when": "2025-03-01", "likelihood": 0, "kind": "product"}]
    res = import_file(store, write_csv(tmp_path / "m.csv", rows),
                      mapping={"responded_at": "when", "score": "likelihood", "nps_type": "kind"})
    assert res.imported == 2 and agg.summary(store, Filters()).nps == 0.0


def test_failed_import_leaves_store_exactly_as_it_was(store, tmp_path):
    import_file(store, write_csv(tmp_path / "a.csv", [canonical(i, 9) for i in range(10)]), dataset="a")
    before = table_counts(store)

    def cancel(fraction, stage):
        if stage == "recording":  # inside the transaction, after the insert
            raise KeyboardInterrupt("cancelled by the user")

    new_rows = [canonical(100 + i, 3) | {"new_col": "x"} for i in range(10)]
    with pytest.raises(KeyboardInterrupt):
        import_file(store, write_csv(tmp_path / "b.csv", new_rows), dataset="b", progress=cancel)
    assert table_counts(store) == before
    with store.read() as con:
        cols = [r[0] for r in con.execute("DESCRIBE responses").fetchall()]
    assert "new_col" not in cols


def test_extra_numeric_column_is_typed(store, tmp_path):
    import_file(store, write_csv(tmp_path / "f.csv", [canonical(1, 10), canonical(2, 4)]))
    with store.read() as con:
        assert con.execute(
            "SELECT data_type FROM dataset_columns WHERE column_name = 'revenue'").fetchone()[0] == "DOUBLE"
        assert con.execute("SELECT sum(revenue) FROM responses").fetchone()[0] == 25.0
