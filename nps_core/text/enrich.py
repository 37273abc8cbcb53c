"""Language, sentiment, themes and sentence vectors, computed once per
distinct comment (vectors and the clauses' sentiment: once per distinct
sentence) and stored.

New comments are read with a read-only connection, scored in Python (the
language models are Python), and written in one short transaction; themes
are tagged in SQL with the taxonomy's regular expressions, so re-tagging
after a taxonomy change is one UPDATE (a dataset's themes defined by example
sentences add one matrix product over its stored sentence vectors).
"""


from __future__ import annotations

import time
from typing import Callable

import pandas as pd
import pyarrow as pa

from nps_core.db import comment_index
from nps_core.db.sql import insert_new_sql
from nps_core.db.store import Store, retrying
from nps_core.text import language, sentiment, taxonomy, vectors

BATCH = 20_000
ENRICHMENT_COLUMNS = ("comment_key", "comment", "language", "sentiment", "themes", "taxonomy_version")


def score_comments(comments: list[str]) -> pd.DataFrame:
    """Language and sentiment of each comment (the Python part, sentiment.text_score;
    the vector half of the sentiment is blended in once the sentence vectors exist)."""
    langs = [language.detect(c) for c in comments]
    return pd.DataFrame({
        "comment": comments,
        "language": langs,
        "sentiment": [sentiment.text_score(c, lg) for c, lg in zip(comments, langs)],
    })


@retrying
def enrich(store: Store, progress: Callable[[float, str], None] | None = None) -> dict:
    """Enrich every comment not enriched yet, tag it for the datasets with
    their own taxonomy, and re-tag comments tagged by an older default
    taxonomy; returns counts and seconds. Writes only when there is work."""
    report = progress or (lambda fraction, stage: None)
    t0 = time.perf_counter()
    default = taxonomy.default()
    store.ensure_schema()  # a store made by an older version gains the Verbatims index's tables
    with store.read() as con:
        new = [r[0] for r in con.execute(
            # distinct texts first: hashing every response's comment took seconds at ten million
            """SELECT comment FROM (SELECT DISTINCT comment FROM responses WHERE comment IS NOT NULL) r
               WHERE NOT EXISTS (SELECT 1 FROM enrichment e WHERE e.comment_key = md5(r.comment))"""
        ).fetchall()]
        stale = _stale(con, default["version"])
        custom = [r[0] for r in con.execute("SELECT dataset FROM taxonomies").fetchall()]
        unindexed = comment_index.missing(con)
    frames = []
    for start in range(0, len(new), BATCH):
        frames.append(score_comments(new[start:start + BATCH]))
        report(min(0.6, (start + BATCH) / max(len(new), 1) * 0.6), "scoring")
    if frames or stale or unindexed:
        with store.write() as con:
            with store.transaction(con):
                if frames:
                    con.register("scored", pd.concat(frames, ignore_index=True))
                    con.execute(
                        insert_new_sql(
                            "enrichment", ENRICHMENT_COLUMNS,
                            f"""SELECT md5(comment) AS comment_key, comment, language, sentiment,
                                       {taxonomy.themes_sql('comment', default['themes'])} AS themes,
                                       ? AS taxonomy_version
                                FROM scored""", ("comment_key",)),
                        [default["version"]],
                    )
                if stale:
                    _retag(con, default)
                comment_index.build_missing(con)
    represented = vectors.represent(store, lambda fraction, stage: report(0.6 + 0.35 * fraction, stage))
    if new:
        report(0.95, "sentiment")
        _blend_learned(store, new)
    if (frames or stale) and custom:
        # after represent(): a theme defined by examples needs the new sentences' vectors
        with store.write() as con:
            with store.transaction(con):
                for dataset in custom:
                    taxonomy.tag_dataset(con, dataset, taxonomy.for_dataset(con, dataset)["themes"], only_new=True)
    report(1.0, "done")
    return {"enriched": len(new), "retagged": stale, "sentences": represented["sentences"],
            "seconds": round(time.perf_counter() - t0, 3)}


@retrying
def _blend_learned(store: Store, comments: list[str]) -> None:
    """Blend the learned vector score (sentiment.model_sql, the mean over the
    comment's sentences) into the lexical sentiment of newly enriched
    comments not in English (an English comment's score is final:
    sentiment.text_score), now that their sentence vectors exist. A comment
    without a word or without an opinion ("No comment") keeps its lexical score."""
    comments = [c for c in comments if not sentiment.no_opinion(c)]
    learned, params = sentiment.model_sql("s.vec")
    with store.write() as con, store.transaction(con):
        con.register("fresh", pa.table({"comment": comments}))
        con.execute(
            f"""UPDATE enrichment e SET sentiment = {sentiment.blend_sql('e.sentiment', 'm.learned')}
                FROM (SELECT cs.comment_key, avg({learned}) AS learned
                      FROM comment_sentences cs JOIN sentences s USING (sentence_key)
                      WHERE cs.comment_key IN (SELECT md5(comment) FROM fresh)
                      GROUP BY cs.comment_key) m
                WHERE e.comment_key = m.comment_key AND e.language <> 'en'""", params)
        con.unregister("fresh")


def _stale(con, version: int) -> int:
    """How many comments an older default taxonomy tagged."""
    return con.execute("SELECT count(*) FROM enrichment WHERE taxonomy_version <> ?", [version]).fetchone()[0]


def upgrade(store: Store) -> int:
    """Bring an existing database up to the current schema and default
    taxonomy (on start-up), and give the comments of a database made before
    sentence vectors existed theirs (once); writes only when something is
    out of date."""
    store.ensure_schema()
    default = taxonomy.default()
    with store.read() as con:
        stale = _stale(con, default["version"])
    if stale:
        with store.write() as con:
            with store.transaction(con):
                _retag(con, default)
    vectors.represent(store)
    return stale


def _retag(con, default: dict) -> None:
    con.execute(f"UPDATE enrichment SET themes = {taxonomy.themes_sql('comment', default['themes'])}, "
                "taxonomy_version = ?", [default["version"]])


def retag(store: Store) -> int:
    """Re-tag every stored comment with the current default taxonomy, and
    every dataset with its own taxonomy."""
    with store.write() as con:
        with store.transaction(con):
            _retag(con, taxonomy.default())
            for (dataset,) in con.execute("SELECT dataset FROM taxonomies").fetchall():
                taxonomy.tag_dataset(con, dataset, taxonomy.for_dataset(con, dataset)["themes"])
        return con.execute("SELECT count(*) FROM enrichment").fetchone()[0]


