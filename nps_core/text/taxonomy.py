"""The theme taxonomy: the default one in data/themes.json, and the edited
copy a dataset may have instead.

A theme is {"key", "nl", "en", "pattern"}; the pattern is a regular
expression (DuckDB's RE2 dialect) matched against the lower-cased comment.
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

import duckdb

from nps_core import DATA_DIR, audit
from nps_core.db import duck
from nps_core.db.sql import quote_literal
from nps_core.db.store import Store, StoreError, retrying

DEFAULT_FILE = DATA_DIR / "themes.json"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


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


def themes_sql(expr: str, themes: list[dict]) -> str:
    """SQL list of the keys of the `themes` whose pattern matches the text `expr`."""
    if not themes:
        return "[]::VARCHAR[]"
    cases = ", ".join(
        f"CASE WHEN regexp_matches(lower({expr}), {quote_literal(th['pattern'])}) THEN {quote_literal(th['key'])} END"
        for th in themes
    )
    return f"list_filter([{cases}], x -> x IS NOT NULL)"


def key_for(term: str) -> str:
    """A theme key derived from a word or phrase ("levertijd" → "levertijd")."""
    key = re.sub(r"[^a-z0-9]+", "_", term.lower()).strip("_")
    return key if KEY.match(key) else f"theme_{key}"[:40].rstrip("_")


def pattern_for(term: str) -> str:
    """A pattern catching a term as its own word(s), with its letters taken literally."""
    return r"\b" + re.escape(term.lower()).replace(r"\ ", r"\s+") + r"\b"


def draft_for(terms: list[str], label: str | None = None) -> dict:
    """A new theme catching any of these words or phrases, for the editor to
    preview and save (an emerging term, or a discovered topic's label terms)."""
    name = label or terms[0]
    return {"key": key_for(terms[0]), "nl": name, "en": name, "pattern": "|".join(pattern_for(t) for t in terms)}


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
            if not pattern:
                raise StoreError(f"theme {key!r} has no rule")
            try:
                matches_empty = con.execute("SELECT regexp_matches('', ?)", [pattern]).fetchone()[0]
            except duckdb.Error as exc:
                raise StoreError(f"theme {key!r}: the rule is not a valid pattern ({str(exc).splitlines()[0]})")
            if matches_empty:
                raise StoreError(f"theme {key!r}: the rule matches every comment")
            clean.append({"key": key, "nl": str(th.get("nl") or key).strip(), "en": str(th.get("en") or key).strip(),
                          "pattern": pattern})
    finally:
        con.close()
    return clean


def _dataset_comments(dataset_param: str = "?") -> str:
    """The enriched distinct comments of a dataset."""
    return (f"SELECT e.comment_key, e.comment, e.themes FROM enrichment e WHERE e.comment_key IN "
            f"(SELECT md5(comment) FROM (SELECT DISTINCT comment FROM responses "
            f"WHERE dataset = {dataset_param} AND comment IS NOT NULL))")


def tag_dataset(con, dataset: str, themes: list[dict], only_new: bool = False) -> int:
    """(Re)write a dataset's tags in `dataset_themes`; with only_new, just the
    comments it has no tags for yet (after an import). Returns rows written."""
    if not only_new:
        con.execute("DELETE FROM dataset_themes WHERE dataset = ?", [dataset])
    return con.execute(
        f"""INSERT INTO dataset_themes
            SELECT ?, c.comment_key, {themes_sql('c.comment', themes)} FROM ({_dataset_comments()}) c
            WHERE NOT EXISTS (SELECT 1 FROM dataset_themes t WHERE t.dataset = ? AND t.comment_key = c.comment_key)""",
        [dataset, dataset, dataset],
    ).fetchone()[0]


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
            tagged = tag_dataset(con, dataset, clean)
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
    theme catches yet, to find what the rule still misses."""
    (clean,) = validate([theme])
    with store.read() as con:
        current = for_dataset(con, dataset)
        tags = ("coalesce((SELECT t.themes FROM dataset_themes t WHERE t.dataset = $ds "
                "AND t.comment_key = c.comment_key), c.themes)") if current["custom"] else "c.themes"
        base = (f"SELECT c.comment, regexp_matches(lower(c.comment), $pattern) AS new, "
                f"list_contains({tags}, $old) AS old, len({tags}) = 0 AS untagged "
                f"FROM ({_dataset_comments('$ds')}) c")
        params = {"ds": dataset, "pattern": clean["pattern"], "old": replaces or ""}
        counts = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE new), count(*) FILTER (WHERE old), "
            f"count(*) FILTER (WHERE new AND NOT old), count(*) FILTER (WHERE old AND NOT new) FROM ({base})",
            params).fetchone()

        def sample(condition: str) -> list[str]:
            return [r[0] for r in con.execute(
                # a stable sample, sentences before one-word answers ("Goed", "nvt")
                f"SELECT comment FROM ({base}) WHERE {condition} "
                f"ORDER BY length(comment) >= 25 DESC, hash(comment) LIMIT {int(k)}",
                params).fetchall()]

        return {
            "comments": counts[0], "caught": counts[1], "before": counts[2],
            "gained": counts[3], "lost": counts[4],
            "caught_examples": sample("new"), "gained_examples": sample("new AND NOT old"),
            "lost_examples": sample("old AND NOT new"), "uncaught_examples": sample("untagged AND NOT new"),
        }
