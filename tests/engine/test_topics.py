"""Emerging topics on a fixture worked out by hand, and on the demo."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import ROOT, write_csv

from nps_core.analysis.filters import Filters
from nps_core.analysis.topics import emerging
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file

D = dt.date
MARCH = Filters(dataset="t", date_from=D(2025, 3, 1), date_to=D(2025, 3, 31))


@pytest.fixture
def tstore(store, tmp_path):
    # baseline: the 93 days before March (3 x 31): 20 comments, 2 with "kapot", 10 with "prima"
    base = [f"{'kapot' if i < 2 else 'heel'} scherm {'prima' if i % 2 else 'matig'} {i}" for i in range(20)]
    # March: 10 comments, 6 with "kapot", 5 with "prima", 5 with the new word "sticker"
    cur = [f"{'kapot' if i < 6 else 'heel'} scherm {'prima' if i % 2 else 'matig'} "
           f"{'sticker' if i < 5 else 'doos'} {i}" for i in range(10)]
    rows = ([{"responded_at": "2025-01-15", "score": 5, "comment": c} for c in base]
            + [{"responded_at": "2025-03-10", "score": 5, "comment": c} for c in cur])
    import_file(store, write_csv(tmp_path / "t.csv", rows), dataset="t", nps_type="product", theme_pack="retail")
    return store


def test_rising_terms_by_hand(tstore):
    got = emerging(tstore, MARCH, min_count=5).set_index("term")
    # kapot: 6/10 now, 2/20 before; pooled 8/30: z = .5 / sqrt(.2667 * .7333 * (1/10 + 1/20)) = 2.919
    assert got.loc["kapot", "count"] == 6 and got.loc["kapot", "share"] == pytest.approx(0.6)
    assert got.loc["kapot", "z"] == pytest.approx(2.919, abs=0.002)
    assert got.loc["kapot", "lift"] == pytest.approx(6.0)
    # sticker is new (5/10, never before): lift against one mention in the baseline = .5 / (1/20)
    assert got.loc["sticker", "lift"] == pytest.approx(10.0) and got.loc["sticker", "uncaught"]
    assert not got.loc["kapot", "uncaught"]  # the product-quality rule catches it
    # prima: 5/10 now and 10/20 before: no rise; scherm everywhere: no rise
    assert "prima" not in got.index and "scherm" not in got.index


def test_cli_topics_json(tstore):
    res = subprocess.run([sys.executable, "-m", "nps_core", "topics", "--db", str(tstore.path),
                          "--from", "2025-03-01", "--to", "2025-03-31", "--min-count", "5", "--json"], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert all(set(r) == {"term", "count", "share", "lift"} for r in rows)
    assert {"kapot", "sticker"} <= {r["term"] for r in rows}
    assert emerging(tstore, MARCH).empty  # 6 and 5 mentions: below the default minimum of 10


def test_demo_call_back_emerges_autumn_2024(demo_db):
    got = emerging(Store(demo_db), Filters(dataset="demo", date_from=D(2024, 9, 1), date_to=D(2024, 11, 30)))
    assert "teruggebeld" in set(got["term"])
    nov = emerging(Store(demo_db), Filters(dataset="demo", date_from=D(2024, 11, 1), date_to=D(2024, 11, 30)))
    assert nov.iloc[0]["term"] in ("pakket", "bezorger", "pakketbezorger")
