"""Scores of the theme tagger and the sentiment scorer on the hand-labelled corpus
(tests/data/labelled_comments.csv); used by tests/test_enrichment.py and printed by
`python tests/corpus_eval.py`."""

import csv
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nps_core.enrich import score_comments, taxonomy, themes_sql  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "data" / "labelled_comments.csv"


def load() -> list[dict]:
    with open(CORPUS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def evaluate() -> dict:
    rows = load()
    comments = [r["comment"] for r in rows]
    scored = score_comments(comments)
    con = duckdb.connect()
    con.register("c", scored)
    tagged = [set(t) for (t,) in con.execute(f"SELECT {themes_sql('comment')} FROM c").fetchall()]
    out = {"themes": {}, "sentiment": {}, "language": None}
    for th in taxonomy()["themes"]:
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


if __name__ == "__main__":
    res = evaluate()
    for k, v in res["themes"].items():
        print(f"{k:<20} precision {v['precision']:.2f} recall {v['recall']:.2f} (n={v['n']})")
    for k, v in res["sentiment"].items():
        print(f"sentiment {k}: sign accuracy {v['accuracy']:.2f} (n={v['n']})")
    print(f"language accuracy {res['language']:.2f}")
