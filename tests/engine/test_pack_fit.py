"""The starter pack comes from the file's own comments (issue 27 item 1):
nps_core/text/pack_fit.py, used by the import of a new dataset and by the
Upload page's preview (importer.inspect).

The comments below were written for this test, Dutch and English, as
customers of each business would write them, without looking at the packs'
rules; the expected pack is the business they were written for, and "empty"
(discovery only) for a business no pack is made for (a dentist's practice).
"""

import json
import re

import pytest
from conftest import write_csv
from corpus_files import require

from nps_core.cli import main
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file, inspect, pack_why
from nps_core.text import pack_fit, packs, taxonomy
from nps_core.text.stopwords import content_words
from nps_core.text.vectors import split

TELECOM = [
    "De monteur is niet komen opdagen, twee keer een vrije dag voor niks genomen.",
    "Al drie weken geen internet en niemand weet wanneer het opgelost is.",
    "The engineer never turned up for the installation appointment.",
    "Waiting weeks for the broadband to be connected.",
    "Mijn wifi valt elke avond weg tijdens het streamen.",
    "The router they sent does not work and the speed is half of what I pay for.",
    "Ik heb geen bereik in huis, bellen lukt alleen in de tuin.",
    "Promised a call back three times, nobody ever called.",
    "De factuur was veel hoger dan afgesproken in het contract.",
    "Switching to fibre took two months and four phone calls.",
    "TV box keeps freezing and the channels drop out.",
    "Na de verhuizing duurde het een maand voordat de aansluiting werkte.",
    "Signal is fine in the city but no coverage on the train.",
    "The new sim card arrived quickly, number transfer was easy.",
    "De storing op de glasvezel duurt nu al vijf dagen.",
    "My contract renewal came with a price increase nobody mentioned.",
    "Upload snelheid is veel te laag voor thuiswerken.",
    "Helpdesk could not explain why the modem keeps restarting.",
    "Installatie ging snel, de monteur was netjes en vriendelijk.",
    "Good deal on the mobile plan with unlimited data.",
    "Het abonnement is opgezegd maar ze blijven incasseren.",
    "Cancelled my landline but still being billed for it.",
]
AIRLINE = [
    "The flight was delayed by three hours and nobody explained why.",
    "Mijn koffer kwam pas twee dagen later aan.",
    "Cabin crew were friendly and attentive throughout.",
    "De stoel was smal en er was nauwelijks beenruimte.",
    "Food on board was cold and tasteless.",
    "Boarding at the gate was chaotic.",
    "Vlucht geannuleerd en geen compensatie gekregen.",
    "The lounge in Heathrow was crowded but the drinks were good.",
    "Het entertainment scherm werkte niet de hele vlucht.",
    "We landed on time and the luggage came out quickly.",
    "Stewardessen waren erg behulpzaam met de kinderen.",
    "Check-in online did not work so we queued at the airport.",
    "The seat would not recline on a nine hour flight.",
    "Overstap in Amsterdam was krap maar het lukte.",
    "Still waiting for a refund for the cancelled flight.",
    "Het eten aan boord was prima, goede keuze aan drankjes.",
    "Legroom in economy is a joke.",
    "Departure was delayed twice at the gate.",
    "De bagage was beschadigd bij aankomst.",
    "Inflight wifi was too slow to use.",
    "Crew served breakfast an hour before landing.",
    "Wij vlogen business class en het bed was comfortabel.",
]
RETAIL = [
    "Mijn bestelling werd snel bezorgd en netjes verpakt.",
    "The parcel arrived two days late.",
    "Verkoper in de winkel gaf goed advies over de wasmachine.",
    "Returning the shoes was easy and the refund came within a week.",
    "Het product ging na een maand al kapot.",
    "Prices are higher than in other shops.",
    "De webshop is overzichtelijk en bestellen gaat vlot.",
    "Customer service answered my email the same day.",
    "Bezorger heeft het pakket bij de buren afgegeven zonder bericht.",
    "The jacket's quality is excellent for the price.",
    "Retourneren kostte me twee weken en drie mails.",
    "Staff in the store were friendly and helpful.",
    "De levertijd was langer dan op de site stond.",
    "The checkout kept failing on the website.",
    "Goede kwaliteit, prima prijs.",
    "I was charged twice for one order.",
    "Lang moeten wachten bij de kassa.",
    "Delivery driver was polite and on time.",
    "Artikel was niet op voorraad terwijl de site dat wel zei.",
    "The blender stopped working after two uses.",
    "Medewerker wist weinig van het product.",
    "Ordered online, collected in store, smooth.",
]
DENTIST = [
    "De tandarts nam rustig de tijd om alles uit te leggen.",
    "My filling fell out a week later.",
    "De mondhygiëniste was zachtzinnig bij het schoonmaken.",
    "The dentist was gentle and I felt no pain.",
    "Mijn kies werd in één keer getrokken zonder gedoe.",
    "The crown fits perfectly.",
    "Het gaatje werd snel gevuld.",
    "Braces were adjusted quickly.",
    "De verdoving werkte goed.",
    "Teeth whitening gave a great result.",
    "Mijn tandvlees bloedt minder sinds de behandeling.",
    "The x-ray showed a cavity I did not know about.",
    "Tandsteen verwijderd, voelt heel schoon.",
    "Root canal treatment was long but painless.",
    "Mijn dochter vond de tandarts lief.",
    "The hygienist gave good tips on flossing.",
    "Een nieuwe vulling in mijn voortand.",
    "Wisdom tooth extraction went fine.",
    "De kroon zit goed vast.",
    "My gums feel much better now.",
    "Het beugeltje van mijn zoon werd bijgesteld.",
    "Dentures fit comfortably.",
]


def _rows(comments: list[str]) -> list[dict]:
    return [{"response_id": f"r{i}", "date": f"2025-03-{1 + i % 28:02d}", "score": str(i % 11),
             "type": "transaction", "comment": c}
            for i, c in enumerate(comments)]


@pytest.mark.parametrize("comments, pack", [(TELECOM, "telecom"), (AIRLINE, "travel"), (RETAIL, "retail"),
                                            (DENTIST, packs.EMPTY)])
def test_the_pack_its_comments_were_written_for_is_chosen(comments, pack):
    choice = pack_fit.choose(comments)
    assert choice.pack == pack, choice
    assert choice.reason == (pack_fit.FITS if pack != packs.EMPTY else pack_fit.NONE_FITS)
    assert [p for p, _ in choice.coverage] and set(dict(choice.coverage)) == set(packs.PACKS) - {packs.EMPTY}


def test_coverage_is_the_share_of_sentences_a_packs_rules_catch_counted_again_in_python():
    # the second method: Python's re over the same sentences (the rules are RE2, which these patterns share)
    sentences = [s for c in TELECOM for s in split(c) if content_words(s)]
    choice = pack_fit.choose(TELECOM)
    assert choice.sentences == len(sentences)
    for pack, share in choice.coverage:
        rules = [re.compile(th["pattern"]) for th in packs.themes(pack) if th.get("pattern")]
        caught = sum(any(r.search(s.lower()) for r in rules) for s in sentences)
        assert share == pytest.approx(caught / len(sentences)), pack


def test_few_comments_keep_the_default_and_say_why():
    choice = pack_fit.choose(TELECOM[:3])
    assert (choice.pack, choice.reason, choice.coverage) == (packs.DEFAULT, pack_fit.TOO_FEW, ())
    assert "Too few comments" in pack_why(choice, "en") and "Te weinig" in pack_why(choice, "nl")


def test_the_preview_shows_the_choice_before_anything_is_stored(tmp_path):
    path = write_csv(tmp_path / "airline.csv", _rows(AIRLINE))
    info, _ = inspect(path)
    assert info.pack.pack == "travel"
    assert pack_fit.PackChoice.from_dict(json.loads(json.dumps(info.pack.as_dict() | {
        "coverage": list(info.pack.coverage)}))) == info.pack  # the import worker's JSON round trip
    assert not (tmp_path / "nps.duckdb").exists()


def test_a_new_dataset_gets_the_pack_its_comments_fit_an_option_wins_an_existing_dataset_keeps(tmp_path):
    store = Store(tmp_path / "nps.duckdb")
    tel = write_csv(tmp_path / "tel.csv", _rows(TELECOM))
    result = import_file(store, tel, dataset="tel", analyse=False)
    assert (result.theme_pack.pack, result.theme_pack.reason) == ("telecom", pack_fit.FITS)
    assert packs.in_use(taxonomy.current(store, "tel")) == "telecom"
    dentist = write_csv(tmp_path / "dentist.csv", _rows(DENTIST))
    assert import_file(store, dentist, dataset="dentist", analyse=False).theme_pack.pack == packs.EMPTY
    assert taxonomy.current(store, "dentist") | {"version": None} == {"version": None, "themes": [], "custom": True}
    chosen = import_file(store, tel, dataset="mine", theme_pack="banking", analyse=False).theme_pack
    assert (chosen.pack, chosen.reason) == ("banking", pack_fit.OPTION)
    again = import_file(store, write_csv(tmp_path / "air.csv", _rows(AIRLINE)), dataset="tel", analyse=False)
    assert (again.theme_pack.pack, again.theme_pack.reason) == (None, pack_fit.EXISTING)
    assert packs.in_use(taxonomy.current(store, "tel")) == "telecom"


def test_import_json_says_which_pack_and_why(tmp_path, capsys):
    db = str(tmp_path / "nps.duckdb")
    path = write_csv(tmp_path / "air.csv", _rows(AIRLINE))
    assert main(["import", str(path), "--db", db, "--dataset", "air", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"read", "imported", "duplicates", "rejected", "reasons", "rejects_file"} < set(out)
    assert out["theme_pack"]["pack"] == "travel" and out["theme_pack"]["reason"] == "fits"
    assert out["theme_pack"]["why"].startswith("Travel and airline: this pack's themes catch")
    assert max(out["theme_pack"]["coverage"], key=out["theme_pack"]["coverage"].get) == "travel"


@pytest.mark.slow
@pytest.mark.parametrize("export, mapping, pack", [
    ("telecom_callscript_nps.xlsx", {"score": "SCORE", "responded_at": "TO_CHAR", "comment": "LTR_COMMENT",
                                     "response_id": "SURVEY_ID"}, "telecom"),
    ("ba_skytrax_reviews_2023.csv", {"score": "rating", "responded_at": "date", "comment": "content"}, "travel"),
])
def test_real_telecom_and_airline_exports_get_their_pack_with_no_option(tmp_path, export, mapping, pack):
    require(export)
    from corpus_files import path as corpus_path
    store = Store(tmp_path / "nps.duckdb")
    result = import_file(store, corpus_path(export), dataset="real", mapping=mapping, nps_type="transaction",
                         analyse=False)
    assert (result.theme_pack.pack, result.theme_pack.reason) == (pack, pack_fit.FITS)
    assert packs.in_use(taxonomy.current(store, "real")) == pack
    shares = dict(result.theme_pack.coverage)
    assert shares[pack] >= pack_fit.MIN_COVERAGE and shares["retail"] * pack_fit.LEAD <= shares[pack]
