"""Does the taxonomy fit what customers talk about?

Two measures, both from the comments in scope: the share of commented
responses no theme catches, and the share of the sentences of the topics
discovery finds (discovery.py, no taxonomy involved) that no theme's rule
catches. A web shop's themes on airline reviews still tag most reviews
(long reviews mention "late" or "cost" somewhere) but miss most of what
the discovered topics say (seats, crew, food), so the second measure is
the one that warns. The same measures for every starter pack say which
pack would fit better; when none does, adopting discovered topics is the
suggestion.
"""

from __future__ import annotations

import pyarrow as pa

from nps_core.analysis import discovery
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.db.store import Store
from nps_core.text import packs, taxonomy

MIN_CAUGHT = 0.35  # warn when themes catch less than about a third of the discovered topics' sentences
MAX_UNTAGGED = 0.4  # or when more of the comments than this fall under no theme
BETTER_BY = 0.15  # warn, suggesting a pack, when it catches this much more of the topics' sentences
TOPIC_CAUGHT = 0.25  # a topic whose sentences themes catch less than this is listed as missed


def _caught_sql(expr: str, themes: list[dict]) -> str:
    return f"len({taxonomy.themes_sql(expr, themes)}) > 0"


def fit(store: Store, filters: Filters) -> dict:
    """{"pack": the pack in use (None once edited), "untagged_share",
    "caught_share" (of the discovered topics' sentences, by the current
    themes), "sentences", "missed_topics": [{"label", "n", "caught_share"}],
    "packs": [{"pack", "tagged_share", "caught_share"}], "warn",
    "suggestion": {"kind": "pack", "pack"} | {"kind": "discover"} | None}."""
    topics = discovery.discover(store, filters, discovery.MAX_TOPICS, members=True)
    keys, owner = [], []
    for i, tp in enumerate(topics):
        keys += tp["sentence_keys"]
        owner += [i] * len(tp["sentence_keys"])
    candidates = {p: packs.themes(p) for p in packs.PACKS if p != packs.EMPTY}
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        tax = taxonomy.for_dataset(con, sc.dataset)
        rules = {"current": tax["themes"], **candidates}
        names = list(rules)
        comments = con.execute(
            f"""SELECT sum(n) AS commented, {", ".join(
                    f"sum(n) FILTER (WHERE {_caught_sql('comment', th)})" for th in rules.values())}
                FROM (SELECT comment, count(*) AS n FROM responses WHERE {where} AND comment IS NOT NULL
                      GROUP BY comment)""",
            params).fetchone()
        per_topic = []
        if keys:
            con.register("fit_topic_of", pa.table({"sentence_key": keys, "topic": owner}))
            per_topic = con.execute(
                f"""SELECT topic, count(*), {", ".join(
                        f"count(*) FILTER (WHERE {_caught_sql('s.sentence', th)})" for th in rules.values())}
                    FROM fit_topic_of t JOIN sentences s USING (sentence_key) GROUP BY topic ORDER BY topic""",
            ).fetchall()
            con.unregister("fit_topic_of")
    commented = comments[0] or 0
    sentences = sum(r[1] for r in per_topic)

    def share(part, whole):
        return part / whole if whole else None

    tagged = {name: share(comments[1 + i] or 0, commented) for i, name in enumerate(names)}
    caught = {name: share(sum(r[2 + i] for r in per_topic), sentences) for i, name in enumerate(names)}
    missed = [{"label": topics[r[0]]["label"], "n": topics[r[0]]["n"], "caught_share": r[2] / r[1]}
              for r in per_topic if r[2] / r[1] < TOPIC_CAUGHT]
    untagged = None if tagged["current"] is None else 1 - tagged["current"]
    pack = packs.in_use(tax)
    best = max(candidates, key=lambda p: caught[p] or 0)
    better = best != pack and (caught[best] or 0) >= (caught["current"] or 0) + BETTER_BY
    warn = bool(better or (caught["current"] is not None and caught["current"] < MIN_CAUGHT)
                or (untagged is not None and untagged > MAX_UNTAGGED))
    suggestion = {"kind": "pack", "pack": best} if better else {"kind": "discover"} if warn else None
    return {
        "pack": pack, "untagged_share": untagged, "caught_share": caught["current"], "sentences": sentences,
        "missed_topics": sorted(missed, key=lambda m: -m["n"]),
        "packs": [{"pack": p, "tagged_share": tagged[p], "caught_share": caught[p]} for p in candidates],
        "warn": warn, "suggestion": suggestion,
    }
