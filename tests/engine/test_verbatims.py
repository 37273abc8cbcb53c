"""Verbatim search, paging and export on a small fixture, checked by hand."""

import csv
import io

import openpyxl
import pytest
from conftest import write_csv

from nps_core.analysis import verbatims as vb
from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query
from nps_core.ingest.importer import import_file

COMMENTS = [
    ("2025-01-01 10:00", 10, "Bezorging was snel"),
    ("2025-01-02 10:00", 2, "Bezorgdienst kwam te laat, slecht!"),
    ("2025-01-03 10:00", 8, "Prima, maar de LEVERING duurde lang"),
    ("2025-01-04 10:00", 0, "=HYPERLINK(\"http://evil\",\"klik\")"),
    ("2025-01-05 10:00", 9, "Très bien, café was top"),
    ("2025-01-06 10:00", 6, "100% tevreden_niet"),
    ("2025-01-07 10:00", 7, ""),
]


@pytest.fixture
def vstore(store, tmp_path):
    rows = [{"response_id": f"v{i}", "responded_at": d, "score": s, "comment": c, "nps_type": "transaction",
             "touchpoint": "delivery" if i < 3 else "webshop"} for i, (d, s, c) in enumerate(COMMENTS)]
    import_file(store, write_csv(tmp_path / "v.csv", rows), dataset="v")
    return store


def ids(df):
    return list(df["comment"])


def test_newest_first_and_empty_comments_left_out(vstore):
    df = vb.page(vstore, Filters())
    assert ids(df)[0] == "100% tevreden_niet" and len(df) == 6
    assert vb.count(vstore, Filters()) == 6


def test_search_ignores_case_and_accents_and_needs_every_word(vstore):
    assert ids(vb.page(vstore, Filters(), Query(search="bezorg"))) == [
        "Bezorgdienst kwam te laat, slecht!", "Bezorging was snel"]
    assert ids(vb.page(vstore, Filters(), Query(search="levering"))) == ["Prima, maar de LEVERING duurde lang"]
    assert ids(vb.page(vstore, Filters(), Query(search="tres cafe"))) == ["Très bien, café was top"]
    assert vb.count(vstore, Filters(), Query(search="bezorg snel")) == 1


def test_like_wildcards_are_literal(vstore):
    assert ids(vb.page(vstore, Filters(), Query(search="100%"))) == ["100% tevreden_niet"]
    assert vb.count(vstore, Filters(), Query(search="%")) == 1
    assert vb.count(vstore, Filters(), Query(search="n_et")) == 0


def test_category_score_and_dimension_filters(vstore):
    assert vb.count(vstore, Filters(), Query(categories=("detractor",))) == 3  # 2, 0, 6
    assert vb.count(vstore, Filters(), Query(score_min=8, score_max=9)) == 2
    assert vb.count(vstore, Filters().with_dim("touchpoint", ["delivery"])) == 3


def test_paging(vstore):
    first = vb.page(vstore, Filters(), limit=4, offset=0)
    second = vb.page(vstore, Filters(), limit=4, offset=4)
    assert len(first) == 4 and len(second) == 2
    assert not set(ids(first)) & set(ids(second))


def test_exports_are_formula_safe(vstore):
    rows = list(csv.DictReader(io.StringIO(vb.export(vstore, Filters(), Query(), "csv").decode("utf-8-sig"))))
    assert len(rows) == 6
    evil = next(r for r in rows if "HYPERLINK" in r["comment"])
    assert evil["comment"].startswith("'=")
    book = openpyxl.load_workbook(io.BytesIO(vb.export(vstore, Filters(), Query(categories=("detractor",)), "xlsx")))
    cells = [c.value for c in book.active["D"]][1:]  # comment column
    assert len(cells) == 3
    assert all(not str(v).startswith("=") for v in cells)
    assert book.active["D1"].value == "comment"
