"""Semantic search: the comments that say what a text says, in Dutch or
English, whatever their words ("lang wachten aan de telefoon" finds "I was
on hold for 40 minutes"), and not the opposite ("engineer did not turn up"
does not find "Engineer turned up").

Two steps. The RERANK sentences closest to the query by the cosine of their
stored vectors are read from the store (nearest()); each gets the cosine
corrected by how far its stance agrees with the query's (text/stance.py:
denial and tone, which the vectors cannot see). A comment then scores by its
best sentence. Why not a model that reads negation: see docs/how-it-is-built.md,
"Search by meaning".
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pyarrow as pa

from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query, selection
from nps_core.db.store import Store
from nps_core.text import language, stance, vectors

# Sentences reranked: the nearest 100 by cosine held the relevant ones of the tuning
# queries that reranking can reach (tests/support/search_eval.py); more costs time, not precision.
RERANK = 100
# What a hit carries for its result card (besides the comment, its sentence and scores)
CONTEXT = ("responded_at", "score", "nps_type", "touchpoint", "product")


def _selected(con, filters: Filters, q: Query) -> tuple[str, list]:
    where, params = selection(con, filters, replace(q, search=""))  # the word search is not this search
    columns = ", ".join(("response_id", *CONTEXT, "comment", "md5(comment) AS comment_key"))
    return f"SELECT {columns} FROM responses WHERE {where}", params


def nearest(store: Store, filters: Filters, text: str, q: Query = Query(), k: int = RERANK) -> pd.DataFrame:
    """The `k` distinct sentences of the selected comments closest to `text`
    by cosine, closest first: sentence_key, sentence, cosine, and the language
    of a comment that holds it (for its tone)."""
    query = vectors.embed(store, [text])[0]
    if not query.any():
        raise ValueError("nothing to search for: the text has no words")
    with store.read() as con:
        selected, params = _selected(con, filters, q)
        return con.execute(
            f"""WITH near AS (
                    -- stored vectors and the query's have length 1: their dot product is the cosine, and cheaper
                    SELECT s.sentence_key, s.sentence, list_dot_product(s.vec, ?::FLOAT[]) AS cosine
                    FROM sentences s
                    WHERE s.sentence_key IN (SELECT c.sentence_key FROM comment_sentences c
                                             WHERE c.comment_key IN (SELECT comment_key FROM ({selected})))
                    ORDER BY cosine DESC, s.sentence_key LIMIT ?)
                SELECT near.*, {vectors.language_sql('near.sentence_key')} AS language
                FROM near ORDER BY cosine DESC, sentence_key""",
            [query.tolist(), *params, int(k)],
        ).df()


def rerank(text: str, near: pd.DataFrame) -> pd.DataFrame:
    """`near` with `similarity`: the cosine corrected by the agreement of each
    sentence's stance with the query's (stance.adjustment)."""
    asked = stance.of(text, language.detect(text))
    adjusted = [cos + stance.adjustment(asked, stance.of(sentence, lang or "other"))
                for sentence, lang, cos in zip(near["sentence"], near["language"], near["cosine"])]
    return near.assign(similarity=adjusted)

def search(store: Store, filters: Filters, text: str, limit: int = 20, q: Query = Query()) -> pd.DataFrame:
    """The `limit` comments closest in meaning to `text`, closest first,
    among those the filters and the Verbatims query `q` (categories, score
    range; its word search is ignored) select. One row per comment, for its
    result card: response_id, responded_at, score, nps_type, touchpoint,
    product, comment; sentence (the comment's sentence that matched best),
    start and end (where that sentence is in the comment, to highlight it;
    -1 when it cannot be found); similarity (-1 … 1, what the order follows:
    the cosine corrected for denial and tone) and cosine (the vectors' own)."""
    scored = rerank(text, nearest(store, filters, text, q))
    with store.read() as con:
        selected, params = _selected(con, filters, q)
        con.register("scored_sentences", pa.Table.from_pandas(
            scored[["sentence_key", "sentence", "similarity", "cosine"]], preserve_index=False))
        try:
            hits = con.execute(
                f"""SELECT r.response_id, {', '.join(f'r.{c}' for c in CONTEXT)}, r.comment,
                           arg_max(h.sentence, h.similarity) AS sentence, arg_max(h.cosine, h.similarity) AS cosine,
                           max(h.similarity) AS similarity
                    FROM ({selected}) r JOIN comment_sentences c USING (comment_key)
                         JOIN scored_sentences h USING (sentence_key)
                    GROUP BY ALL ORDER BY similarity DESC, r.responded_at DESC, r.response_id LIMIT ?""",
                [*params, int(limit)]).df()
        finally:
            con.unregister("scored_sentences")
    spans = [vectors.span(c, s) or (-1, -1) for c, s in zip(hits["comment"], hits["sentence"])]
    return hits.assign(start=[a for a, _ in spans], end=[b for _, b in spans],
                       similarity=hits["similarity"].clip(-1.0, 1.0))
