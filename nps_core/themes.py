"""What customers talk about, and what it costs in NPS.

A theme's impact is the company's NPS minus the NPS it would have without
the responses that mention the theme: negative when the theme drags NPS
down, positive when it lifts it; `mentions` is the count behind it.
"""

from __future__ import annotations

import pandas as pd

from nps_core.aggregates import scope
from nps_core.enrich import theme_label
from nps_core.filters import Filters
from nps_core.metrics import COUNTS_SQL, add_stats
from nps_core.store import Store


def theme_table(store: Store, filters: Filters, lang: str = "en") -> pd.DataFrame:
    """One row per theme: mentions, share of commented responses, NPS of the
    responses mentioning it, NPS without them, impact and mean sentiment;
    most harmful first."""
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        base = (
            "SELECT r.score, e.themes, e.sentiment, r.comment IS NOT NULL AS commented "
            f"FROM (SELECT score, comment FROM responses WHERE {where}) r "
            "LEFT JOIN enrichment e ON e.comment_key = md5(r.comment)"
        )
        total = con.execute(
            f"SELECT {COUNTS_SQL}, count(*) FILTER (WHERE commented) FROM ({base})", params
        ).fetchone()
        per = con.execute(
            f"""SELECT theme, {COUNTS_SQL}, avg(sentiment) AS sentiment
                FROM (SELECT score, sentiment, unnest(themes) AS theme FROM ({base}))
                GROUP BY theme""",
            params,
        ).df()
    n, p, pa, d, commented = total
    if per.empty or not n:
        return pd.DataFrame(columns=["theme", "label", "mentions", "share", "nps", "nps_without", "impact",
                                     "sentiment"])
    per = add_stats(per)
    rest_n = n - per["n"]
    per["nps_without"] = 100.0 * ((p - per["promoters"]) - (d - per["detractors"])) / rest_n.where(rest_n > 0)
    per["impact"] = 100.0 * (p - d) / n - per["nps_without"]
    per["mentions"] = per["n"]
    per["share"] = per["n"] / commented if commented else None
    per["label"] = [theme_label(k, lang) for k in per["theme"]]
    cols = ["theme", "label", "mentions", "share", "nps", "nps_without", "impact", "sentiment", "moe", "small"]
    return per[cols].sort_values(["impact", "mentions"], ascending=[True, False]).reset_index(drop=True)
