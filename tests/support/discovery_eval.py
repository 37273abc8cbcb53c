"""Topic discovery, adoption and sentiment scored per sector on real exports
against sentences labelled by reading; used by tests/corpus/test_discovery_corpus.py
and printed as a table by `python tests/support/discovery_eval.py`.

The exports are fetched text, not in the repository: tools/corpus.py builds
them (tests/corpus/manifest.json) into the folder named by env NPS_CORPUS_DIR
(default ../shared/corpus/exports next to the clone). The labels are ours, in
tests/corpus/labels/ with their README (who labelled what, when: before
discovery ran on the file). Each label file is split by review: even review
numbers are the tuning half (looked at while changing discovery), odd ones the
held-out half (never).

Per sector and half, over the labelled sentences (a labelled sentence takes
the discovered topic of the discovered sentence overlapping it most, so the
labels survive a change of the splitter):
- `coverage`: the share of labelled topics (other than `other`, with at
  least 3 % of the half's sentences) that ONE discovered topic covers: the
  topic's labelled sentences are >= 70 % that label (purity) AND hold at least
  half of that label's sentences, and there are at least 3 of them. The older
  figure `coverage_any` drops the "half of the label" condition (a pure topic
  of 3 of 25 delay sentences counted as covering delays).
- `precision`, `recall` after adoption: for each labelled topic, the
  discovered topic holding most of its sentences (the one a manager would
  pick; a topic picked twice goes to the label it holds more of) adopted as a
  theme defined by its examples, as the Themes page's "make theme" does;
  every labelled sentence tagged by the engine's rule (taxonomy.nearest);
  pairs of (sentence, labelled topic) over all the half's labelled topics.
- `nl>en recall`: themes defined by Dutch example sentences written here
  (not taken from the reviews) catching the English labelled sentences.
- `spearman`: the stored sentiment of each response against its score, over
  the whole export (no split: nothing in discovery touches sentiment).
"""

import csv
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from corpus_files import LABELS, exports_dir, missing, reason  # noqa: E402

from nps_core.analysis import topic_names  # noqa: E402
from nps_core.analysis.discovery import MAX_TOPICS, discover  # noqa: E402
from nps_core.analysis.filters import Filters  # noqa: E402
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file  # noqa: E402
from nps_core.text import taxonomy  # noqa: E402
from nps_core.text.vectors import key, split  # noqa: E402

CORPUS = exports_dir()
MIN_SHARE, MIN_PURITY, MIN_OF_LABEL, MIN_LABELLED = 0.03, 0.7, 0.5, 3
SPLITS = {"tuning": 0, "held-out": 1}  # review number modulo 2


@dataclass(frozen=True)
class Sector:
    export: str
    labels: str
    mapping: dict
    dutch: dict  # labelled topic -> Dutch example sentences written here
    round_score: bool = False  # a decimal score (Booking.com's 7.5) the importer refuses: rounded first
    # the export whose scores the sentiment is ranked against, when not this one
    sentiment_export: tuple[str, dict] | None = None


SECTORS = {
    "airline": Sector(
        "ba_skytrax_reviews_2023.csv", "ba_skytrax_2023_sentences.csv",
        {"score": "rating", "responded_at": "date", "comment": "content", "product": "seat_type", "region": "place"},
        {"seat": ["De stoel zat erg oncomfortabel", "Te weinig beenruimte", "Comfortabele stoelen met genoeg ruimte",
                  "De stoel ging niet naar achteren"],
         "food": ["Het eten was heerlijk", "De maaltijd was koud en smakeloos", "Leuke keuze aan drankjes en snacks",
                  "Het ontbijt was slecht"],
         "crew": ["Het cabinepersoneel was vriendelijk en behulpzaam", "Een hele aardige stewardess heeft me geholpen",
                  "Het personeel was beleefd en geduldig", "Onbeschoft en onbehulpzaam personeel"],
         "delay": ["De vlucht had twee uur vertraging", "De vlucht werd geannuleerd", "Alles vertrok op tijd",
                   "Het vertrek werd zonder uitleg uitgesteld"]},
        # this file's ratings do not follow its texts (rating 10 with "recommended: no" on 68 of 120 reviews;
        # VADER's Spearman against them is -0.02), so sentiment is ranked on another scrape of BA reviews,
        # not bench/sentiment_eval.py's tuning file (ba_reviews_2024_author_id.csv)
        sentiment_export=("ba_reviews_pandas_index.csv", {
            "score": "Rating", "responded_at": "Date", "comment": "Review", "product": "Seat type"})),
    "hotel": Sector(
        "hotel_reviews_booking_semicolon.csv", "hotel_booking_sentences.csv",
        {"score": "Reviewer_Score", "responded_at": "Review_Date", "comment": "Negative_Review",
         "product": "Hotel_Name", "region": "Reviewer_Nationality"},
        {"room": ["De kamer was erg klein", "Een steile trap naar het bed", "De inrichting van de kamer was kaal",
                  "De koelkast en de tv werkten niet"],
         "cleanliness": ["De kamer was vies", "Er lag stof en haar op de vloer", "Het bed werd niet schoongemaakt",
                         "Alles rook muf en vuil"],
         "noise": ["Veel lawaai 's nachts", "We konden niet slapen van het geluid", "Deuren sloegen de hele ochtend",
                   "De airco maakte een hard geluid"],
         "bathroom": ["De badkamer was onpraktisch", "De douche lekte", "Te weinig licht bij de spiegel in de badkamer",
                      "Het toilet had geen privacy"]},
        round_score=True),
    "telecom": Sector(
        "telecom_callscript_nps.xlsx", "telecom_callscript_sentences.csv",
        {"score": "SCORE", "responded_at": "TO_CHAR", "comment": "LTR_COMMENT", "response_id": "SURVEY_ID"},
        {"staff": ["De medewerker aan de telefoon was erg behulpzaam", "Vriendelijke en geduldige adviseur",
                   "Ze heeft alles rustig uitgelegd", "De verkoper was onbeleefd"],
         "installation": ["De monteur kwam op tijd en werkte netjes", "De installatie ging snel",
                          "We zijn nog steeds niet aangesloten", "Twee weken wachten op de aansluiting"],
         "price": ["Een goede prijs", "Het abonnement is te duur", "Voordelig pakket", "De prijs ging omhoog"],
         "contact": ["Ik kon niemand bereiken", "Ik werd steeds doorverbonden", "Niemand belde me terug",
                     "Heel moeilijk om contact op te nemen"]}),
}


def needed(sector: str) -> list[str]:
    """The corpus files a sector's evaluation reads."""
    s = SECTORS[sector]
    return [s.export] + ([s.sentiment_export[0]] if s.sentiment_export else [])


def missing_for(sector: str) -> list[str]:
    return missing(*needed(sector))


def available(sector: str) -> bool:
    return not missing_for(sector)


def _read_export(s: Sector) -> pd.DataFrame:
    path = CORPUS / s.export
    if path.suffix == ".xlsx":
        return pd.read_excel(path)
    return pd.read_csv(path, sep=None, engine="python")


def _spans(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Where each piece sits in the text, in order (-1, -1 when not found)."""
    out, at = [], 0
    for p in pieces:
        i = text.find(p, at)
        if i < 0:
            i = text.find(p)
        out.append((i, i + len(p)) if i >= 0 else (-1, -1))
        at = i + len(p) if i >= 0 else at
    return out


def topic_of_labelled(labelled: list[dict], comments: dict[int, str], topic_of: dict[str, str]) -> list:
    """The discovered topic of each labelled sentence: that of the discovered
    sentence of its review overlapping it most (None: in no listed topic)."""
    out = []
    for row in labelled:
        text = comments[int(row["review"])]
        pieces = split(text)
        (a, b), = _spans(text, [row["sentence"]])
        best, most = None, 0
        for piece, (pa_, pb) in zip(pieces, _spans(text, pieces)):
            overlap = min(b, pb) - max(a, pa_)
            if overlap > most:
                best, most = topic_of.get(key(piece)), overlap
        out.append(best)
    return out


def coverage(truth: list[str], found: list) -> dict:
    counts = Counter(truth)
    wanted = sorted(t for t, n in counts.items() if t != "other" and n >= MIN_SHARE * len(truth))
    per_topic: dict[str, Counter] = {}
    for t, d in zip(truth, found):
        if d is not None:
            per_topic.setdefault(d, Counter())[t] += 1
    strict, loose = {}, {}
    for d, c in per_topic.items():
        label, n = c.most_common(1)[0]
        if label in wanted and n / sum(c.values()) >= MIN_PURITY and n >= MIN_LABELLED:
            loose.setdefault(label, d)
            if n / counts[label] >= MIN_OF_LABEL:
                strict[label] = d
    holder: dict[str, tuple[str, int]] = {}  # discovered topic -> (label it is adopted for, sentences held)
    for t in wanted:
        held = [(c[t], d) for d, c in per_topic.items() if c[t]]
        if held:
            n, d = max(held)
            if n > holder.get(d, ("", 0))[1]:
                holder[d] = (t, n)
    return {"wanted": wanted, "covered": strict, "coverage": len(strict) / len(wanted),
            "coverage_any": len(loose) / len(wanted), "adopted": {t: d for d, (t, _) in holder.items()}}


def best_match_f1(truth: list[str], found: list, wanted: list[str]) -> dict[str, float]:
    """Per wanted labelled topic, the F1 of the discovered topic that matches
    it best over the labelled sentences: 2 |L ∩ D| / (|L| + |D|), D counted
    over the labelled sentences (issue 27 item 3)."""
    size = Counter(f for f in found if f is not None)
    out = {}
    for label in wanted:
        held = Counter(f for t, f in zip(truth, found) if t == label and f is not None)
        n = sum(t == label for t in truth)
        out[label] = max((2 * both / (n + size[d]) for d, both in held.items()), default=0.0)
    return out


def topic_figures(truth: list[str], found: list) -> dict:
    """Coverage (strict and loose) and best-match F1 of a half's labelled
    sentences against the discovered topic of each (None: none)."""
    cov = coverage(truth, found)
    f1 = best_match_f1(truth, found, cov["wanted"])
    return {**cov, "f1": f1, "best_match_f1": sum(f1.values()) / len(f1)}


def precision_recall(truth: list[str], predicted: list, wanted: list[str]) -> dict:
    """Over (sentence, labelled topic) pairs of the wanted topics."""
    tp = sum(p is not None and p == t for t, p in zip(truth, predicted))
    fp = sum(p is not None and p != t for t, p in zip(truth, predicted))
    positives = sum(t in wanted for t in truth)
    return {"precision": tp / (tp + fp) if tp + fp else None, "recall": tp / positives if positives else None}


def _tag(store: Store, sentences: list[str], themes: list[dict]) -> list:
    with store.read() as con:
        x = taxonomy.vectors.embed_on(con, sentences)
        keys, centre = taxonomy.centres(con, themes)
        return taxonomy.nearest(x, keys, centre)


def _import(store: Store, s: Sector, workdir: Path, dataset: str) -> None:
    path = CORPUS / s.export
    if s.round_score:
        frame = _read_export(s)
        frame[s.mapping["score"]] = frame[s.mapping["score"]].round().astype(int)
        path = workdir / f"{dataset}.csv"
        frame.to_csv(path, index=False)
    import_file(store, path, dataset=dataset, mapping=s.mapping, nps_type="transaction")


def labelled_sentences(sector: str) -> tuple[list[dict], dict[int, str]]:
    """The sector's labelled sentences and the export's comments by review number."""
    s = SECTORS[sector]
    frame = _read_export(s)
    comments = dict(enumerate(frame[s.mapping["comment"]].astype(str)))
    with open(LABELS / s.labels, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh)), comments


def halves(labelled: list[dict], found: list) -> dict[str, tuple[list[str], list]]:
    """Per half: the labels and the discovered topics of its sentences."""
    out = {}
    for name, parity in SPLITS.items():
        rows = [(r["topic"], f) for r, f in zip(labelled, found) if int(r["review"]) % 2 == parity]
        out[name] = ([t for t, _ in rows], [f for _, f in rows])
    return out


def prepare(sector: str, workdir: Path) -> Store:
    """A store in `workdir` with the sector's export imported as dataset
    `sector` and analysed (a store from an earlier run is used as it is)."""
    store = Store(workdir / f"{sector}.duckdb")
    if store.exists():
        with store.read() as con:
            if con.execute("SELECT count(*) FROM datasets WHERE name = ?", [sector]).fetchone()[0]:
                return store
    _import(store, SECTORS[sector], workdir, sector)
    return store


def evaluate(sector: str, workdir: Path) -> dict:
    s = SECTORS[sector]
    store = prepare(sector, workdir)
    started = time.perf_counter()
    topics = discover(store, Filters(dataset=sector), limit=MAX_TOPICS, members=True)
    seconds = time.perf_counter() - started
    topic_of = {k: tp["label"] for tp in topics for k in tp["sentence_keys"]}
    examples = {tp["label"]: tp["examples"] for tp in topics}
    labelled, comments = labelled_sentences(sector)
    found = topic_of_labelled(labelled, comments, topic_of)
    ranked = sector
    if s.sentiment_export:
        ranked = f"{sector}_sentiment"
        import_file(store, CORPUS / s.sentiment_export[0], dataset=ranked, mapping=s.sentiment_export[1],
                    nps_type="transaction")
    with store.read() as con:
        scored = con.execute(
            "SELECT r.score, e.sentiment FROM responses r JOIN enrichment e ON e.comment_key = md5(r.comment) "
            "WHERE r.dataset = ?", [ranked]).df()
    kinds = Counter(tp["kind"] for tp in topics)
    out = {"topics_found": len(topics), "labels": [tp["label"] for tp in topics],
           "phrases": [tp["phrase"] for tp in topics], "kinds": [tp["kind"] for tp in topics], "seconds": seconds,
           "generic": sum(topic_names.is_generic(tp["terms"]) for tp in topics if tp["kind"] == topic_names.TOPIC)
           / max(kinds[topic_names.TOPIC], 1),
           "folded": len(topics) - kinds[topic_names.TOPIC],
           "spearman": scored["score"].corr(scored["sentiment"], method="spearman")}
    dutch = [{"key": t, "examples": ex} for t, ex in s.dutch.items()]
    for name, (truth, found_half) in halves(labelled, found).items():
        sentences = [r["sentence"] for r in labelled if int(r["review"]) % 2 == SPLITS[name]]
        figures = topic_figures(truth, found_half)
        adopted = [{"key": label, "examples": examples[d]} for label, d in figures["adopted"].items()]
        pr = precision_recall(truth, _tag(store, sentences, adopted), figures["wanted"])
        nl = precision_recall([t if t in s.dutch else "" for t in truth], _tag(store, sentences, dutch), list(s.dutch))
        out[name] = {"sentences": len(truth), "in_topics": sum(f is not None for f in found_half), **figures, **pr,
                     "nl>en recall": nl["recall"], "nl>en precision": nl["precision"]}
    return out


def parse_sectors(parser):
    """An evaluation's command line: the sectors (default all) and --workdir;
    exits naming the corpus files that are missing."""
    parser.add_argument("sectors", nargs="*", default=list(SECTORS))
    parser.add_argument("--workdir", help="keep the imported stores here and reuse them (default: a temporary folder)")
    args = parser.parse_args()
    gone = [f for s in args.sectors for f in missing_for(s)]
    if gone:
        sys.exit(reason(gone))
    return args


def table(results: dict) -> str:
    head = ("sector", "split", "sentences", "topics", "covered", "cov", "cov_any", "best F1", "prec", "recall",
            "nl>en rec", "generic", "spearman")
    lines = ["  ".join(f"{h:>9}" for h in head)]

    def fmt(v):
        return "-" if v is None else f"{v:.2f}"

    for sector, r in results.items():
        for name in SPLITS:
            h = r[name]
            lines.append("  ".join(f"{v:>9}" for v in (
                sector, name, h["sentences"], len(h["wanted"]), len(h["covered"]), fmt(h["coverage"]),
                fmt(h["coverage_any"]), fmt(h["best_match_f1"]), fmt(h["precision"]), fmt(h["recall"]),
                fmt(h["nl>en recall"]), fmt(r["generic"]), fmt(r["spearman"]))))
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    chosen = sys.argv[1:] or list(SECTORS)
    gone = [f for s in chosen for f in missing_for(s)]
    if gone:
        sys.exit(reason(gone))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sector in chosen:
            results[sector] = evaluate(sector, Path(tmp))
    print(json.dumps({s: {k: r[k] for k in ("topics_found", "labels", "phrases", "folded")} |
                      {n: {k: r[n][k] for k in ("covered", "wanted")} for n in SPLITS}
                      for s, r in results.items()}, indent=1, ensure_ascii=False))
    print(table(results))
