"""AppTest of the upload page: from a messy file to the dashboard."""

import json

from apptest_support import import_finished, rerun, start

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_nps
from nps_core.ingest import remember

MESSY = (
    "Respondent ID;Datum;Hoe waarschijnlijk is het dat u ons aanbeveelt?;Waarom?;Regio\r\n"
    "1;31-12-2025 10:00;10;Top! Café €;Noord\r\n"
    "2;30-12-2025;9;Snel geholpen;Zuid\r\n"
    "3;29-12-2025;4;Te laat;Noord\r\n"
    "4;28-12-2025;tien;??;Zuid\r\n"
    "5;gisteren;8;ok;West\r\n"
).encode("cp1252")


def test_upload_map_import_and_see_the_dashboard(app_db):
    at = start("import", lang="en")
    assert not at.exception
    at.file_uploader(key="upload_file").upload("klant export.csv", MESSY, "text/csv")
    rerun(at)
    assert not at.exception and not at.error
    assert any("5 rows" in s.value and "cp1252" in s.value for s in at.success)
    fid = [k for k in at.session_state if str(k).startswith("upload_path:")][0].split(":", 1)[1]
    assert at.selectbox(key=f"map_score_{fid}").value.startswith("Hoe waarschijnlijk")
    assert at.selectbox(key=f"map_comment_{fid}").value == "Waarom?"
    assert at.text_input(key="upload_name").value == "klant-export"
    at.selectbox(key="upload_type_False").set_value("transaction")
    rerun(at)
    at.button[0].click()  # Import
    import_finished(rerun(at))
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Read": "5", "Imported": "3", "Duplicates": "0", "Rejected": "2"}
    reasons = next(d.value for d in at.dataframe if "Reason" in d.value.columns)
    assert dict(zip(reasons["Reason"], reasons["n"])) == {"date unreadable": 1, "score not a number": 1}
    assert at.get("download_button")
    # the dashboard now shows the new dataset: 10, 9 promoters, 4 detractor -> 33.3
    rerun(at, page="")
    assert at.sidebar.selectbox(key="dataset_select").value == "klant-export"
    engine = agg.summary(app_db, Filters(dataset="klant-export"))
    assert round(engine.nps, 1) == 33.3
    shown = next(m.value for m in at.metric if m.label == "NPS")
    assert shown == fmt_nps(engine.nps, "en")


def test_correcting_the_mapping_before_import(app_db):
    text = b"when,likelihood,notes\n2025-12-01,10,a\n2025-12-02,0,b\n"
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("odd.csv", text, "text/csv")
    rerun(at)
    fid = [k for k in at.session_state if str(k).startswith("upload_path:")][0].split(":", 1)[1]
    # the content gives the score and the date away; the comment we point out by hand
    assert at.selectbox(key=f"map_score_{fid}").value == "likelihood"
    assert at.selectbox(key=f"map_responded_at_{fid}").value == "when"
    at.selectbox(key=f"map_comment_{fid}").set_value("notes")
    rerun(at)
    rerun(at)
    at.selectbox(key="upload_type_False").set_value("product")
    rerun(at)
    at.button[0].click()
    import_finished(rerun(at))
    assert {m.label: m.value for m in at.metric}["Imported"] == "2"
    with app_db.read() as con:
        assert sorted(r[0] for r in con.execute(
            "SELECT comment FROM responses WHERE dataset = 'odd'").fetchall()) == ["a", "b"]


def test_a_file_without_scores_gets_a_message_not_a_traceback(app_db):
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("notes.csv", b"Datum;Opmerking\n01-12-2025;hallo\n", "text/csv")
    rerun(at)
    assert not at.exception
    assert any("Map these first" in e.value for e in at.error)


def test_deleting_a_dataset(app_db, tmp_path):
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("extra.csv", b"date,score\n2025-12-01,9\n", "text/csv")
    rerun(at)
    at.selectbox(key="upload_type_False").set_value("product")
    rerun(at)
    at.button[0].click()
    import_finished(rerun(at))
    at.selectbox(key="delete_name").set_value("extra")
    at.checkbox(key="delete_sure").check()
    rerun(at)
    at.button(key="delete_button").click()
    rerun(at)
    assert not at.exception
    with app_db.read() as con:
        assert con.execute("SELECT count(*) FROM responses WHERE dataset = 'extra'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM responses WHERE dataset = 'demo'").fetchone()[0] > 29_000


NEXT_MONTH = (
    "Respondent ID;Datum;Hoe waarschijnlijk is het dat u ons aanbeveelt?;Waarom?;Regio\r\n"
    "11;31-01-2026 10:00;10;Prima;Noord\r\n"
    "12;30-01-2026;3;Slecht;Zuid\r\n"
).encode("cp1252")


def test_the_preview_shows_every_column_with_its_role(app_db):
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("klant export.csv", MESSY, "text/csv")
    rerun(at)
    assert "All 5 columns" in " ".join(c.value for c in at.caption)
    preview = at.dataframe[0]
    assert list(preview.value.columns) == ["Respondent ID", "Datum", "Hoe waarschijnlijk is het dat u ons aanbeveelt?",
                                           "Waarom?", "Regio"]
    # the column configuration: each column's label names its role
    labels = {c: v.get("label") for c, v in json.loads(preview.proto.columns).items()}
    assert labels["Datum"] == "Datum → Date"
    assert labels["Waarom?"] == "Waarom? → Comment"
    assert labels["Regio"] == "Regio → Region"


def test_the_next_file_of_a_survey_imports_with_one_click(app_db):
    # issue 30: the programme type was left blank on a re-upload, with no Import button until one was picked
    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("klant export.csv", MESSY, "text/csv")
    rerun(at)
    at.selectbox(key="upload_type_False").set_value("transaction")
    at.text_input(key="upload_name").set_value("survey")
    at.selectbox(key="upload_pack").set_value("telecom")
    rerun(at)
    at.button[0].click()
    import_finished(rerun(at))
    assert not at.exception

    at = start("import", lang="en")
    at.file_uploader(key="upload_file").upload("klant export januari.csv", NEXT_MONTH, "text/csv")
    rerun(at)
    assert not at.exception and not at.error
    assert at.text_input(key="upload_name").value == "survey"
    assert at.selectbox(key="upload_type_False").value == "transaction"
    assert any("One click" in i.value for i in at.info)
    at.button[0].click()  # the one click
    import_finished(rerun(at))
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Imported"] == "2"
    assert agg.summary(app_db, Filters(dataset="survey")).n == 5
    kept = remember.list_remembered(app_db)
    assert [(m["nps_type"], m["theme_pack"]) for m in kept if m["dataset"] == "survey"] == [("transaction", "telecom")]
