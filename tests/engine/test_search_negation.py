"""Meaning search and themes defined by examples respect "not" and tone
(issue 28 items 1 and 4), on sentences written here in Dutch and English, so
CI exercises it without the corpus. What each sentence denies and which
sentences agree were decided by reading them, never by running the code.
(The figures on real exports: tests/corpus/test_search_corpus.py.)"""

import pytest
from conftest import write_csv

from nps_core.analysis.filters import Filters
from nps_core.analysis.search import search
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text import stance, taxonomy
from nps_core.text.excerpt import highlight
from nps_core.text.negation import denied
from nps_core.text.vectors import span


@pytest.mark.parametrize("text, words", [
    ("engineer did not turn up", ("turn",)),
    ("The engineer didn't show up", ("show",)),
    ("engineer didn t turn up", ("turn",)),  # an export that strips apostrophes
    ("No legroom at all.", ("legroom",)),
    ("Nobody called me back", ("called", "back")),
    ("no one called me back", ("called", "back")),
    ("monteur kwam niet opdagen", ("opdagen",)),
    ("Ik kan niet inloggen", ("inloggen",)),
    ("De airco werkte niet", ("werkte", "airco")),  # the verb before "niet": the clause before it
    ("geen beenruimte", ("beenruimte",)),
    ("Niemand belde terug", ("belde", "terug")),
    ("Fast delivery, no box damage", ("box", "damage")),  # scope ends at the comma: delivery is not denied
])
def test_what_a_sentence_denies_in_both_languages(text, words):
    assert denied(text) == (True, words)


@pytest.mark.parametrize("text", ["Engineer turned up", "Legroom was okay", "De monteur kwam op tijd",
                                  "Not only fast but also cheap", "Niet alleen snel maar ook goedkoop",
                                  "Knotted nothingness"])
def test_sentences_that_deny_nothing(text):
    assert denied(text)[0] is False


def test_stance_adjustment_demotes_the_opposite_not_the_paraphrase():
    no_legroom = stance.of("no legroom at all", "en")
    assert no_legroom.denies and no_legroom.tone < 0  # a denial without a tone word reads as a complaint
    okay, bad, none_ = (stance.of(s, "en") for s in ("Legroom was okay", "The legroom was terrible",
                                                      "There was no leg room"))
    assert stance.adjustment(no_legroom, okay) <= -stance.W_DENIAL  # affirms what the query denies
    assert stance.adjustment(no_legroom, bad) > 0  # no denial, but the same complaint
    assert stance.adjustment(no_legroom, none_) > 0
    # across languages: the Dutch query's denial against English sentences
    no_show = stance.of("monteur kwam niet opdagen", "nl")
    assert stance.adjustment(no_show, stance.of("Engineer turned up", "en")) <= -stance.W_DENIAL
    assert stance.adjustment(no_show, stance.of("The engineer never showed up", "en")) > 0
    # a denied complaint is praise: "nothing to complain about" does not contradict "everything was perfect"
    assert stance.adjustment(stance.of("nothing to complain about", "en"),
                             stance.of("Everything was perfect", "en")) > 0


def test_examples_share_a_stance_only_when_they_agree():
    of = [stance.of(e, "en") for e in ("engineer did not come", "nobody turned up", "no engineer arrived")]
    assert stance.common(of).denies is True
    topic = [stance.of(e, "en") for e in ("Comfortable seat", "No legroom at all", "The seat was fine")]
    assert stance.common(topic) == stance.NONE
    mixed_tone = [stance.of(e, "en") for e in ("Friendly staff", "Rude staff")]
    assert stance.common(mixed_tone) == stance.NONE


# (comment, touchpoint, score, says the engineer did not come: by reading)
VISITS = [
    ("Engineer turned up, installed equipment and it worked", "Installation", 9, False),  # the example
    ("The engineer came on time and was friendly", "Installation", 10, False),
    ("Engineer arrived early. Great service.", "Installation", 9, False),
    ("The engineer did not turn up and nobody told me", "Installation", 1, True),
    ("Waited in all day but the engineer never showed up", "Installation", 0, True),
    ("No engineer came on the agreed date", "Installation", 2, True),
    ("Took a day off work, the engineer didn't arrive", "Installation", 1, True),
    ("Ordering online was easy. The router arrived quickly.", "Order", 9, False),
    ("De monteur is niet komen opdagen.", "Installation", 2, True),
    ("Monteur kwam netjes op tijd", "Installation", 9, False),
]


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    path = tmp_path_factory.mktemp("visits")
    rows = [{"response_id": f"v{i}", "responded_at": f"2025-03-{1 + i:02d}", "score": score, "comment": comment,
             "nps_type": "transaction", "touchpoint": touchpoint, "product": "Fibre 500"}
            for i, (comment, touchpoint, score, _) in enumerate(VISITS)]
    store = Store(path / "nps.duckdb", lock_timeout=5)
    import_file(store, write_csv(path / "visits.csv", rows), dataset="visits")
    return store


NO_SHOWS = {c for c, _, _, no_show in VISITS if no_show}


@pytest.mark.parametrize("query", ["engineer did not turn up", "monteur kwam niet opdagen"])
def test_a_denied_query_finds_the_no_shows_before_the_visits(visits, query):
    hits = search(visits, Filters(dataset="visits"), query, len(VISITS))
    first = list(hits["comment"][:len(NO_SHOWS)])
    assert set(first) == NO_SHOWS, first
    assert list(hits["similarity"]) == sorted(hits["similarity"], reverse=True)


def test_an_affirmed_query_finds_the_visits_before_the_no_shows(visits):
    hits = search(visits, Filters(dataset="visits"), "the engineer came on time", len(VISITS))
    came = [c for c in hits["comment"] if "ngineer" in c or "onteur" in c]
    assert not set(came[:3]) & NO_SHOWS, came


def test_a_hit_carries_its_card(visits):
    """Touchpoint, product, programme type and date, the matched sentence and
    where it is in the whole comment, so the page can highlight it."""
    hits = search(visits, Filters(dataset="visits"), "the engineer never came", 3)
    assert {"touchpoint", "product", "nps_type", "responded_at", "comment", "sentence", "start", "end",
            "similarity", "cosine"} <= set(hits.columns)
    row = hits[hits["comment"] == "Waited in all day but the engineer never showed up"].iloc[0]
    assert (row["touchpoint"], row["product"], row["nps_type"]) == ("Installation", "Fibre 500", "transaction")
    assert str(row.responded_at)[:10] == "2025-03-05"
    # the clause after "but" is the sentence about the no-show
    assert row.sentence == "the engineer never showed up"
    assert row.comment[row.start:row.end] == "the engineer never showed up"
    assert highlight(row.comment, row.start, row.end) == ("Waited in all day but ", "the engineer never showed up", "")


def test_span_finds_a_sentence_that_split_joined_or_trimmed():
    comment = "Yes. The staff were great - but the food was cold"
    assert span(comment, "Yes., The staff were great") == (0, 25)  # split joins a word-less clause with ", "
    assert span(comment, "the food was cold") == (32, 49)
    assert span(comment, "something else") is None
    long = "First things first. " * 20 + "The router arrived late. " + "More text here. " * 20
    before, match, after = highlight(long, long.index("The router"), long.index("The router") + 23)
    assert match == "The router arrived late" and before.startswith("… ") and after.endswith(" …")


def test_a_theme_of_denying_examples_does_not_catch_the_opposite(visits):
    no_show = {"key": "no_show", "nl": "Monteur niet gekomen", "en": "Engineer did not come",
               "examples": ["The engineer did not come", "Nobody turned up for the appointment",
                            "De monteur kwam niet opdagen"]}
    visit = {"key": "visit", "nl": "Monteursbezoek", "en": "Engineer visit",  # a topic: any stance
             "examples": ["The engineer came", "The engineer did not come", "Monteur was vriendelijk"]}
    taxonomy.save(visits, "visits", [no_show])
    with visits.read() as con:
        tagged = {c for c, ts in con.execute(
            "SELECT r.comment, t.themes FROM responses r JOIN dataset_themes t ON t.dataset = r.dataset "
            "AND t.comment_key = md5(r.comment) WHERE r.dataset = 'visits'").fetchall() if "no_show" in ts}
    assert tagged <= NO_SHOWS and len(tagged) >= 3, tagged
    assert not taxonomy.stances([visit])  # nothing to enforce: the theme is left as nearest() tags it
