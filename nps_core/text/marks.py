"""The manager's marks on a theme's sentences, and what the theme learns from them.

In the theme editor's live preview a manager marks a sentence the theme
caught right or wrong, or adds one it missed (issue 27 item 4). A mark is
stored per dataset, theme and sentence text (`theme_marks`, keyed by the
sentence's md5 like `sentences`), recorded in the audit trail, and never
tied to a response: it holds through a re-import and a re-tag. Each mark
retrains the theme at once (text/learned.py) and re-tags the dataset.

Engine functions for the pages: add_mark, marks, theme_precision,
preview_sentences.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from nps_core.base.sql import next_id_sql
from nps_core.db import audit
from nps_core.db.errors import StoreError, retrying
from nps_core.db.store import Store
from nps_core.text import learned, taxonomy, vectors

CV_FOLDS = 5  # the precision estimate: each fifth of the marks judged by a model trained on the rest


@retrying
def add_marks(store: Store, dataset: str, marked: list[tuple[str, str, str]], who: str | None = None) -> dict:
    """Record marks (theme, sentence, verdict) and re-tag the dataset once
    with what its themes learned. `verdict`: right | wrong (a sentence the
    theme caught), missed (one it should have caught; any sentence, typed or
    picked). A dataset still on the default taxonomy gets it as its own first
    (marks belong to a dataset). Returns {"marks", "comments" (re-tagged)}."""
    clean = []
    for theme, sentence, verdict in marked:
        if verdict not in learned.VERDICTS:
            raise StoreError(f"verdict {verdict!r}: use one of {', '.join(learned.VERDICTS)}")
        text = " ".join(str(sentence or "").split())
        if not text or len(text) > taxonomy.MAX_EXAMPLE_CHARS:
            raise StoreError(f"a marked sentence needs words, at most {taxonomy.MAX_EXAMPLE_CHARS} characters")
        clean.append((theme, vectors.key(text), text, verdict))
    if not taxonomy.current(store, dataset)["custom"]:
        taxonomy.save(store, dataset, taxonomy.default()["themes"])
    who = who or store.access.identity or "unknown"
    with store.write("edit_themes", dataset) as con:
        with store.transaction(con):
            themes = taxonomy.for_dataset(con, dataset)["themes"]
            unknown = {m[0] for m in clean} - {th["key"] for th in themes}
            if unknown:
                raise StoreError(f"dataset {dataset!r} has no theme {', '.join(sorted(unknown))}")
            now = dt.datetime.now()
            for theme, key, text, verdict in clean:
                con.execute(
                    f"""INSERT INTO theme_marks (mark_id, dataset, theme, sentence_key, sentence, verdict, marked_by,
                                                 marked_at)
                        VALUES ({next_id_sql('theme_marks', 'mark_id')}, ?, ?, ?, ?, ?, ?, ?)""",
                    [dataset, theme, key, text, verdict, who, now])
                audit.record(con, store, "mark_theme", dataset, {"theme": theme, "verdict": verdict, "sentence": text})
            tagged = taxonomy.tag_dataset(con, dataset, themes, keep=True)
    return {"marks": len(clean), "comments": tagged}


def add_mark(store: Store, dataset: str, theme: str, sentence: str, verdict: str, who: str | None = None) -> dict:
    """One mark (add_marks): the theme editor's Right / Wrong / Missed."""
    return add_marks(store, dataset, [(theme, sentence, verdict)], who)


def marks(store: Store, dataset: str, theme: str | None = None) -> list[dict]:
    """The marks that count (the latest per theme and sentence): theme,
    sentence_key, sentence, verdict, marked_by, marked_at; by theme, newest first."""
    with store.read() as con:
        rows = con.execute(
            """SELECT theme, sentence_key, sentence, verdict, marked_by, marked_at FROM theme_marks
               WHERE dataset = ? AND (? IS NULL OR theme = ?)
               QUALIFY row_number() OVER (PARTITION BY theme, sentence_key ORDER BY mark_id DESC) = 1
               ORDER BY theme, marked_at DESC, sentence_key""", [dataset, theme, theme]).fetchall()
    cols = ("theme", "sentence_key", "sentence", "verdict", "marked_by", "marked_at")
    return [dict(zip(cols, r)) for r in rows]


def _cross_validated(f: np.ndarray, y: np.ndarray) -> float | None:
    """Precision of a theme's classifier over its training sentences (its
    marks, its examples, the other themes' sentences), each judged by a model
    fitted without it (CV_FOLDS folds). None when it takes none of them."""
    fold_of = np.arange(len(y)) % CV_FOLDS
    taken = correct = 0
    for fold in range(CV_FOLDS):
        test, train = fold_of == fold, fold_of != fold
        if not test.any() or not learned.trainable(y[train]):
            continue
        caught = learned.fit(f[train], y[train]).probability(f[test]) >= learned.THRESHOLD
        taken += int(caught.sum())
        correct += int((caught & (y[test] == 1)).sum())
    return correct / taken if taken else None


def theme_precision(store: Store, dataset: str) -> list[dict]:
    """Per theme with marks: {"theme", "right", "wrong", "missed", "checked"
    (right / (right + wrong): the share of the caught sentences the manager
    checked that were right — the theme's precision before it learned),
    "learned" (whether it has enough marks to learn from), "precision" (the
    learned theme's estimated precision, cross-validated over the marks; None
    before it learns)}."""
    with store.read() as con:
        themes = taxonomy.for_dataset(con, dataset)["themes"]
        keys, centre = taxonomy.centres(con, themes)
        sets = learned.training(con, dataset, themes, dict(zip(keys, centre)))
        counts = con.execute(
            f"SELECT theme, verdict, count(*) FROM ({learned.LATEST_MARKS_SQL}) GROUP BY ALL", [dataset]).fetchall()
    by = {}
    for theme, verdict, n in counts:
        by.setdefault(theme, dict.fromkeys(learned.VERDICTS, 0))[verdict] = n
    out = []
    for theme in (th["key"] for th in themes if th["key"] in by):
        c = by[theme]
        f, y, _ = sets[theme]
        ok = learned.trainable(y)
        out.append({"theme": theme, **c,
                    "checked": c["right"] / (c["right"] + c["wrong"]) if c["right"] + c["wrong"] else None,
                    "learned": ok, "precision": _cross_validated(f, y) if ok else None})
    return out


def preview_sentences(store: Store, dataset: str, theme: dict, replaces: str | None = None, k: int = 20) -> dict:
    """The theme editor's sentences: those the theme (as edited; `replaces`
    the key it had) catches in the dataset, surest first, and the nearest
    ones it does not catch (to mark missed), each as {"sentence_key",
    "sentence", "score" (the classifier's probability once the theme learned,
    else the cosine to its examples; 1.0 for a rule's match), "verdict"
    (the mark that counts, or None)}; with "learned" (bool)."""
    (clean,) = taxonomy.validate([theme])
    key = clean["key"]
    with store.read() as con:
        current = taxonomy.for_dataset(con, dataset)["themes"]
        edited = [th for th in current if th["key"] not in (replaces, key)] + [clean]
        found = taxonomy.sentence_themes(con, edited, taxonomy.dataset_comments(), [dataset], dataset=dataset)
        rule = learned.rule_hits(con, [clean], found.texts).get(key, np.zeros(len(found.keys), dtype=bool))
        centre = taxonomy.centres(con, [clean])[1]
        verdict = {m[1]: m[3] for m in con.execute(learned.LATEST_MARKS_SQL, [dataset]).fetchall() if m[0] == key}
    mine = np.array([t == key for t in found.theme], dtype=bool)
    if key in found.probability:  # it learned from marks: the classifier alone decides
        caught, score = mine, found.probability[key]
    else:
        caught = mine | rule
        score = np.maximum(rule.astype(float), found.x @ centre[0] if len(centre) else 0.0)

    def listed(which: np.ndarray) -> list[dict]:
        idx = np.flatnonzero(which)
        return [{"sentence_key": found.keys[i], "sentence": found.texts[i], "score": float(score[i]),
                 "verdict": verdict.get(found.keys[i])} for i in idx[np.argsort(-score[idx], kind="stable")][:k]]

    return {"learned": key in found.probability, "caught": listed(caught), "near": listed(~caught)}
