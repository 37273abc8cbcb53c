"""Semantic search: the comments that say what a text says, in Dutch or
English, whatever their words ("lang wachten aan de telefoon" finds "I was
on hold for 40 minutes"). A comment scores by its sentence closest in
meaning to the query (cosine similarity of the stored sentence vectors)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query, selection
from nps_core.db.store import Store
from nps_core.text import vectors


def search(store: Store, filters: Filters, text: str, limit: int = 20, q: Query = Query()) -> pd.DataFrame:
    """The `limit` comments closest in meaning to `text`, closest first,
    among those the filters and the Verbatims query `q` (categories, score
    range; its word search is ignored) select. Columns: response_id,
    responded_at, score, nps_type, comment, sentence (the closest sentence),
    similarity (-1 … 1)."""
    query = vectors.embed(store, [text])[0]
    if not query.any():
        raise ValueError("nothing to search for: the text has no words")
    with store.read() as con:
        where, params = selection(con, filters, replace(q, search=""))
        return con.execute(
            f"""WITH r AS (SELECT response_id, responded_at, score, nps_type, comment, md5(comment) AS comment_key
                           FROM responses WHERE {where}),
                     near AS (
                        SELECT s.sentence_key, s.sentence, list_cosine_similarity(s.vec, ?::FLOAT[]) AS similarity
                        FROM sentences s
                        WHERE s.sentence_key IN (SELECT c.sentence_key FROM comment_sentences c
                                                 JOIN (SELECT DISTINCT comment_key FROM r) USING (comment_key)))
                SELECT r.response_id, r.responded_at, r.score, r.nps_type, r.comment,
                       arg_max(near.sentence, near.similarity) AS sentence, max(near.similarity) AS similarity
                FROM r JOIN comment_sentences c USING (comment_key) JOIN near USING (sentence_key)
                GROUP BY ALL ORDER BY similarity DESC, r.responded_at DESC, r.response_id LIMIT ?""",
            [*params, query.tolist(), int(limit)],
        ).df()
