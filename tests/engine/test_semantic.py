"""Sentence representations, semantic search and topic discovery (issue 14).

The comments are written here with the topic of every sentence noted by
hand; expected groupings and figures come from those notes and plain pandas,
never from the functions under test."""

import datetime as dt
import json
import random

import numpy as np
import pandas as pd
import pytest
from conftest import write_csv

from nps_core.analysis.discovery import discover
from nps_core.analysis.filters import Filters
from nps_core.analysis.search import search
from nps_core.cli import main
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text import vectors
from nps_core.text.stopwords import ALL as STOPWORDS

# Fifteen subjects, each said once in English and once in Dutch (the
# paraphrase pairs), including hard neighbours: other waits, other phones.
EN = ["I was on hold for 40 minutes.", "The parcel arrived three days late.", "Delivery driver was very friendly.",
      "Way too expensive for what you get.", "I waited two weeks for my refund.", "The app keeps crashing when I pay.",
      "Staff in the shop were helpful.", "The product broke after a month.", "Quick delivery, well packaged.",
      "Nobody answered my email for a week.", "The invoice was wrong.", "Great value for money.",
      "The call centre agent was rude.", "Waiting at the checkout took forever.", "Phone battery died after a day."]
NL = ["Ik heb drie kwartier in de wacht gehangen aan de telefoon.", "Het pakket kwam drie dagen te laat.",
      "De bezorger was heel vriendelijk.", "Veel te duur voor wat je krijgt.",
      "Ik wacht al twee weken op mijn terugbetaling.", "De app loopt steeds vast bij het betalen.",
      "Het personeel in de winkel was behulpzaam.", "Het product ging na een maand kapot.",
      "Snelle levering, goed verpakt.", "Niemand beantwoordde mijn mail, een week lang.", "De factuur klopte niet.",
      "Goede prijs-kwaliteitverhouding.", "De medewerker van het callcenter was onbeleefd.",
      "Wachten bij de kassa duurde eindeloos.", "De accu van mijn telefoon was na een dag leeg."]


def _import(path, rows, dataset):
    write_csv(path, rows)
    store = Store(path.with_suffix(".duckdb"), lock_timeout=5)
    import_file(store, path, dataset=dataset)
    return store


@pytest.fixture(scope="module")
def pairs_store(tmp_path_factory):
    """Two datasets: the English sentences and the Dutch ones, one response each."""
    path = tmp_path_factory.mktemp("pairs") / "pairs.csv"
    rows = [{"response_id": f"{lang}{i}", "responded_at": "2025-03-01", "score": 3, "comment": c, "nps_type": "transaction", "dataset": lang}
            for lang, texts in (("en", EN), ("nl", NL)) for i, c in enumerate(texts)]
    write_csv(path, rows)
    store = Store(path.with_suffix(".duckdb"), lock_timeout=5)
    for lang in ("en", "nl"):
        part = path.with_name(f"{lang}.csv")
        write_csv(part, [r for r in rows if r["dataset"] == lang])
        import_file(store, part, dataset=lang)
    return store


def test_split_into_sentences_and_clauses():
    assert vectors.split("Yes, the staff were great. But the food was cold; seats cramped!") == [
        "Yes, the staff were great.", "But the food was cold", "seats cramped!"]
    assert vectors.split("Snel bezorgd maar de doos was kapot") == ["Snel bezorgd", "de doos was kapot"]
    assert vectors.split("Netjes verpakt, goedkoper dan elders!\nTop") == [
        "Netjes verpakt", "goedkoper dan elders!", "Top"]
    assert vectors.split("!!! 123") == []
    assert len(vectors.split(". ".join(["Zin met inhoud"] * 100))) == vectors.MAX_SENTENCES


def test_run_on_text_without_punctuation_is_cut_at_its_sentence_starts():
    # Booking.com strips punctuation; its reviews still start each sentence with a capital
    text = ("We stayed for 6 nights in this hotel from 11 to 17 July Upon arrival we were placed in a small room "
            "on the 2nd floor It turned out that this was not the room we booked The roof leaked in Amsterdam rain")
    assert vectors.split(text) == [
        "We stayed for 6 nights in this hotel from 11 to 17 July",  # after a number: a date, not a sentence end
        "Upon arrival we were placed in a small room on the 2nd floor",
        "It turned out that this was not the room we booked",
        "The roof leaked in Amsterdam rain"]  # after "in": a name, not a sentence end
    # short, or punctuated: left as the other rules cut it
    assert vectors.split("Great location Friendly staff") == ["Great location Friendly staff"]
    assert vectors.split("The staff in the restaurant could have been more pleasant, Tuesday was an off night for him "
                         "We will come back") == ["The staff in the restaurant could have been more pleasant",
                                                  "Tuesday was an off night for him We will come back"]


def test_stored_word_vectors_are_read_back_not_encoded_again(pairs_store):
    with pairs_store.read() as con:
        stored = [w for (w,) in con.execute("SELECT word FROM word_vectors ORDER BY word").fetchall()]
        known = vectors._known(con, stored)
    assert sorted(known) == stored and len(stored) > 50
    assert all(v.shape == (vectors.DIM,) for v in known.values())


def test_every_distinct_sentence_is_stored_once_with_a_unit_vector(pairs_store):
    with pairs_store.read() as con:
        n, distinct, norms = con.execute(
            "SELECT count(*), count(DISTINCT sentence_key), min(list_cosine_similarity(vec::FLOAT[], vec::FLOAT[])) "
            "FROM sentences").fetchone()
        linked = con.execute("SELECT count(DISTINCT comment_key) FROM comment_sentences").fetchone()[0]
        words = con.execute("SELECT count(*) FROM word_vectors").fetchone()[0]
    expected = {s for c in EN + NL for s in vectors.split(c)}
    assert n == distinct == len(expected)
    assert linked == len(EN) + len(NL)
    assert norms == pytest.approx(1.0, abs=1e-5)
    # every content word once, across both datasets
    assert words == len({w for s in expected for w in vectors._terms(s)})


def test_dutch_query_finds_the_english_paraphrase(pairs_store):
    hits = search(pairs_store, Filters(dataset="en"), "lang wachten aan de telefoon", 3)
    # measured: second, after "Waiting at the checkout took forever" (another long wait)
    assert "I was on hold for 40 minutes." in list(hits["comment"])
    assert set(hits["comment"][:2]) == {"I was on hold for 40 minutes.", "Waiting at the checkout took forever."}
    assert list(hits["similarity"]) == sorted(hits["similarity"], reverse=True)


def test_english_query_finds_the_dutch_paraphrase(pairs_store):
    hits = search(pairs_store, Filters(dataset="nl"), "I was on hold for 40 minutes", 1)
    assert list(hits["comment"]) == ["Ik heb drie kwartier in de wacht gehangen aan de telefoon."]


def test_paraphrase_retrieval_across_languages(pairs_store):
    """Each English sentence as a query over the Dutch dataset: its
    translation comes first for at least 13 of 15 (measured 14)."""
    found = sum(search(pairs_store, Filters(dataset="nl"), en, 1)["comment"][0] == nl for en, nl in zip(EN, NL))
    assert found >= 13


def test_search_cli_contract_and_bad_input(pairs_store, capsys):
    assert main(["search", "lang wachten aan de telefoon", "--db", str(pairs_store.path), "--dataset", "en",
                 "--limit", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 2 and set(out[0]) == {"response_id", "score", "comment", "similarity"}
    assert "en0" in {r["response_id"] for r in out} and out[0]["score"] == 3
    assert main(["search", "?!", "--db", str(pairs_store.path), "--json"]) == 2
    assert main(["search", "telefoon", "--limit", "0", "--db", str(pairs_store.path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "no words" in err and "--limit" in err


# -- discovery: four subjects, each phrased three ways per language
TOPICS = {
    "phone_wait": (["I was on hold for {n} minutes", "It took {n} minutes before customer service picked up the phone",
                    "Long waiting time on the phone, {n} minutes"],
                   ["Ik stond {n} minuten in de wacht aan de telefoon", "Het duurde {n} minuten voor de klantenservice opnam",
                    "Lange wachttijd aan de telefoon, {n} minuten"]),
    "friendly_staff": (["The staff member was really friendly", "Friendly and helpful employee",
                        "Such kind and helpful people in the team"],
                       ["De medewerker was heel vriendelijk", "Vriendelijk en behulpzaam personeel",
                        "Wat een aardige en behulpzame medewerkers"]),
    "late_delivery": (["The parcel arrived {n} days late", "Delivery was {n} days later than promised",
                       "Shipping took {n} days longer than planned"],
                      ["Het pakket kwam {n} dagen te laat", "De levering was {n} dagen later dan beloofd",
                       "Bezorging duurde {n} dagen langer dan gepland"]),
    "price": (["Far too expensive", "The price is much higher than at competitors", "Prices are too high for this quality"],
              ["Veel te duur", "De prijs is veel hoger dan bij de concurrent", "Te hoge prijzen voor deze kwaliteit"]),
}
SCORES = {"phone_wait": (1, 6), "friendly_staff": (8, 10), "late_delivery": (2, 7), "price": (4, 8)}


@pytest.fixture(scope="module")
def topics_case(tmp_path_factory):
    """160 responses: one or two subjects each, in Dutch or English."""
    rng = random.Random(7)
    rows, truth = [], {}
    names = list(TOPICS)
    for i in range(160):
        lang = i % 2
        subjects = [names[i % 4]] + ([names[(i // 4) % 4]] if i % 3 == 0 and (i // 4) % 4 != i % 4 else [])
        text = ". ".join(rng.choice(TOPICS[s][lang]).format(n=rng.randint(3, 90)) for s in subjects) + "."
        lo, hi = SCORES[subjects[0]]
        rid = f"r{i:03d}"
        rows.append({"response_id": rid, "responded_at": f"2025-{1 + i % 3:02d}-{1 + i % 28:02d}",
                     "score": rng.randint(lo, hi), "comment": text, "nps_type": "transaction"})
        truth[rid] = set(subjects)
    rows.append({"response_id": "r999", "responded_at": "2025-02-10", "score": 9, "comment": "", "nps_type": "transaction"})  # no comment
    store = _import(tmp_path_factory.mktemp("topics") / "topics.csv", rows, "topics")
    frame = pd.DataFrame(rows).astype({"score": int})
    return store, frame, truth


def test_discovery_finds_each_subject_as_one_pure_topic(topics_case):
    store, _, truth = topics_case
    topics = discover(store, Filters(dataset="topics"), members=True)
    found = {}
    for tp in topics:
        members = tp["response_ids"]
        best = max(TOPICS, key=lambda s: sum(s in truth[r] for r in members))
        purity = sum(best in truth[r] for r in members) / len(members)
        recall = sum(best in truth[r] for r in members) / sum(best in t for t in truth.values())
        if purity >= 0.9 and recall >= 0.9:
            found[best] = tp
    assert set(found) == set(TOPICS)
    words = {"phone_wait": {"hold", "minutes", "phone", "wacht", "minuten", "telefoon", "wachttijd", "waiting"},
             "friendly_staff": {"friendly", "helpful", "vriendelijk", "behulpzaam", "medewerker", "staff", "kind"},
             "late_delivery": {"days", "dagen", "late", "laat", "later", "parcel", "pakket", "delivery", "levering"},
             "price": {"expensive", "duur", "price", "prijs", "prices", "prijzen", "high", "hoge", "hoger"}}
    for subject, tp in found.items():
        assert set(" ".join(tp["terms"]).split()) & words[subject], (subject, tp["terms"])
        assert not set(tp["terms"]) & STOPWORDS
        assert tp["label"] == " · ".join(tp["terms"][:3])
        # examples are sentences of that subject, never whole two-subject comments
        for example in tp["examples"]:
            assert ". " not in example.strip(". ")


def test_discovery_figures_match_pandas(topics_case):
    store, frame, _ = topics_case
    topics = discover(store, Filters(dataset="topics"), members=True)

    def nps(scores):
        return 100 * ((scores >= 9).mean() - (scores <= 6).mean())

    commented = (frame["comment"] != "").sum()
    for tp in topics:
        mine = frame["response_id"].isin(tp["response_ids"])
        assert tp["n"] == mine.sum()
        assert tp["share"] == pytest.approx(mine.sum() / commented)
        assert tp["nps"] == pytest.approx(nps(frame.loc[mine, "score"]))
        assert tp["impact"] == pytest.approx(nps(frame["score"]) - nps(frame.loc[~mine, "score"]))
        months = frame.loc[mine].assign(m=frame["responded_at"].str[:7]).groupby("m")["score"]
        assert [(m["period"], m["n"]) for m in tp["trend"]] == list(months.size().items())


def test_discovery_respects_the_period_and_limit(topics_case):
    store, frame, _ = topics_case
    january = discover(store, Filters(dataset="topics", date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 31)),
                       limit=2, members=True)
    in_january = set(frame.loc[frame["responded_at"].str.startswith("2025-01"), "response_id"])
    assert len(january) == 2
    assert all(set(tp["response_ids"]) <= in_january for tp in january)
    assert january[0]["n"] >= january[1]["n"]


def test_discover_cli_contract(topics_case, capsys):
    store, _, _ = topics_case
    assert main(["discover", "--db", str(store.path), "--dataset", "topics", "--limit", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 3
    assert {"label", "terms", "n", "share", "nps", "impact", "sentiment", "examples"} <= set(out[0])
    assert all(isinstance(tp["examples"][0], str) and -1 <= tp["sentiment"] <= 1 for tp in out)


def test_discovery_of_too_few_sentences_is_empty(pairs_store):
    assert discover(pairs_store, Filters(dataset="en", date_from=dt.date(2030, 1, 1))) == []


def test_an_older_database_gets_its_sentence_vectors_from_the_analysis(pairs_store, tmp_path):
    """Start-up (upgrade) no longer makes them while the first visitor waits: the
    comments count as pending and the analysis (enrich, which the dashboard runs
    in the background) gives them their vectors."""
    import shutil

    from nps_core.text.enrich import enrich, pending, upgrade

    path = tmp_path / "old.duckdb"
    shutil.copy(pairs_store.path, path)
    old = Store(path, lock_timeout=5)
    with old.write() as con:  # as a database made before sentence vectors existed
        con.execute("DELETE FROM comment_sentences")
        con.execute("DELETE FROM sentences")
    upgrade(old)
    assert pending(old) == len(EN + NL)  # every comment lacks its sentences
    enrich(old)
    assert pending(old) == 0
    with old.read() as con:
        assert con.execute("SELECT count(DISTINCT comment_key) FROM comment_sentences").fetchone()[0] == len(EN + NL)
    hits = search(old, Filters(dataset="nl"), "I was on hold for 40 minutes", 1)
    assert list(hits["comment"]) == ["Ik heb drie kwartier in de wacht gehangen aan de telefoon."]
