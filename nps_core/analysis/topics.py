"""Emerging topics: words and two-word phrases whose share of comments rose
significantly in the selected period against the baseline before it,
including ones no theme catches yet."""

from __future__ import annotations

import re

import pandas as pd

from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.base.metrics import Z95
from nps_core.db.store import Store
from nps_core.text import taxonomy, vectors
from nps_core.text.language import EN, NL

BASELINE_FACTOR = 3  # the baseline is three times as long as the selected period
MIN_COUNT = 10  # fewer mentions than this are noise, however new the word
# function words of both languages: they rise and fall with volume, not with a topic
EXTRA_STOPWORDS = set("""
het zijn heb was mijn niet wel ook dan nog al zonder kunt kun wordt waren hadden had jullie jouw uw ons onze
hun hen waar wie welke toch dus alleen hoe zelf iemand iedereen elke ieder beetje keer nou hoor even
being been were which who whom their them there than then your our also only even after before over still
like into could should those these such while where why how any each every other another much many
""".split())
STOPWORDS = sorted(NL | EN | EXTRA_STOPWORDS)


def _terms_sql(where: str) -> str:
    """One row per (comment, distinct term): words of 3+ letters and two-word phrases."""
    return f"""
        WITH words AS (
            SELECT row_number() OVER () AS doc, responded_at,
                   list_filter(regexp_split_to_array(lower(comment), '[^a-zà-ÿ]+'),
                               w -> length(w) >= 3) AS w
            FROM responses WHERE {where} AND comment IS NOT NULL),
        unigrams AS (SELECT doc, responded_at, unnest(w) AS term FROM words),
        bigrams AS (
            SELECT doc, responded_at, w[i] || ' ' || w[i + 1] AS term
            FROM words, range(1, len(w)) r(i)
            WHERE NOT list_contains($stop, w[i]) AND NOT list_contains($stop, w[i + 1]))
        SELECT DISTINCT doc, responded_at, term FROM (
            SELECT * FROM unigrams WHERE NOT list_contains($stop, term)
            UNION ALL SELECT * FROM bigrams)
    """


def emerging(store: Store, filters: Filters, limit: int = 30, min_count: int = MIN_COUNT) -> pd.DataFrame:
    """Terms whose share of comments in the selected period is significantly
    above their share in the baseline (two-proportion z-test, 95 %).

    Columns: term, count, share, baseline_share, lift, z, uncaught (no theme
    pattern matches the term, nor do a theme's examples catch it)."""
    if filters.date_from is None or filters.date_to is None:
        raise ValueError("emerging topics need a period (--from and --to)")
    length = (filters.date_to - filters.date_from).days + 1
    base_from = filters.date_from - pd.Timedelta(days=length * BASELINE_FACTOR)
    span = filters.with_dates(base_from, filters.date_to)
    with store.read() as con:
        sc = scope(con, span)
        where, params = sc.where(span)
        themes = taxonomy.for_dataset(con, sc.dataset)["themes"]
        cutoff = pd.Timestamp(filters.date_from)
        # the filter's positional parameters, renamed so the queries can reuse
        # them next to named ones (DuckDB does not mix the two styles)
        named = {f"p{i}": v for i, v in enumerate(params)}
        where_named = where
        for i in range(len(params)):
            where_named = where_named.replace("?", f"$p{i}", 1)
        docs = con.execute(
            f"SELECT count(*) FILTER (WHERE responded_at >= $cut), count(*) FILTER (WHERE responded_at < $cut) "
            f"FROM responses WHERE {where_named} AND comment IS NOT NULL",
            {**named, "cut": cutoff},
        ).fetchone()
        df = con.execute(
            f"""SELECT term, count(*) FILTER (WHERE responded_at >= $cut) AS count,
                       count(*) FILTER (WHERE responded_at < $cut) AS base_count
                FROM ({_terms_sql(where_named)}) GROUP BY term
                HAVING count(*) FILTER (WHERE responded_at >= $cut) >= $min""",
            {**named, "cut": cutoff, "stop": STOPWORDS, "min": min_count},
        ).df()
        # a term the examples of a theme catch (as they would a sentence of that term alone)
        keys, centre = taxonomy.centres(con, themes)
        near = dict(zip(df["term"], taxonomy.nearest(vectors.embed_on(con, list(df["term"])), keys, centre))) \
            if keys else {}
    n_cur, n_base = docs
    if df.empty or not n_cur or not n_base:
        return pd.DataFrame(columns=["term", "count", "share", "baseline_share", "lift", "z", "uncaught"])
    df["share"] = df["count"] / n_cur
    df["baseline_share"] = df["base_count"] / n_base
    pooled = (df["count"] + df["base_count"]) / (n_cur + n_base)
    se = (pooled * (1 - pooled) * (1 / n_cur + 1 / n_base)) ** 0.5
    df["z"] = (df["share"] - df["baseline_share"]) / se
    # a term never seen before gets the lift of one mention in the baseline
    df["lift"] = df["share"] / df["baseline_share"].clip(lower=1 / n_base)
    rising = df[df["z"] > Z95].sort_values(["z", "count", "term"], ascending=[False, False, True]).head(limit)
    compiled = [re.compile(th["pattern"]) for th in themes if th.get("pattern")]
    rising["uncaught"] = [not any(c.search(term) for c in compiled) and near.get(term) is None
                          for term in rising["term"]]
    return rising[["term", "count", "share", "baseline_share", "lift", "z", "uncaught"]].reset_index(drop=True)
