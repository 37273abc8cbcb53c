"""Column roles from what the columns hold, the evidence for each, remembered
mappings, and the rule that free text is never offered as a segment."""

import json
import subprocess
import sys

from conftest import ROOT

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.ingest.importer import explain, import_file, inspect
from nps_core.ingest.mapping import hits, norm

SENTENCES = [
    "The engineer arrived late and left the router unconfigured",
    "Great help on the phone, my problem was solved in minutes",
    "Billing was wrong two months in a row, nobody called back",
    "Friendly staff but the installation took three visits",
    "I waited forty minutes in the queue before anyone answered",
]


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_header_words_are_normalised():
    assert norm("RecordedDate") == "recorded date"
    assert norm("NPS_Score") == "nps score"
    assert norm("  customer-ID ") == "customer id"
    assert norm("NPSScore") == "nps score"
    assert hits("Opmerkingen", ("opmerking",)) == ["opmerking"]
    assert hits("Comments", ("comment",)) == ["comment"]
    assert hits("Aanbevelingsscore", ("aanbevel*",)) == ["aanbevel"]


def telecom_rows():
    """40 transactional NPS rows: journey stage, score, P/P/D label (two
    deliberately wrong), and free text under a header that does not say comment."""
    stages = ["Onboarding", "Installation", "Billing", "Repair"]
    rows, wrong = [], 0
    for i in range(40):
        score = i % 11
        band = "Promoter" if score >= 9 else "Passive" if score >= 7 else "Detractor"
        if i in (3, 17):  # scores 3 and 6: detractors labelled Promoter
            band, wrong = "Promoter", wrong + 1
        text = f"{SENTENCES[i % 5]} (case {i})"
        rows.append(f"T{1000 + i},2025-03-{1 + i % 28:02d},{stages[i % 4]},{score},{band},\"{text}\"")
    return rows, wrong


def test_stage_is_touchpoint_category_checks_score_free_text_is_comment(store, tmp_path):
    rows, wrong = telecom_rows()
    path = write(tmp_path / "tnps.csv",
                 "Survey ID,Survey Date,Journey Stage,LTR,NPS Group,Q2\n" + "\n".join(rows) + "\n")
    info, _ = inspect(path)
    assert info.mapping == {"response_id": "Survey ID", "responded_at": "Survey Date", "touchpoint": "Journey Stage",
                            "score": "LTR", "comment": "Q2"}
    assert info.guess.category == "NPS Group"  # recognised, never the score
    assert info.category_disagrees == wrong == 2
    ev = explain(path)
    assert ev["evidence"]["comment"][0].startswith("free text: mean ")
    assert ev["evidence"]["score"][0] == "100 % whole numbers 0–10 (0–10)"
    assert ev["nps_category"]["disagrees"] == 2
    res = import_file(store, path, nps_type="transaction")
    assert (res.read, res.imported, res.rejected) == (40, 40, 0)
    assert res.warnings == ["category_disagrees"] and res.category_disagrees == 2
    assert res.contract()["category_disagrees"] == 2
    with store.read() as con:
        assert con.execute("SELECT count(DISTINCT touchpoint), count(comment) FROM responses").fetchone() == (4, 40)


def test_dutch_programme_type_column_with_dutch_values(store, tmp_path):
    text = ("Klantnummer;Datum;Cijfer aanbeveling;Soort meting;Reactie klant\n"
            "K1;03-02-2025;9;Relatie-NPS;Altijd goed geholpen door de winkel\n"
            "K2;04-02-2025;6;Transactie;Bezorging was twee dagen te laat\n"
            "K3;05-02-2025;10;relatie;Prima service en vriendelijk personeel\n"
            "K4;06-02-2025;3;tNPS;Monteur kwam niet opdagen op de afspraak\n"
            "K5;07-02-2025;8;Transactie NPS;Redelijk, maar het duurde lang\n")
    path = write(tmp_path / "meting.csv", text)
    info, _ = inspect(path)
    assert info.mapping["nps_type"] == "Soort meting"
    assert info.mapping["customer_id"] == "Klantnummer" and info.mapping["comment"] == "Reactie klant"
    res = import_file(store, path)  # no --nps-type: the column holds it
    assert (res.read, res.imported, res.rejected) == (5, 5, 0)
    with store.read() as con:
        types = dict(con.execute("SELECT nps_type, count(*) FROM responses GROUP BY ALL").fetchall())
    assert types == {"relationship": 2, "transaction": 3}


def test_free_text_with_many_values_is_stored_but_not_a_segment(store, tmp_path):
    lines = [f"R{i},2025-04-{1 + i % 28:02d},{i % 11},Flight {i},Store {i % 5}" for i in range(400)]
    path = write(tmp_path / "many.csv", "id,date,score,flight,store\n" + "\n".join(lines) + "\n")
    import_file(store, path, nps_type="relationship")
    dims = agg.dimensions(store, "many")
    assert "store" in dims and "flight" not in dims
    with store.read() as con:  # still stored (and so exported)
        assert con.execute("SELECT count(DISTINCT flight) FROM responses").fetchone()[0] == 400
    assert agg.summary(store, Filters(dataset="many")).n == 400


def run(*args):
    return subprocess.run([sys.executable, "-m", "nps_core", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_explain_prints_evidence_and_stores_nothing(tmp_path):
    rows, _ = telecom_rows()
    path = write(tmp_path / "tnps.csv", "Survey ID,Survey Date,Journey Stage,LTR,NPS Group,Q2\n" + "\n".join(rows))
    db = tmp_path / "x.duckdb"
    res = run("import", str(path), "--explain", "--json", "--db", str(db), "--lang", "nl")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["mapping"]["comment"] == "Q2"
    assert out["evidence"]["score"][0] == "100 % hele getallen 0–10 (0–10)"
    assert out["columns"]["NPS Group"]["category_values"] == 1.0
    assert not db.exists()


def test_a_confirmed_mapping_is_remembered_for_the_same_headers(tmp_path):
    db = str(tmp_path / "m.duckdb")
    head = "Ref,When,Q1,Q2\n"  # nothing in these names says score or comment

    def month(m, n):
        return "".join(f"{m}-{i},2025-0{m}-{1 + i:02d},{i % 11},{i * 7 % 11}\n" for i in range(n))

    first = write(tmp_path / "march.csv", head + month(3, 20))
    # Q1 and Q2 are both 0–10 columns and no name decides: the guess leaves the score open
    assert "score" not in inspect(first)[0].mapping
    res = run("import", str(first), "--db", db, "--json", "--dataset", "monthly", "--nps-type", "transaction",
              "--map", "score=Q1", "--map", "response_id=Ref")
    assert res.returncode == 0, res.stderr
    listed = json.loads(run("mappings", "--db", db, "--json").stdout)["mappings"]
    assert [(m["dataset"], m["mapping"]["score"], m["nps_type"]) for m in listed] == [("monthly", "Q1", "transaction")]

    # next month's export, columns in another order and case: no --map, no --nps-type
    second = write(tmp_path / "april.csv", "q2,WHEN,ref,q1\n" + "".join(
        f"{i * 7 % 11},2025-04-{1 + i:02d},4-{i},{i % 11}\n" for i in range(15)))
    res = run("import", str(second), "--db", db, "--json", "--dataset", "monthly")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["imported"] == 15
    summary = json.loads(run("summary", "--db", db, "--dataset", "monthly", "--json").stdout)
    scores = [i % 11 for i in range(20)] + [i % 11 for i in range(15)]
    assert summary["promoters"] == sum(s >= 9 for s in scores)

    gone = json.loads(run("mappings", "--db", db, "--delete", str(listed[0]["id"]), "--json").stdout)
    assert gone["mappings"] == []
    res = run("mappings", "--db", db, "--delete", "999", "--json")
    assert res.returncode != 0 and "no remembered mapping" in res.stderr



def test_a_star_rating_is_offered_as_the_score_never_taken(tmp_path):
    """Trustpilot-style stars (1–5) are no 0–10 recommend answer: read as NPS every
    answer would be a detractor (NPS −100), so the user is asked, not told."""
    rows = "".join(f"r{i},2025-03-{1 + i % 28:02d},{1 + i % 5},\"{SENTENCES[i % 5]} ({i})\"\n" for i in range(40))
    stars = write(tmp_path / "stars.csv", "id,published,rating,text\n" + rows)
    info, _ = inspect(stars)
    assert "score" not in info.mapping and info.guess.undecided["score"] == ["rating"]
    said = explain(stars, lang="en")["undecided"]["score"]["text"]
    assert said.startswith("No 0–10 question found; rating runs from 1 to 5")
    # beside a real 0–10 question the stars are a sub-rating: the question is the score
    both = "".join(f"r{i},2025-03-{1 + i % 28:02d},{1 + i % 5},{i % 11},\"{SENTENCES[i % 5]} ({i})\"\n" for i in range(40))
    info, _ = inspect(write(tmp_path / "both.csv", "id,published,rating,likely to recommend,text\n" + both))
    assert info.mapping["score"] == "likely to recommend" and "score" not in info.guess.undecided
