"""Enrichment (language, sentiment, themes) and theme impact."""

import csv
import datetime as dt
import json
import subprocess
import sys

import pytest
from conftest import ROOT, write_csv

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.analysis.themes import theme_table
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text.enrich import enrich
from nps_core.text.language import detect
from nps_core.text.sentiment import score

D = dt.date


def test_language_of_plain_sentences():
    assert detect("De bezorger was erg vriendelijk en het pakket kwam op tijd") == "nl"
    assert detect("The delivery was late and nobody told me") == "en"
    assert detect("👍") == "other"


def test_sentiment_signs_and_negation():
    # two clauses, each clearly positive: their mean ("Super snelle levering", "top!")
    assert score("Super snelle levering, top!", "nl") > 0.45
    assert score("Waardeloze service, nooit meer", "nl") < -0.5
    assert score("niet goed", "nl") < 0 < score("niet slecht", "nl")
    assert score("Great staff, very helpful", "en") > 0.5
    assert score("Still waiting for my refund after 4 weeks", "en") < 0
    assert score("", "en") == 0.0
    assert -1.0 <= score("slecht", "other") < 0  # neither language: the stronger reading


# (score, comment): the themes each comment mentions are noted by hand
ROWS = [
    (10, "Snelle levering, top"),                     # delivery
    (9, "Vriendelijke medewerker"),                   # staff_friendliness
    (2, "Pakket kwam te laat en de bezorger was onbeschoft"),  # delivery, staff_friendliness
    (3, "Pakket kwijt"),                              # delivery
    (6, "Te duur"),                                   # price_value
    (8, ""),                                          # no comment
    (10, "Vriendelijk geholpen"),                     # staff_friendliness
    (0, "Levering duurde 3 weken"),                   # delivery
]


@pytest.fixture
def tstore(store, tmp_path):
    rows = [{"response_id": f"t{i}", "responded_at": "2025-03-01", "score": s, "comment": c,
             "nps_type": "transaction"} for i, (s, c) in enumerate(ROWS)]
    rows.append({**rows[0], "response_id": "t99"})  # same text again: enriched once
    import_file(store, write_csv(tmp_path / "t.csv", rows), dataset="t")
    return store


def test_import_enriches_each_distinct_comment_once(tstore, tmp_path):
    with tstore.read() as con:
        assert con.execute("SELECT count(*) FROM enrichment").fetchone()[0] == 7  # 7 distinct texts
    assert enrich(tstore)["enriched"] == 0  # nothing new
    extra = write_csv(tmp_path / "more.csv", [{"response_id": "n1", "responded_at": "2025-03-02", "score": 9,
                                              "comment": "Prima prijs", "nps_type": "product"}])
    import_file(tstore, extra, dataset="t")
    with tstore.read() as con:
        assert con.execute("SELECT count(*) FROM enrichment").fetchone()[0] == 8


def test_theme_impact_by_hand(tstore):
    table = theme_table(tstore, Filters(dataset="t")).set_index("theme")
    # all 9 responses: promoters 10, 9, 10, 10 (t99) = 4; passive 8; detractors 2, 3, 6, 0 = 4 -> NPS 0
    # delivery: t0 (10), t2 (2), t3 (3), t7 (0), t99 (10): 2 promoters, 3 detractors -> NPS -20
    #   without: 9 (P), 6 (D), 8, 10 (P) -> 2P 1D of 4 -> +25; impact 0 - 25 = -25
    d = table.loc["delivery"]
    assert d["mentions"] == 5 and d["nps"] == pytest.approx(-20.0)
    assert d["nps_without"] == pytest.approx(25.0) and d["impact"] == pytest.approx(-25.0)
    # staff: t1 (9), t2 (2), t6 (10): 2P 1D -> +33.3; without: 10,3,6,8,0,10 -> 2P 3D of 6 = -16.7
    s = table.loc["staff_friendliness"]
    assert s["mentions"] == 3 and s["nps"] == pytest.approx(100 / 3)
    assert s["impact"] == pytest.approx(0 - (-100 / 6))
    # share of the 8 commented responses
    assert d["share"] == pytest.approx(5 / 8)
    assert list(table.index[:1]) == ["delivery"]  # most harmful first


def test_cli_themes_json_and_export_columns(tstore, tmp_path):
    res = subprocess.run([sys.executable, "-m", "nps_core", "themes", "--db", str(tstore.path), "--json"],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert all(set(r) == {"theme", "mentions", "share", "nps", "nps_without", "impact", "sentiment"} for r in rows)
    assert rows[0]["theme"] == "delivery" and rows[0]["impact"] == -25.0
    out = tmp_path / "e.csv"
    assert subprocess.run([sys.executable, "-m", "nps_core", "export", "--db", str(tstore.path), "--format",
                           "csv", "--out", str(out)], cwd=ROOT).returncode == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        exported = {r["response_id"]: r for r in csv.DictReader(fh)}
    assert exported["t2"]["themes"] == "delivery;staff_friendliness"
    assert exported["t2"]["language"] == "nl" and float(exported["t2"]["sentiment"]) < 0
    assert exported["t5"]["themes"] == "" and exported["t5"]["language"] == ""


def test_demo_delivery_is_the_top_driver_in_november_2024(demo_db):
    nov = Filters(dataset="demo", date_from=D(2024, 11, 1), date_to=D(2024, 11, 30))
    table = theme_table(Store(demo_db), nov)
    assert table.iloc[0]["theme"] == "delivery" and table.iloc[0]["impact"] < -10


def test_demo_waiting_time_falls_after_the_call_back_service(demo_db):
    store = Store(demo_db)
    cc = Filters(dataset="demo").with_dim("touchpoint", ["contact centre"])

    def share(f):
        table = theme_table(store, f).set_index("theme")
        return table.loc["waiting_time", "share"]

    before = share(cc.with_dates(D(2024, 1, 1), D(2024, 8, 31)))
    after = share(cc.with_dates(D(2024, 9, 1), D(2025, 12, 31)))
    assert after < before / 2
    assert agg.summary(store, cc.with_dates(D(2024, 9, 1), D(2025, 12, 31))).nps > 0


def test_mismatches_between_score_and_tone(store, tmp_path):
    from nps_core.analysis.themes import mismatches

    rows = [(10, "Waardeloze service, nooit meer"), (9, "Top, super snel"), (1, "Geweldig, fantastisch, top!"),
            (2, "Slecht en te laat"), (10, "Great, fast delivery")]
    data = [{"response_id": f"m{i}", "responded_at": "2025-04-01", "score": s, "comment": c, "nps_type": "product"}
            for i, (s, c) in enumerate(rows)]
    import_file(store, write_csv(tmp_path / "m.csv", data), dataset="m")
    assert list(mismatches(store, Filters(dataset="m"), "promoter")["comment"]) == ["Waardeloze service, nooit meer"]
    assert list(mismatches(store, Filters(dataset="m"), "detractor")["comment"]) == ["Geweldig, fantastisch, top!"]
    with pytest.raises(ValueError):
        mismatches(store, Filters(dataset="m"), "passive")
