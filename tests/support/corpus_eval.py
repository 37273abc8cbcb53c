"""Scores of the theme tagger and the sentiment scorer on the hand-labelled corpora;
used by tests/corpus/test_corpus_targets.py and printed by `python tests/support/corpus_eval.py`.

Two corpora, both labelled by reading the comments, not by running the code:
- labelled_comments.csv (373): the development set the rules and lexicon were tuned on;
- labelled_heldout.csv (158): written and labelled afterwards and never tuned on, so its
  figures estimate how the rules do on comments they have not seen.
"""

import csv
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nps_core.db.store import Store
from nps_core.text.enrich import enrich, score_comments
from nps_core.text.taxonomy import default, themes_sql

DATA = Path(__file__).resolve().parents[1] / "data"
CORPORA = {"development": DATA / "labelled_comments.csv", "held-out": DATA / "labelled_heldout.csv"}


def load(*names: str) -> list[dict]:
    rows = []
    for name in names or CORPORA:
        with open(CORPORA[name], encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def stored_sentiment(comments: list[str]) -> list[float]:
    """The sentiment enrichment stores for each comment: the comments go as
    responses into a scratch database and through enrich(), as an import's
    would (lexical clause scores, sentence vectors, the learned blend)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "eval.duckdb", lock_timeout=5)
        with store.write() as con:
            con.register("c", pa.table({"comment": comments}))
            con.execute("""INSERT INTO responses (dataset, response_id, responded_at, score, comment, nps_type)
                           SELECT 'eval', 'r' || row_number() OVER (), TIMESTAMP '2025-01-01', 5, comment,
                                  'transaction' FROM (SELECT DISTINCT comment FROM c)""")
            con.execute("INSERT INTO datasets (name) VALUES ('eval')")
        enrich(store)
        with store.read() as con:
            found = dict(con.execute("SELECT comment, sentiment FROM enrichment").fetchall())
    return [found[c] for c in comments]


def evaluate(*names: str) -> dict:
    """Precision and recall per theme, sentiment sign accuracy per language and
    language accuracy on the named corpora (all of them by default)."""
    rows = load(*names)
    comments = [r["comment"] for r in rows]
    scored = score_comments(comments)
    scored["sentiment"] = stored_sentiment(comments)
    con = duckdb.connect()
    con.register("c", scored)
    tagged = [set(t) for (t,) in con.execute(f"SELECT {themes_sql('comment', default()['themes'])} FROM c").fetchall()]
    out = {"themes": {}, "sentiment": {}, "language": None}
    for th in default()["themes"]:
        key = th["key"]
        truth = [key in r["themes"].split(";") for r in rows]
        pred = [key in t for t in tagged]
        tp = sum(a and b for a, b in zip(truth, pred))
        out["themes"][key] = {
            "precision": tp / max(sum(pred), 1), "recall": tp / max(sum(truth), 1), "n": sum(truth),
        }
    for lang in ("nl", "en"):
        # sign accuracy on the comments with a tone: positive vs negative
        pairs = [(r["sentiment"], s) for r, s in zip(rows, scored["sentiment"])
                 if r["language"] == lang and r["sentiment"] != "neutral"]
        right = sum((s > 0) == (label == "positive") and s != 0 for label, s in pairs)
        out["sentiment"][lang] = {"accuracy": right / len(pairs), "n": len(pairs)}
    langs = [r["language"] for r in rows]
    out["language"] = sum(a == b for a, b in zip(langs, scored["language"])) / len(rows)
    return out


def report(names: tuple[str, ...], title: str) -> None:
    res = evaluate(*names)
    print(f"== {title} ({len(load(*names))} comments)")
    for k, v in res["themes"].items():
        print(f"{k:<20} precision {v['precision']:.2f} recall {v['recall']:.2f} (n={v['n']})")
    for k, v in res["sentiment"].items():
        print(f"sentiment {k}: sign accuracy {v['accuracy']:.2f} (n={v['n']})")
    print(f"language accuracy {res['language']:.2f}")


if __name__ == "__main__":
    for name in CORPORA:
        report((name,), name)
    report((), "all")
