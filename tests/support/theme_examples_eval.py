"""Themes defined by example sentences, measured on a labelled set written by
hand for it (tests/data/theme_examples.csv); used by
tests/engine/test_theme_examples.py and printed by `python tests/support/theme_examples_eval.py`.

The set: eight themes of several sectors (waiting on the phone, staff,
price, delays, app and website, billing, seats, food), each defined by four
English and four Dutch example sentences (part `example`), and test sentences
in both languages that say the same things in other words, plus off-topic
sentences (theme empty): a tuning part (`tune`, 80 sentences) on which the
rule and its threshold were chosen, and a held-out part (`heldout`, 100
sentences) never used for a choice.

Cross-lingual catching is measured through the engine: every test sentence
is a comment of a real store, enriched as an import does; the taxonomy
holds the themes with the examples of ONE language only; a theme counts as
caught when the dataset's tags (taxonomy.save) contain it. Precision and
recall count (sentence, theme) pairs, so a sentence tagged with a wrong
theme or an off-topic sentence tagged at all is a false positive.
"""

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file  # noqa: E402
from nps_core.text import taxonomy  # noqa: E402
from nps_core.text.vectors import matrix  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "theme_examples.csv"
DATASET = "labelled"
DIRECTIONS = (("en", "nl"), ("nl", "en"))  # examples in the first language, sentences in the second
GRID = np.round(np.arange(0.50, 0.951, 0.01), 2)


def rows() -> list[dict]:
    with open(LABELLED, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def themes_of(labelled: list[dict], lang: str | None = None) -> list[dict]:
    """The taxonomy the examples define: of one language, or of both (None)."""
    keys = sorted({r["theme"] for r in labelled if r["theme"]})
    return [{"key": k, "nl": k, "en": k, "examples": [r["sentence"] for r in labelled if r["part"] == "example"
                                                       and r["theme"] == k and lang in (None, r["lang"])]}
            for k in keys]


def labelled_store(workdir: Path) -> Store:
    """A store whose dataset holds every tuning and held-out sentence as a comment (id: row number)."""
    tests = [(i, r) for i, r in enumerate(rows()) if r["part"] != "example"]
    path = workdir / "labelled.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["response_id", "responded_at", "score", "comment"])
        w.writerows([f"s{i}", "2025-06-01", 7, r["sentence"]] for i, r in tests)
    store = Store(workdir / "labelled.duckdb")
    import_file(store, path, dataset=DATASET, nps_type="transaction")
    return store


def tags(store: Store) -> dict[str, set[str]]:
    """Each response's themes as the dataset's taxonomy tagged them."""
    with store.read() as con:
        return {rid: set(ts) for rid, ts in con.execute(
            """SELECT r.response_id, t.themes FROM responses r
               JOIN dataset_themes t ON t.dataset = r.dataset AND t.comment_key = md5(r.comment)
               WHERE r.dataset = ?""", [DATASET]).fetchall()}


def precision_recall(truth: list[str], predicted: list[set[str]]) -> dict:
    """Over (sentence, theme) pairs; truth "" is an off-topic sentence."""
    tp = sum(t in p for t, p in zip(truth, predicted) if t)
    fp = sum(len(p - {t}) for t, p in zip(truth, predicted))
    positives = sum(1 for t in truth if t)
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / positives, "n": len(truth)}


def engine_figures(store: Store, part: str = "heldout") -> dict:
    """Precision and recall per direction ("en>nl": English examples, Dutch
    sentences), through taxonomy.save and the stored tags."""
    labelled = rows()
    out = {}
    for source, target in (*DIRECTIONS, (None, "en"), (None, "nl")):
        taxonomy.save(store, DATASET, themes_of(labelled, source))
        got = tags(store)
        picked = [(f"s{i}", r["theme"]) for i, r in enumerate(labelled) if r["part"] == part and r["lang"] == target]
        out[f"{source or 'both'}>{target}"] = precision_recall([t for _, t in picked],
                                                               [got.get(rid, set()) for rid, _ in picked])
    return out


# -- choosing the rule and its threshold, on the tuning part only -------------

def _sentence_vectors(store: Store) -> dict[str, np.ndarray]:
    """Each response's stored sentence vectors (one row per sentence or clause)."""
    with store.read() as con:
        tbl = con.execute(
            """SELECT r.response_id, s.vec FROM responses r JOIN comment_sentences c ON c.comment_key = md5(r.comment)
               JOIN sentences s USING (sentence_key) WHERE r.dataset = ? ORDER BY r.response_id, c.position""",
            [DATASET]).arrow()
    tbl = tbl.read_all() if hasattr(tbl, "read_all") else tbl
    ids, x = tbl.column("response_id").to_pylist(), matrix(tbl.column("vec"))
    out: dict[str, list] = {}
    for rid, v in zip(ids, x):
        out.setdefault(rid, []).append(v)
    return {rid: np.array(vs) for rid, vs in out.items()}


def _scores(rule: str, x: np.ndarray, examples: list[np.ndarray], centre: np.ndarray) -> np.ndarray:
    """(sentences × themes) scores of a candidate rule."""
    if rule.endswith("centre"):
        return x @ centre.T
    return np.stack([(x @ e.T).max(axis=1) for e in examples], axis=1)  # the closest example


def _predict(rule: str, s: np.ndarray, keys: list[str], t: float) -> set[str]:
    if rule.startswith("nearest"):  # only each sentence's best theme may catch it
        best = s.argmax(axis=1)
        return {keys[j] for i, j in enumerate(best) if s[i, j] >= t}
    return {keys[j] for j in np.flatnonzero((s >= t).any(axis=0))}


RULES = ("nearest centre", "nearest example", "centre", "any example")


def calibrate(store: Store) -> dict:
    """Per candidate rule, the threshold with the best mean F1 of the two
    cross-lingual directions on the TUNING part, and that F1."""
    labelled = rows()
    vecs = _sentence_vectors(store)
    with store.read() as con:
        defined = {lang: [(th["key"], taxonomy.vectors.embed_on(con, th["examples"]))
                          for th in themes_of(labelled, lang)] for lang, _ in DIRECTIONS}
    out = {}
    for rule in RULES:
        f1 = np.zeros(len(GRID))
        for source, target in DIRECTIONS:
            keys = [k for k, _ in defined[source]]
            examples = [e for _, e in defined[source]]
            centre = np.array([e.mean(axis=0) / np.linalg.norm(e.mean(axis=0)) for e in examples])
            picked = [(f"s{i}", r["theme"]) for i, r in enumerate(labelled) if r["part"] == "tune" and r["lang"] == target]
            scored = [(_scores(rule, vecs[rid], examples, centre), truth) for rid, truth in picked]
            for g, t in enumerate(GRID):
                pr = precision_recall([truth for _, truth in scored], [_predict(rule, s, keys, t) for s, _ in scored])
                p, r = pr["precision"], pr["recall"]
                f1[g] += (2 * p * r / (p + r) if p + r else 0.0) / len(DIRECTIONS)
        best = int(np.argmax(f1))
        out[rule] = {"threshold": float(GRID[best]), "f1": round(float(f1[best]), 3)}
    return out


# -- real sentences: airline reviews labelled by reading (tests/corpus/labels/) --

CORPUS_LABELS = ROOT / "tests" / "corpus" / "labels" / "ba_skytrax_2023_sentences.csv"
# four of its topics, each defined by example sentences written here (not taken from the reviews)
AIRLINE = {
    "seat": (["The seat was very uncomfortable", "Not enough legroom", "Comfortable seats with plenty of space",
              "The seat would not recline"],
             ["De stoel zat erg oncomfortabel", "Te weinig beenruimte", "Comfortabele stoelen met genoeg ruimte",
              "De stoel ging niet naar achteren"]),
    "food": (["The food was delicious", "The meal was cold and tasteless", "Nice choice of drinks and snacks",
              "Breakfast was poor"],
             ["Het eten was heerlijk", "De maaltijd was koud en smakeloos", "Leuke keuze aan drankjes en snacks",
              "Het ontbijt was slecht"]),
    "crew": (["The cabin crew were friendly and helpful", "A very kind flight attendant helped me",
              "The staff were polite and patient", "Rude and unhelpful crew"],
             ["Het cabinepersoneel was vriendelijk en behulpzaam", "Een hele aardige stewardess heeft me geholpen",
              "Het personeel was beleefd en geduldig", "Onbeschoft en onbehulpzaam personeel"]),
    "delay": (["The flight was delayed by two hours", "The flight was cancelled", "Everything left on time",
               "The departure was postponed without explanation"],
              ["De vlucht had twee uur vertraging", "De vlucht werd geannuleerd", "Alles vertrok op tijd",
               "Het vertrek werd zonder uitleg uitgesteld"]),
}


def airline_figures(store: Store) -> dict:
    """Precision and recall of the four airline themes, defined by English
    ("en>en") or by Dutch ("nl>en") examples, over the labelled review
    sentences (English, tests/corpus/labels/ba_skytrax_2023_sentences.csv): a sentence of another topic that a theme catches is
    a false positive. Sentences go through the engine's rule (taxonomy.nearest)
    with vectors as the engine makes them (vectors.embed_on on `store`)."""
    with open(CORPUS_LABELS, encoding="utf-8", newline="") as fh:
        labelled = list(csv.DictReader(fh))
    truth = [r["topic"] if r["topic"] in AIRLINE else "" for r in labelled]
    out = {}
    with store.read() as con:
        x = taxonomy.vectors.embed_on(con, [r["sentence"] for r in labelled])
        for i, lang in enumerate(("en", "nl")):
            keys, centre = taxonomy.centres(con, [{"key": k, "examples": v[i]} for k, v in AIRLINE.items()])
            got = taxonomy.nearest(x, keys, centre)
            out[f"{lang}>en"] = precision_recall(truth, [{g} if g else set() for g in got])
    return out


if __name__ == "__main__":
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        s = labelled_store(Path(tmp))
        print(json.dumps({"tuning": calibrate(s), "heldout": engine_figures(s), "tune": engine_figures(s, "tune"),
                          "airline": airline_figures(s)},
                         indent=2))
