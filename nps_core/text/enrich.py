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

from nps_core.base.sql import insert_new_sql, quote_literal
from nps_core.db import comment_index
from nps_core.db.errors import retrying
from nps_core.db.store import Store
from nps_core.text import language, sentiment, taxonomy, vectors

BATCH = 20_000
ENRICHMENT_COLUMNS = ("comment_key", "comment", "language", "sentiment", "themes", "taxonomy_version",
                      "sentiment_version")


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
    """Analyse every comment not analysed yet, in steps that each find their
    own backlog, so a run cut off anywhere (a killed import, a stopped
    server) is completed by the next one: score new comments and those
    scored by an older sentiment model; re-tag comments tagged by an older
    default taxonomy; split comments into sentences with vectors; blend the
    vector score into the sentiment of those waiting for it; tag the new
    comments of datasets with their own taxonomy. Returns counts and seconds.
    Writes only when there is work."""
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
        rescored = [r[0] for r in con.execute(
            "SELECT comment FROM enrichment WHERE sentiment_version <> ?", [sentiment.MODEL_VERSION]).fetchall()]
        stale = _stale(con, default["version"])
        unindexed = comment_index.missing(con)
    todo = new + rescored
    frames = []
    for start in range(0, len(todo), BATCH):
        frames.append(score_comments(todo[start:start + BATCH]))
        report(min(0.6, (start + BATCH) / max(len(todo), 1) * 0.6), "scoring")
    if frames or stale or unindexed:
        with store.write() as con:
            with store.transaction(con):
                if frames:
                    _store_scores(con, pd.concat(frames, ignore_index=True), default)
                if stale:
                    _retag(con, default)
                comment_index.build_missing(con)
    represented = vectors.represent(store, lambda fraction, stage: report(0.6 + 0.35 * fraction, stage))
    report(0.95, "sentiment")
    blended = _blend_learned(store)
    # after represent(): a theme defined by examples needs the new sentences' vectors
    tagged = _tag_custom(store)
    store.let_go()  # its last look was a read: leave the file free for the next writer, often another process
    report(1.0, "done")
    return {"enriched": len(new), "rescored": len(rescored), "retagged": stale,
            "sentences": represented["sentences"], "blended": blended, "tagged": tagged,
            "seconds": round(time.perf_counter() - t0, 3)}


def _store_scores(con, scored: pd.DataFrame, default: dict) -> None:
    """New comments into `enrichment`, and comments scored by an older model
    scored anew. A score is final at once for English and for comments
    without an opinion (sentiment.text_score); the others wait, version
    NULL, for the vector half of the blend (_blend_learned)."""
    scored["final"] = [lg == "en" or sentiment.no_opinion(c) for c, lg in zip(scored["comment"], scored["language"])]
    con.register("scored", scored)

    def version(final: str) -> str:
        return f"CASE WHEN {final} THEN {quote_literal(sentiment.MODEL_VERSION)} END"

    con.execute(
        insert_new_sql(
            "enrichment", ENRICHMENT_COLUMNS,
            f"""SELECT md5(comment) AS comment_key, comment, language, sentiment,
                       {taxonomy.themes_sql('comment', default['themes'])} AS themes,
                       ? AS taxonomy_version, {version('final')} AS sentiment_version
                FROM scored""", ("comment_key",)),
        [default["version"]],
    )
    con.execute(f"""UPDATE enrichment e SET language = s.language, sentiment = s.sentiment,
                                            sentiment_version = {version('s.final')}
                    FROM scored s WHERE e.comment_key = md5(s.comment) AND e.sentiment_version <> ?""",
                [sentiment.MODEL_VERSION])
    con.unregister("scored")


@retrying
def _blend_learned(store: Store) -> int:
    """Blend the learned vector score (sentiment.model_sql, the mean over the
    comment's sentences) into the lexical sentiment of the comments waiting
    for it (sentiment_version NULL) whose sentence vectors exist, and mark
    them current: in one transaction, so a score is never blended twice. A
    comment without a word keeps its lexical score. Returns how many."""
    with store.read() as con:
        waiting = con.execute(
            """SELECT count(*) FROM enrichment e WHERE e.sentiment_version IS NULL
               AND EXISTS (SELECT 1 FROM comment_sentences c WHERE c.comment_key = e.comment_key)""").fetchone()[0]
    if not waiting:
        return 0
    learned, params = sentiment.model_sql("s.vec")
    with store.write() as con, store.transaction(con):
        con.execute("""CREATE TEMP TABLE waiting AS SELECT comment_key FROM enrichment e
                       WHERE e.sentiment_version IS NULL
                         AND EXISTS (SELECT 1 FROM comment_sentences c WHERE c.comment_key = e.comment_key)""")
        con.execute(
            f"""UPDATE enrichment e SET sentiment = {sentiment.blend_sql('e.sentiment', 'm.learned')}
                FROM (SELECT cs.comment_key, avg({learned}) AS learned
                      FROM comment_sentences cs JOIN sentences s USING (sentence_key)
                      WHERE cs.comment_key IN (SELECT comment_key FROM waiting)
                      GROUP BY cs.comment_key) m
                WHERE e.comment_key = m.comment_key""", params)
        con.execute("UPDATE enrichment SET sentiment_version = ? WHERE comment_key IN (SELECT comment_key FROM waiting)",
                    [sentiment.MODEL_VERSION])
        con.execute("DROP TABLE waiting")
    return waiting


def _tag_custom(store: Store) -> int:
    """Tag the comments of datasets with their own taxonomy that have none yet."""
    with store.read() as con:
        untagged = [d for d in (r[0] for r in con.execute("SELECT dataset FROM taxonomies").fetchall())
                    if taxonomy.untagged(con, d)]
    if not untagged:
        return 0
    with store.write() as con, store.transaction(con):
        return sum(taxonomy.tag_dataset(con, d, taxonomy.for_dataset(con, d)["themes"], only_new=True)
                   for d in untagged)


PENDING_SQL = """
    SELECT (SELECT count(*) FROM (SELECT DISTINCT comment_key FROM comment_texts) t
            WHERE NOT EXISTS (SELECT 1 FROM enrichment e WHERE e.comment_key = t.comment_key))
         + (SELECT count(*) FROM enrichment e
            WHERE e.sentiment_version IS DISTINCT FROM ?
               OR NOT EXISTS (SELECT 1 FROM comment_sentences c WHERE c.comment_key = e.comment_key))"""


def pending(store: Store) -> int:
    """Distinct comments enrich() would still analyse: never analysed, scored
    by an older sentiment model, or not split into sentences yet (what a run
    cut off leaves). Read from the Verbatims index's distinct texts."""
    if not store.exists():
        return 0
    store.ensure_schema()
    with store.read() as con:
        return con.execute(PENDING_SQL, [sentiment.MODEL_VERSION]).fetchone()[0]


def _stale(con, version: int) -> int:
    """How many comments an older default taxonomy tagged."""
    return con.execute("SELECT count(*) FROM enrichment WHERE taxonomy_version <> ?", [version]).fetchone()[0]


def upgrade(store: Store) -> int:
    """Bring an existing database up to the current schema and default
    taxonomy (on start-up); writes only when something is out of date. What
    is left to analyse (comments without sentence vectors, sentiment of an
    older model, an import cut off) is pending(): the dashboard analyses it
    in the background (ui/analysis.py), the next import or `enrich` too."""
    store.ensure_schema()
    default = taxonomy.default()
    with store.read() as con:
        stale = _stale(con, default["version"])
    if stale:
        with store.write() as con:
            with store.transaction(con):
                _retag(con, default)
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


