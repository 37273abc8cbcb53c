"""Search by meaning measured on real exports against a query set judged by
reading (tests/corpus/queries/, README there); used by
tests/corpus/test_search_corpus.py and printed by `python bench/search_eval.py`.

Each query searches one export (its dataset in one store holding them all):
English comments of telecom, airline, hotel and insurance exports, and the
Dutch reviews of a Belgian bank. Dutch queries search English comments too,
as managers do. A hit is the comment the search returns with the sentence it
matched; it counts as relevant when that sentence was judged relevant to the
query (judgments.csv, by sentence text). A matched sentence nobody judged
counts as not relevant and is reported (`unjudged`), so it can be judged and
the figure is never flattered.

"before" is the search as it was until issue 28: comments ranked by the
cosine of their closest sentence (the same nearest sentences, not reranked);
"after" is analysis/search.py's search().
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from corpus_files import OURS, missing, path  # noqa: E402

from nps_core.analysis.filters import Filters  # noqa: E402
from nps_core.analysis.search import nearest, search  # noqa: E402
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file  # noqa: E402

QUERIES = OURS / "queries" / "queries.csv"
JUDGMENTS = OURS / "queries" / "judgments.csv"


@dataclass(frozen=True)
class Export:
    file: str  # corpus_files name
    sector: str
    mapping: dict  # canonical field -> the export's column
    nps_type: str
    round_score: bool = False  # Booking.com's 7.5: rounded, or the importer refuses most rows
    only: tuple[str, str] | None = None  # (column, value): the rows kept
    date_order: str = "auto"


EXPORTS = {
    "telecom_journey": Export(
        "telecom_journey_verbatims_uk.xlsx", "telecom",
        {"score": "NPS_SCORE", "responded_at": "CUSTOMER_RESPONSE_DATE", "comment": "text",
         "touchpoint": "SURVEY_SUB_TYPE"}, "transaction"),
    "airline_seats": Export(
        "skytrax_seat_reviews.csv", "airline",
        {"score": "overall_rating", "responded_at": "date", "comment": "content", "product": "cabin_flown",
         "region": "author_country"}, "product"),
    "airline_ba": Export(
        "ba_skytrax_reviews_2023.csv", "airline",
        {"score": "rating", "responded_at": "date", "comment": "content", "product": "seat_type",
         "region": "place"}, "transaction"),
    "hotel": Export(
        "hotel_reviews_booking_semicolon.csv", "hotel",
        {"score": "Reviewer_Score", "responded_at": "Review_Date", "comment": "Negative_Review",
         "product": "Hotel_Name", "region": "Reviewer_Nationality"}, "transaction", round_score=True, date_order="mdy"),
    "insurance": Export(
        "insurance_trustpilot_reviews_iso.csv", "insurance",
        {"score": "rating", "responded_at": "published", "comment": "text", "response_id": "id"}, "relationship"),
    # Trustpilot reviews of a Belgian bank, its Dutch ones: real Dutch comments. No date in the file.
    "bank_nl": Export(
        "reviews/keytrade_bank_trustpilot.csv", "bank",
        {"score": "rating", "comment": "text"}, "relationship", only=("language", "nl")),
}


def missing_exports() -> list[str]:
    return missing(*(e.file for e in EXPORTS.values()))


def read_export(e: Export) -> pd.DataFrame:
    """The export as pandas reads it, row numbers as in judgments.csv's `review`."""
    p = path(e.file)
    if p.suffix == ".xlsx":
        frame = pd.read_excel(p)
    else:
        frame = pd.read_csv(p, sep=None, engine="python")
    if e.only:
        frame = frame[frame[e.only[0]] == e.only[1]]
    return frame


def build(workdir: Path) -> Store:
    """One store with every export as a dataset named as in EXPORTS, enriched
    as an import does. Each row's id is its row number (`r<n>`) unless the
    export has ids; an export without dates gets one date for all."""
    workdir.mkdir(parents=True, exist_ok=True)
    store = Store(workdir / "search.duckdb")
    for name, e in EXPORTS.items():
        frame = read_export(e)
        columns = {column: field for field, column in e.mapping.items()}
        canonical = frame[list(columns)].rename(columns=columns)
        if "response_id" not in canonical:
            canonical.insert(0, "response_id", [f"r{i}" for i in frame.index])
        if "responded_at" not in canonical:
            canonical["responded_at"] = "2025-01-01"
        if e.round_score:
            canonical["score"] = canonical["score"].round().astype("Int64")
        file = workdir / f"{name}.csv"
        canonical.to_csv(file, index=False)
        import_file(store, file, dataset=name, nps_type=e.nps_type, date_order=e.date_order,
                    mapping={f: f for f in canonical.columns})
    return store


def queries() -> list[dict]:
    with open(QUERIES, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def judgments() -> dict[tuple[int, str], tuple[int, str]]:
    """(pair, sentence) -> (relevant 0/1, polarity: "agrees", "opposite" or "")."""
    with open(JUDGMENTS, encoding="utf-8", newline="") as fh:
        return {(int(r["pair"]), r["sentence"]): (int(r["relevant"]), r["polarity"]) for r in csv.DictReader(fh)}


TOP, CHECK = 10, 5  # precision at TOP; opposite sentences counted in the first CHECK of negated queries


def score_query(query: dict, sentences: list[str], judged: dict) -> dict:
    """One query's figures from the sentences its top hits matched, best first."""
    pair = int(query["pair"])
    seen = [judged.get((pair, s)) for s in sentences[:TOP]]
    return {"id": query["id"], "p10": sum(1 for j in seen if j and j[0]) / TOP,
            "opposite5": sum(1 for j in seen[:CHECK] if j and j[1] == "opposite"),
            "unjudged": [s for s, j in zip(sentences[:TOP], seen) if j is None]}


def summary(rows: list[dict], queries_: list[dict]) -> dict:
    """Mean precision@10 per half and language (and all), and the negation check:
    opposite sentences in the top 5 of negated queries, and how many such queries have any."""
    by_id = {q["id"]: q for q in queries_}
    out = {}
    for half in sorted({by_id[r["id"]]["half"] for r in rows}, reverse=True):  # tuning, held-out
        for lang in ("nl", "en", "all"):
            part = [r for r in rows if by_id[r["id"]]["half"] == half and lang in ("all", by_id[r["id"]]["lang"])]
            negated = [r for r in part if by_id[r["id"]]["negated"] == "1"]
            out[(half, lang)] = {"p10": sum(r["p10"] for r in part) / len(part), "queries": len(part),
                                 "opposite5": sum(r["opposite5"] for r in negated),
                                 "negated_with_opposite": sum(1 for r in negated if r["opposite5"]),
                                 "negated": len(negated)}
    return out


def before(store: Store, query: dict) -> list[str]:
    """The sentences matched by the top comments as the search ranked them
    before issue 28: each comment by the cosine of its closest sentence."""
    near = nearest(store, Filters(dataset=query["dataset"]), query["query"])
    with store.read() as con:
        con.register("near", near[["sentence_key", "sentence", "cosine"]])
        try:
            return [r[0] for r in con.execute(
                """SELECT arg_max(n.sentence, n.cosine), max(n.cosine) AS best FROM responses r
                   JOIN comment_sentences c ON c.comment_key = md5(r.comment) JOIN near n USING (sentence_key)
                   WHERE r.dataset = ? GROUP BY r.response_id, r.responded_at
                   ORDER BY best DESC, r.responded_at DESC, r.response_id LIMIT ?""",
                [query["dataset"], TOP]).fetchall()]
        finally:
            con.unregister("near")


def after(store: Store, query: dict) -> list[str]:
    return list(search(store, Filters(dataset=query["dataset"]), query["query"], TOP)["sentence"])


def evaluate(store: Store) -> dict:
    """Per ranking ("before", "after"): the summary (per half and language),
    each query's figures, and the matched sentences nobody judged."""
    qs, judged = queries(), judgments()
    out = {}
    for name, rank in (("before", before), ("after", after)):
        rows = [score_query(q, rank(store, q), judged) for q in qs]
        out[name] = {"summary": summary(rows, qs), "queries": rows,
                     "unjudged": sorted({(int(q["pair"]), s) for q, r in zip(qs, rows) for s in r["unjudged"]})}
    return out
