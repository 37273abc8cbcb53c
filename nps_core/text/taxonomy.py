"""The theme taxonomy: the default one in data/themes.json, and the edited
copy a dataset may have instead.

A theme is {"key", "nl", "en", "pattern", "examples"}: a rule, example
sentences, or both. The pattern is a regular expression (DuckDB's RE2
dialect) matched against the lower-cased comment; the examples (Dutch or
English) catch a comment when one of its sentences is closer to the theme's
examples than to any other theme's, and close enough (see example_hits).
The default taxonomy's tags live in `enrichment.themes`, shared by every
dataset; a dataset with its own taxonomy keeps its tags in
`dataset_themes`, which takes precedence. Saving re-tags the dataset's
distinct comments in one SQL statement, so an edit shows at once.
"""

from __future__ import annotations

import json
import re
import time
from functools import lru_cache
from typing import NamedTuple

import duckdb
import numpy as np
import pyarrow as pa

from nps_core import DATA_DIR
from nps_core.base.sql import quote_literal
from nps_core.db import audit, duck
from nps_core.db.errors import StoreError, retrying
from nps_core.db.store import Store
from nps_core.text import language, learned, stance, vectors
from nps_core.text.stopwords import words

DEFAULT_FILE = DATA_DIR / "themes.json"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# A sentence joins the example-defined theme whose centre (the normalised mean
# of its examples' vectors) is nearest, when the cosine is at least this.
# Chosen on the tuning part of tests/data/theme_examples.csv, never on its
# held-out part: nearest centre beat "any example within t" and "centre
# within t" (each theme on its own), see tests/support/theme_examples_eval.py.
EXAMPLE_THRESHOLD = 0.74
MAX_EXAMPLES, MAX_EXAMPLE_CHARS = 50, 300


@lru_cache(maxsize=1)
def default() -> dict:
    """{"version", "themes": [...]} from data/themes.json."""
    return json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def for_dataset(con, dataset: str) -> dict:
    """The dataset's own taxonomy if it has one, else the default; with
    "custom" telling which."""
    row = con.execute("SELECT body, version FROM taxonomies WHERE dataset = ?", [dataset]).fetchone()
    if row is None:
        return {**default(), "custom": False}
    return {"version": row[1], "themes": json.loads(row[0]), "custom": True}


def current(store: Store, dataset: str) -> dict:
    """for_dataset() on a store."""
    with store.read() as con:
        return for_dataset(con, dataset)


def label(taxonomy: dict, key: str, lang: str) -> str:
    return next((th.get(lang) or key for th in taxonomy["themes"] if th["key"] == key), key)


def themes_sql(expr: str, themes: list[dict], hits: str | None = None, learned=frozenset()) -> str:
    """SQL list of the keys of the `themes` whose pattern matches the text
    `expr` or, with `hits` (an SQL list of theme keys, example_hits'
    `themes`), whose examples caught it; in the taxonomy's order. A theme in
    `learned` (it learned from marks, text/learned.py) is caught by `hits` alone."""
    cases = []
    for th in themes:
        if th["key"] in learned:
            caught = [f"coalesce(list_contains({hits}, {quote_literal(th['key'])}), false)"]
        else:
            caught = [f"regexp_matches(lower({expr}), {quote_literal(th['pattern'])})"] if th.get("pattern") else []
            if hits and th.get("examples"):
                caught.append(f"coalesce(list_contains({hits}, {quote_literal(th['key'])}), false)")
        if caught:
            cases.append(f"CASE WHEN {' OR '.join(caught)} THEN {quote_literal(th['key'])} END")
    if not cases:
        return "[]::VARCHAR[]"
    return f"list_filter([{', '.join(cases)}], x -> x IS NOT NULL)"


def centres(con, themes: list[dict], keep: bool = False) -> tuple[list[str], np.ndarray]:
    """The keys of the themes defined by examples and, row by row, the
    normalised mean of each one's example vectors (vectors.embed_on; `keep`
    stores the examples' new words, on a write connection)."""
    defined = [th for th in themes if th.get("examples")]
    if not defined:
        return [], np.zeros((0, vectors.DIM), dtype=np.float32)
    vecs = vectors.embed_on(con, [e for th in defined for e in th["examples"]], keep)
    ends = np.cumsum([len(th["examples"]) for th in defined])
    means = np.add.reduceat(vecs, np.concatenate(([0], ends[:-1])), axis=0)
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return [th["key"] for th in defined], np.divide(means, norms, out=np.zeros_like(means), where=norms > 0)


def nearest(x: np.ndarray, keys: list[str], centre: np.ndarray, with_similarity: bool = False):
    """Per sentence vector, the example-defined theme it belongs to: the
    nearest centre when its cosine reaches EXAMPLE_THRESHOLD, else None
    (and, with_similarity, the cosines to the nearest centres)."""
    if not keys or not len(x):
        return ([None] * len(x), np.zeros(len(x))) if with_similarity else [None] * len(x)
    sims = x @ centre.T  # unit vectors: one matrix product gives every cosine
    best = sims.argmax(axis=1)
    top = sims[np.arange(len(x)), best]
    themes = [keys[j] if ok else None for j, ok in zip(best, top >= EXAMPLE_THRESHOLD)]
    return (themes, top) if with_similarity else themes


# -- a theme whose examples share a stance (all deny something, or all praise) --
# catches no sentence that contradicts it: examples "engineer did not come",
# "monteur kwam niet opdagen" catch "nobody turned up", not "engineer came on
# time". The rule of meaning search (text/stance.py), applied only downwards:
# a catch whose cosine, lowered by the disagreement (a contradiction lowers it
# by 1), falls under EXAMPLE_THRESHOLD is dropped; nothing is caught that
# nearest() did not catch.
# A theme whose examples differ in stance ("comfortable seat", "no legroom") is
# about its subject whatever is said of it, and is left as nearest() tags it.

def stances(themes: list[dict]) -> dict[str, stance.Stance]:
    """The stance the examples of each example-defined theme share, for the themes whose examples share one."""
    shared = {th["key"]: stance.common([stance.of(e, language.detect(e)) for e in th["examples"]])
              for th in themes if th.get("examples")}
    return {k: s for k, s in shared.items() if s != stance.NONE}


def agreeing(theme: list, similarity, sentences: list[str], languages: list[str],
             shared: dict[str, stance.Stance]) -> list:
    """nearest()'s themes (with_similarity) without the catches whose sentence
    (text and language, per row) contradicts its theme's shared stance."""
    return [t if t not in shared or sim + min(0.0, stance.adjustment(shared[t], stance.of(text, lang)))
            >= EXAMPLE_THRESHOLD else None
            for t, sim, text, lang in zip(theme, similarity, sentences, languages)]


class Taken(NamedTuple):
    """What sentence_themes() finds: per distinct sentence its key, text,
    vector, the theme that takes it by meaning (None) and how sure (cosine or
    probability); each learned theme's probability of every sentence."""

    keys: list[str]
    texts: list[str]
    x: np.ndarray
    theme: list
    sureness: np.ndarray
    probability: dict[str, np.ndarray]


def themes_of(con, themes: list[dict], texts: list[str], x: np.ndarray, keep: bool = False,
              dataset: str | None = None) -> tuple[list, np.ndarray, dict[str, np.ndarray]]:
    """The theme that takes each text (vectors `x`) by meaning: the nearest
    example-defined theme (nearest()) or, for the themes of `dataset` that
    learned from its marks (text/learned.py), the classifier's choice, which
    wins. Returns (theme or None per text, how sure: cosine or probability,
    each learned theme's probability of every text)."""
    keys, centre = centres(con, themes, keep)
    models = learned.models(con, dataset, themes, dict(zip(keys, centre)), keep) if dataset else {}
    plain = [i for i, k in enumerate(keys) if k not in models]
    theme, similarity = nearest(x, [keys[i] for i in plain], centre[plain], with_similarity=True)
    similarity = np.asarray(similarity, dtype=np.float32)
    theme = _agreeing_on(theme, similarity, texts, stances([th for th in themes if th["key"] not in models]))
    probability = {}
    if models:
        by = {th["key"]: th for th in themes}
        feats = learned.theme_features(con, [by[k] for k in models], dict(zip(keys, centre)), texts, x)
        probability = {k: m.probability(feats[k]) for k, m in models.items()}
        for i, k in enumerate(learned.decide(probability, len(x))):
            if k:
                theme[i], similarity[i] = k, probability[k][i]
    return theme, similarity, probability


def sentence_themes(con, themes: list[dict], comments_sql: str, params, keep: bool = False,
                    dataset: str | None = None) -> Taken:
    """themes_of() the distinct sentences of the comments `comments_sql`
    selects (a column comment_key)."""
    sentence_keys, x, texts = vectors.sentences_of(con, comments_sql, params, texts=True)
    return Taken(sentence_keys, texts, x, *themes_of(con, themes, texts, x, keep, dataset))


def by_meaning(con, themes: list[dict], dataset: str | None) -> bool:
    """Whether any theme takes sentences by meaning: it has examples, or (of `dataset`) marks."""
    return any(th.get("examples") for th in themes) or bool(
        dataset and con.execute("SELECT count(*) FROM theme_marks WHERE dataset = ?", [dataset]).fetchone()[0])


def example_hits(con, themes: list[dict], comments_sql: str, params, name: str, keep: bool = False,
                 dataset: str | None = None) -> frozenset[str] | None:
    """Register on `con`, as relation `name` (comment_key, themes, caught:
    [{theme, sentence}] most similar first), the comments that `comments_sql`
    selects with a sentence a theme takes by meaning (sentence_themes()).
    Returns the learned themes' keys; None, nothing registered, when no theme
    has examples or marks."""
    if not by_meaning(con, themes, dataset):
        return None
    sentence_keys, _, _, theme, similarity, probability = sentence_themes(con, themes, comments_sql, params, keep,
                                                                          dataset)
    hit = [i for i, t in enumerate(theme) if t]
    # typed, and materialised as Arrow: with no sentence taken (a theme that learned to catch
    # nothing) untyped empty columns became NULL and the editor's preview failed on `caught`
    con.register(f"{name}_sentences", pa.table({
        "sentence_key": pa.array([sentence_keys[i] for i in hit], type=pa.string()),
        "theme": pa.array([theme[i] for i in hit], type=pa.string()),
        "similarity": pa.array(similarity[hit], type=pa.float32())}))
    hits = con.sql(  # materialised: a registered query would be re-run per use
        f"""SELECT c.comment_key, list(DISTINCT h.theme) AS themes,
                   list({{'theme': h.theme, 'sentence': s.sentence}} ORDER BY h.similarity DESC) AS caught
            FROM comment_sentences c JOIN {name}_sentences h USING (sentence_key) JOIN sentences s USING (sentence_key)
            GROUP BY c.comment_key""").arrow()
    con.register(name, hits.read_all() if isinstance(hits, pa.RecordBatchReader) else hits)
    con.unregister(f"{name}_sentences")
    return frozenset(probability)


def _agreeing_on(theme: list, similarity, texts: list[str], shared: dict) -> list:
    """agreeing() over the texts a stance theme caught (only those are read for their language)."""
    check = [i for i, t in enumerate(theme) if t in shared]
    if not check:
        return theme
    sentences = [texts[i] for i in check]
    kept = agreeing([theme[i] for i in check], similarity[check], sentences,
                    [language.detect(t) for t in sentences], shared)
    out = list(theme)
    for i, t in zip(check, kept):
        out[i] = t
    return out


def key_for(term: str) -> str:
    """A theme key derived from a word or phrase ("levertijd" → "levertijd")."""
    key = re.sub(r"[^a-z0-9]+", "_", term.lower()).strip("_")
    return key if KEY.match(key) else f"theme_{key}"[:40].rstrip("_")


def pattern_for(term: str) -> str:
    """A pattern catching a term as its own word(s), with its letters taken literally."""
    return r"\b" + re.escape(term.lower()).replace(r"\ ", r"\s+") + r"\b"


def draft_for(terms: list[str], label: str | None = None, examples: list[str] | None = None) -> dict:
    """A new theme for the editor to preview and save: catching an emerging
    term (as a rule), or a discovered topic (its representative sentences as
    examples; no rule, the sentences carry the meaning in both languages)."""
    name = label or terms[0]
    if examples:
        return {"key": key_for(terms[0]), "nl": name, "en": name, "pattern": "", "examples": list(examples)}
    return {"key": key_for(terms[0]), "nl": name, "en": name, "pattern": "|".join(pattern_for(t) for t in terms)}


def clean_examples(examples) -> list[str]:
    """Example sentences as stored: trimmed, blank lines dropped, each once."""
    if isinstance(examples, str):
        examples = examples.splitlines()
    return list(dict.fromkeys(e.strip() for e in examples or () if str(e).strip()))


def validate(themes: list[dict]) -> list[dict]:
    """Clean and check themes: a key of lower-case letters, digits and _,
    unique; labels (missing ones become the key); a pattern DuckDB accepts
    that does not match an empty comment. Raises StoreError naming the theme."""
    clean, seen = [], set()
    con = duck.connect()
    try:
        for th in themes:
            key = str(th.get("key") or "").strip()
            if not KEY.match(key):
                raise StoreError(f"theme key {key!r}: use lower-case letters, digits and _ (at most 40)")
            if key in seen:
                raise StoreError(f"theme {key!r} appears twice")
            seen.add(key)
            pattern = str(th.get("pattern") or "").strip()
            examples = clean_examples(th.get("examples"))
            if not pattern and not examples:
                raise StoreError(f"theme {key!r} has no example sentences and no rule")
            if len(examples) > MAX_EXAMPLES:
                raise StoreError(f"theme {key!r}: at most {MAX_EXAMPLES} example sentences")
            for e in examples:
                if len(e) > MAX_EXAMPLE_CHARS or not words(e):
                    raise StoreError(f"theme {key!r}: the example {e[:40]!r} needs words, "
                                     f"at most {MAX_EXAMPLE_CHARS} characters")
            if pattern:
                try:
                    matches_empty = con.execute("SELECT regexp_matches('', ?)", [pattern]).fetchone()[0]
                except duckdb.Error as exc:
                    raise StoreError(f"theme {key!r}: the rule is not a valid pattern ({str(exc).splitlines()[0]})")
                if matches_empty:
                    raise StoreError(f"theme {key!r}: the rule matches every comment")
            clean.append({"key": key, "nl": str(th.get("nl") or key).strip(), "en": str(th.get("en") or key).strip(),
                          "pattern": pattern, **({"examples": examples} if examples else {})})
    finally:
        con.close()
    return clean


def dataset_comments(dataset_param: str = "?") -> str:
    """The enriched distinct comments of a dataset."""
    return (f"SELECT e.comment_key, e.comment, e.themes FROM enrichment e WHERE e.comment_key IN "
            f"(SELECT md5(comment) FROM (SELECT DISTINCT comment FROM responses "
            f"WHERE dataset = {dataset_param} AND comment IS NOT NULL))")


def untagged(con, dataset: str) -> int:
    """How many enriched comments of a dataset with its own taxonomy have no tags yet."""
    return con.execute(f"""SELECT count(*) FROM ({dataset_comments()}) c WHERE NOT EXISTS
                           (SELECT 1 FROM dataset_themes t WHERE t.dataset = ? AND t.comment_key = c.comment_key)""",
                       [dataset, dataset]).fetchone()[0]


def tag_dataset(con, dataset: str, themes: list[dict], only_new: bool = False, keep: bool = False) -> int:
    """(Re)write a dataset's tags in `dataset_themes`; with only_new, just the
    comments it has no tags for yet (after an import, once their sentences
    have vectors). `keep`: see centres(). Returns rows written."""
    if not only_new:
        con.execute("DELETE FROM dataset_themes WHERE dataset = ?", [dataset])
    learned_keys = example_hits(con, themes, dataset_comments(), [dataset], "example_hits", keep, dataset)
    hits = learned_keys is not None
    try:
        return con.execute(
            f"""INSERT INTO dataset_themes
                SELECT ?, c.comment_key, {themes_sql('c.comment', themes, 'h.themes' if hits else None,
                                                     learned_keys or frozenset())}
                FROM ({dataset_comments()}) c {'LEFT JOIN example_hits h USING (comment_key)' if hits else ''}
                WHERE NOT EXISTS (SELECT 1 FROM dataset_themes t WHERE t.dataset = ? AND t.comment_key = c.comment_key)""",
            [dataset, dataset, dataset],
        ).fetchone()[0]
    finally:
        if hits:
            con.unregister("example_hits")


@retrying
def save(store: Store, dataset: str, themes: list[dict]) -> dict:
    """Store a dataset's edited taxonomy and re-tag its comments."""
    clean = validate(themes)
    t0 = time.perf_counter()
    with store.write("edit_themes", dataset) as con:
        with store.transaction(con):
            version = con.execute("SELECT coalesce(max(version), 0) + 1 FROM taxonomies WHERE dataset = ?",
                                  [dataset]).fetchone()[0]
            con.execute("DELETE FROM taxonomies WHERE dataset = ?", [dataset])  # a replace (no key on DuckLake)
            con.execute("INSERT INTO taxonomies VALUES (?, ?, ?, current_timestamp)",
                        [dataset, json.dumps(clean, ensure_ascii=False), version])
            tagged = tag_dataset(con, dataset, clean, keep=True)
            audit.record(con, store, "edit_themes", dataset, {"version": version, "themes": [t["key"] for t in clean]})
    return {"dataset": dataset, "version": version, "themes": len(clean), "comments": tagged,
            "seconds": round(time.perf_counter() - t0, 3)}


@retrying
def reset(store: Store, dataset: str) -> None:
    """Back to the default taxonomy for a dataset."""
    with store.write("edit_themes", dataset) as con:
        with store.transaction(con):
            con.execute("DELETE FROM taxonomies WHERE dataset = ?", [dataset])
            con.execute("DELETE FROM dataset_themes WHERE dataset = ?", [dataset])
            audit.record(con, store, "reset_themes", dataset)


def preview(store: Store, dataset: str, theme: dict, replaces: str | None = None, k: int = 5) -> dict:
    """What a new or edited theme would catch among the dataset's distinct
    comments: how many, and examples of what it gains and loses against the
    current tags of `replaces` (the theme being edited), plus comments no
    theme catches yet, to find what the rule or the examples still miss;
    `why` gives, per shown comment the examples caught, the sentence that did.
    Examples compete with the other themes' examples as they will once saved."""
    (clean,) = validate([theme])
    with store.read() as con:
        current = for_dataset(con, dataset)
        edited = [th for th in current["themes"] if th["key"] not in (replaces, clean["key"])] + [clean]
        learned_keys = example_hits(con, edited, dataset_comments("$ds"), {"ds": dataset}, "preview_hits",
                                    dataset=dataset)
        hits = learned_keys is not None
        try:
            caught = ["regexp_matches(lower(c.comment), $pattern)"] if clean["pattern"] else []
            if hits and clean["key"] in learned_keys:  # it learned from marks: its classifier decides alone
                caught = []
            if hits:
                caught.append("coalesce(list_contains(h.themes, $key), false)")
            tags = ("coalesce((SELECT t.themes FROM dataset_themes t WHERE t.dataset = $ds "
                    "AND t.comment_key = c.comment_key), c.themes)") if current["custom"] else "c.themes"
            why = "list_filter(h.caught, x -> x.theme = $key)[1].sentence" if hits else "NULL"
            base = (f"SELECT c.comment, {' OR '.join(caught)} AS new, {why} AS why, "
                    f"list_contains({tags}, $old) AS old, len({tags}) = 0 AS untagged "
                    f"FROM ({dataset_comments('$ds')}) c "
                    f"{'LEFT JOIN preview_hits h USING (comment_key)' if hits else ''}")
            params = {name: value for name, value in  # DuckDB refuses unused named parameters
                      {"ds": dataset, "old": replaces or "", "key": clean["key"], "pattern": clean["pattern"]}.items()
                      if f"${name}" in base}
            counts = con.execute(
                f"SELECT count(*), count(*) FILTER (WHERE new), count(*) FILTER (WHERE old), "
                f"count(*) FILTER (WHERE new AND NOT old), count(*) FILTER (WHERE old AND NOT new) FROM ({base})",
                params).fetchone()

            why_of: dict[str, str] = {}

            def sample(condition: str) -> list[str]:
                rows = con.execute(
                    # a stable sample, sentences before one-word answers ("Goed", "nvt")
                    f"SELECT comment, why FROM ({base}) WHERE {condition} "
                    f"ORDER BY length(comment) >= 25 DESC, hash(comment) LIMIT {int(k)}",
                    params).fetchall()
                why_of.update((comment, why) for comment, why in rows if why)
                return [comment for comment, _ in rows]

            return {
                "comments": counts[0], "caught": counts[1], "before": counts[2],
                "gained": counts[3], "lost": counts[4],
                "caught_examples": sample("new"), "gained_examples": sample("new AND NOT old"),
                "lost_examples": sample("old AND NOT new"), "uncaught_examples": sample("untagged AND NOT new"),
                "why": why_of,  # a shown comment the examples caught: its sentence closest to them
            }
        finally:
            if hits:
                con.unregister("preview_hits")
