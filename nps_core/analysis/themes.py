"""What customers talk about, and what it costs in NPS.

A theme's impact is the company's NPS minus the NPS it would have without
the responses that mention the theme: negative when the theme drags NPS
down, positive when it lifts it; `mentions` is the count behind it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from nps_core.analysis import effort, periods
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql as _enriched
from nps_core.analysis.scope import group_column, scope
from nps_core.base.metrics import (
    CATEGORY_SQL,
    COUNTS_SQL,
    add_stats,
    detractor_sql,
    promoter_sql,
)
from nps_core.db.store import Store
from nps_core.text import taxonomy


@dataclass(frozen=True)
class ThemeCounts:
    """What a theme table is computed from: the scope's counts and, per theme
    mentioned, the counts of the responses mentioning it."""

    n: int  # responses in scope, with or without a comment
    promoters: int
    detractors: int
    commented: int  # responses with a comment: the base of a theme's share
    per: pd.DataFrame  # theme, n, promoters, passives, detractors, sentiment
    taxonomy: dict


def theme_counts(store: Store, filters: Filters) -> ThemeCounts:
    """The counts behind theme_table(), and behind comparing two periods (theme_moves.py)."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        base = (
            "SELECT x.score, x.themes, x.sentiment, x.comment IS NOT NULL AS commented "
            f"FROM {_enriched(where, 'LEFT')}"
        )
        tax = taxonomy.for_dataset(con, sc.dataset)
        n, p, _, d, commented = con.execute(
            f"SELECT {COUNTS_SQL}, count(*) FILTER (WHERE commented) FROM ({base})", params
        ).fetchone()
        per = con.execute(
            f"""SELECT theme, {COUNTS_SQL}, avg(sentiment) AS sentiment
                FROM (SELECT score, sentiment, unnest(themes) AS theme FROM ({base}))
                GROUP BY theme""",
            params,
        ).df()
    return ThemeCounts(n, p, d, commented, per, tax)


def theme_table(store: Store, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """One row per theme: mentions, share of commented responses, NPS of the
    responses mentioning it, NPS without them, impact and mean sentiment;
    most harmful first."""
    counts = theme_counts(store, filters)
    per, n, commented = counts.per, counts.n, counts.commented
    if per.empty or not n:
        return pd.DataFrame(columns=["theme", "label", "mentions", "share", "nps", "nps_without", "impact",
                                     "sentiment"])
    per = add_impact(add_stats(per), n, counts.promoters, counts.detractors)
    per["mentions"] = per["n"]
    per["share"] = per["n"] / commented if commented else None
    per["label"] = [taxonomy.label(counts.taxonomy, k, lang) for k in per["theme"]]
    cols = ["theme", "label", "mentions", "share", "nps", "nps_without", "impact", "sentiment", "moe", "small"]
    return per[cols].sort_values(["impact", "mentions"], ascending=[True, False]).reset_index(drop=True)


def add_impact(per: pd.DataFrame, n: int, p: int, d: int) -> pd.DataFrame:
    """Add nps_without and impact to per-group counts (n, promoters,
    detractors) of groups that may overlap, given the whole scope's counts:
    impact = NPS of everyone - NPS without the group's responses."""
    rest_n = n - per["n"]
    per["nps_without"] = 100.0 * ((p - per["promoters"]) - (d - per["detractors"])) / rest_n.where(rest_n > 0)
    per["impact"] = 100.0 * (p - d) / n - per["nps_without"]
    return per


def uncaught_share(store: Store, filters: Filters) -> float | None:
    """Share of the commented responses that no theme catches."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        commented, uncaught = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE x.themes IS NULL OR len(x.themes) = 0)
                FROM {_enriched(where, 'LEFT')} WHERE x.comment IS NOT NULL""",
            params,
        ).fetchone()
    return uncaught / commented if commented else None


def representative_verbatims(store: Store, filters: Filters, theme: str, k: int = 3) -> pd.DataFrame:
    """k detractor comments about `theme` that say what most say: sentiment
    nearest the theme's median among detractors, one per touchpoint or
    product where possible, newest first among equals. `focus` is each
    one's sentence about the theme (focus_sentences), the quote to show."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        df = con.execute(
            f"""WITH m AS (
                    SELECT x.responded_at, x.score, x.comment, x.sentiment, x.nps_type,
                           coalesce(x.touchpoint, x.product) AS context
                    FROM {_enriched(where)}
                    WHERE {detractor_sql("x.score")} AND list_contains(x.themes, ?)),
                typical AS (
                    SELECT *, abs(sentiment - (SELECT median(sentiment) FROM m)) AS distance FROM m
                    QUALIFY row_number() OVER (PARTITION BY comment ORDER BY responded_at DESC) = 1)
                SELECT responded_at, score, comment, nps_type, context FROM typical
                ORDER BY row_number() OVER (PARTITION BY context ORDER BY distance, responded_at DESC),
                         distance, responded_at DESC
                LIMIT ?""",
            [*params, theme, k],
        ).df()
        defined = next((th for th in taxonomy.for_dataset(con, sc.dataset)["themes"] if th["key"] == theme), None)
        df["focus"] = focus_sentences(con, df["comment"].tolist(), defined)
    return df


def focus_sentences(con, comments: list[str], theme: dict | None) -> list[str | None]:
    """Per comment, its sentence about `theme`: the first one the theme's rule
    matches, else the one nearest its example sentences; None when neither
    finds one (or the comment's sentences are not stored: a live source).
    A card quotes that sentence, not the start of a long review."""
    if not theme or not comments or not (theme.get("pattern") or theme.get("examples")):
        return [None] * len(comments)
    keys = [hashlib.md5(c.encode("utf-8")).hexdigest() for c in comments]  # = DuckDB's md5(comment)
    pattern = theme.get("pattern") or None
    centre = taxonomy.centres(con, [theme])[1][0].tolist() if theme.get("examples") else None
    con.register("quoted", pa.table({"comment_key": keys}))
    try:
        # as semantic search picks a comment's closest sentence (analysis/search.py)
        found = dict(con.execute(
            """SELECT cs.comment_key,
                      coalesce(arg_min(s.sentence, cs.position) FILTER (WHERE regexp_matches(lower(s.sentence), ?)),
                               arg_max(s.sentence, list_cosine_similarity(s.vec, ?::FLOAT[])))
               FROM comment_sentences cs JOIN sentences s USING (sentence_key)
               WHERE cs.comment_key IN (SELECT comment_key FROM quoted)
               GROUP BY cs.comment_key""", [pattern, centre]).fetchall())
    finally:
        con.unregister("quoted")
    return [found.get(key) for key in keys]


def action_points(store: Store, filters: Filters, table: pd.DataFrame, k: int = 3) -> list[dict]:
    """The k harmful themes of a theme_table() that win back the most NPS per
    day of effort (effort.with_effort: the team's estimates, medium where
    none), each with its effort, NPS trend (at the `grain` trend_window chose)
    and representative detractor verbatims."""
    harmful = effort.with_effort(table, effort.efforts(store, filters.dataset)).head(k)
    window, grain = trend_window(filters, 6)
    points = []
    for row in harmful.itertuples():
        points.append({
            "theme": row.theme, "label": row.label, "impact": row.impact, "mentions": int(row.mentions),
            "nps": row.nps, "effort_level": row.level, "effort_days": row.days, "estimated": bool(row.estimated),
            "quadrant": row.quadrant,
            "trend": theme_trend(store, window, row.theme, grain), "grain": grain,
            "verbatims": representative_verbatims(store, filters, row.theme),
        })
    return points


def trend_window(filters: Filters, months: int) -> tuple[Filters, str]:
    """The filters over the trend ending with the selected range (periods.trend_window) and its grain."""
    if filters.date_from is None or filters.date_to is None:
        return filters, "month"
    start, grain = periods.trend_window(filters.date_from, filters.date_to, months)
    return filters.with_dates(start, filters.date_to), grain


def theme_trend(store: Store, filters: Filters, theme: str, grain: str = "month") -> pd.DataFrame:
    """Mentions and NPS of the responses mentioning `theme`, per period."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        df = con.execute(
            f"""SELECT {periods.bucket_sql(grain)} AS period, {COUNTS_SQL}
                FROM {_enriched(where)}
                WHERE list_contains(x.themes, ?) GROUP BY ALL ORDER BY ALL""",
            [*params, theme],
        ).df()
    return add_stats(periods.label(df, grain))


def _shares(store: Store, filters: Filters, group, lang: str, every_group: bool = False) -> pd.DataFrame:
    """Per group (the SQL expression `group(scope)` returns) and theme: the
    share of the group's commented responses mentioning the theme, with their
    counts and NPS. Groups where a theme is not mentioned have no row, unless
    `every_group`: then each group with comments has a row (n = 0) for every
    theme mentioned anywhere."""
    with store.read() as con:
        sc = scope(con, filters)
        col = group(sc)
        where, params = sc.where(filters)
        tax = taxonomy.for_dataset(con, sc.dataset)
        grid = ("totals CROSS JOIN (SELECT DISTINCT theme FROM m) LEFT JOIN m USING (grp, theme)" if every_group
                else "totals JOIN m USING (grp)")
        df = con.execute(
            f"""WITH c AS (SELECT {col} AS grp, score, themes
                           FROM {_enriched(where)} WHERE x.comment IS NOT NULL AND {col} IS NOT NULL),
                     totals AS (SELECT grp, count(*) AS commented FROM c GROUP BY grp),
                     m AS (SELECT grp, theme, {COUNTS_SQL}
                           FROM (SELECT grp, score, unnest(themes) AS theme FROM c) GROUP BY ALL)
                SELECT grp, theme, coalesce(n, 0) AS n, coalesce(promoters, 0) AS promoters,
                       coalesce(passives, 0) AS passives, coalesce(detractors, 0) AS detractors, commented
                FROM {grid} ORDER BY grp, theme""",
            params,
        ).df()
    if not df.empty:
        df = add_stats(df)
        df["share"] = df["n"] / df["commented"]
        df["label"] = [taxonomy.label(tax, k, lang) for k in df["theme"]]
    return df


def theme_shares(store: Store, filters: Filters, grain: str = "month", lang: str = "en") -> pd.DataFrame:
    """Per period with comments and theme: the share of that period's commented
    responses mentioning the theme (0 where none does), with their count and NPS."""
    df = _shares(store, filters, lambda sc: periods.bucket_sql(grain), lang, every_group=True)
    df = df.rename(columns={"grp": "period"})
    if df.empty:
        return pd.DataFrame(columns=["period", "key", "theme", "label", "n", "share", "nps"])
    return periods.label(df, grain)


def by_segment(store: Store, filters: Filters, dimension: str, lang: str = "en") -> pd.DataFrame:
    """Per value of `dimension` and theme: the share of that segment's
    commented responses mentioning the theme, with their count and NPS."""
    df = _shares(store, filters, lambda sc: group_column(sc, dimension), lang).rename(columns={"grp": "segment"})
    if df.empty:
        return pd.DataFrame(columns=["segment", "theme", "label", "n", "share", "nps", "commented"])
    return df


def sentiment_by_category(store: Store, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """Mean comment sentiment per theme and NPS category (what promoters and
    detractors each say about a theme), with the count behind it."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        tax = taxonomy.for_dataset(con, sc.dataset)
        df = con.execute(
            f"""SELECT theme, {CATEGORY_SQL} AS category, count(*) AS n, avg(sentiment) AS sentiment
                FROM (SELECT score, sentiment, unnest(themes) AS theme FROM {_enriched(where)})
                GROUP BY ALL ORDER BY theme, category""",
            params,
        ).df()
    df["label"] = [taxonomy.label(tax, k, lang) for k in df["theme"]]
    return df


MISMATCH_NEGATIVE = -0.3  # a promoter whose comment reads at least this negative
MISMATCH_POSITIVE = 0.5  # a detractor whose comment reads at least this positive


def mismatches(store: Store, filters: Filters, kind: str, limit: int = 5) -> pd.DataFrame:
    """Comments whose tone contradicts the score, worth a manager's read:
    kind "promoter" (high score, negative words) or "detractor" (low score,
    praise), strongest contradiction first."""
    if kind == "promoter":
        condition, order = f"{promoter_sql('x.score')} AND x.sentiment <= {MISMATCH_NEGATIVE}", "x.sentiment"
    elif kind == "detractor":
        condition, order = f"{detractor_sql('x.score')} AND x.sentiment >= {MISMATCH_POSITIVE}", "x.sentiment DESC"
    else:
        raise ValueError(f"unknown kind {kind!r}")
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        return con.execute(
            f"""SELECT x.responded_at, x.score, x.comment, x.nps_type,
                       coalesce(x.touchpoint, x.product) AS context, x.sentiment
                FROM {_enriched(where)}
                WHERE {condition} ORDER BY {order}, x.responded_at DESC LIMIT ?""",
            [*params, limit],
        ).df()
