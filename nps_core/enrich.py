"""Language, sentiment and themes, computed once per distinct comment and stored.

New comments are read with a read-only connection, scored in Python (the
language models are Python), and written in one short transaction; themes
are tagged in SQL with the taxonomy's regular expressions, so re-tagging
after a taxonomy change is one UPDATE.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from nps_core import language, sentiment
from nps_core.store import Store, quote_literal

TAXONOMY_FILE = Path(__file__).resolve().parents[1] / "data" / "themes.json"
BATCH = 20_000


@lru_cache(maxsize=1)
def taxonomy() -> dict:
    """The default theme taxonomy: {"version", "themes": [{key, nl, en, pattern}]}."""
    return json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))


def theme_label(key: str, lang: str) -> str:
    return next((th[lang] for th in taxonomy()["themes"] if th["key"] == key), key)


def themes_sql(expr: str) -> str:
    """SQL list of the theme keys whose pattern matches the text `expr`."""
    cases = ", ".join(
        f"CASE WHEN regexp_matches(lower({expr}), {quote_literal(th['pattern'])}) THEN {quote_literal(th['key'])} END"
        for th in taxonomy()["themes"]
    )
    return f"list_filter([{cases}], x -> x IS NOT NULL)"


def score_comments(comments: list[str]) -> pd.DataFrame:
    """Language and sentiment of each comment (the Python part)."""
    langs = [language.detect(c) for c in comments]
    return pd.DataFrame({
        "comment": comments,
        "language": langs,
        "sentiment": [sentiment.score(c, lg) for c, lg in zip(comments, langs)],
    })


def enrich(store: Store, progress: Callable[[float, str], None] | None = None) -> dict:
    """Enrich every comment not enriched yet; returns counts and seconds."""
    report = progress or (lambda fraction, stage: None)
    t0 = time.perf_counter()
    with store.read() as con:
        new = [r[0] for r in con.execute(
            """SELECT DISTINCT comment FROM responses r WHERE comment IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM enrichment e WHERE e.comment_key = md5(r.comment))"""
        ).fetchall()]
    frames = []
    for start in range(0, len(new), BATCH):
        frames.append(score_comments(new[start:start + BATCH]))
        report(min(0.9, (start + BATCH) / max(len(new), 1) * 0.9), "scoring")
    if frames:
        scored = pd.concat(frames, ignore_index=True)
        with store.write() as con:
            con.register("scored", scored)
            con.execute(
                f"""INSERT OR IGNORE INTO enrichment
                    SELECT md5(comment), comment, language, sentiment, {themes_sql('comment')}, ?
                    FROM scored""",
                [taxonomy()["version"]],
            )
    report(1.0, "done")
    return {"enriched": len(new), "seconds": round(time.perf_counter() - t0, 3)}


def retag(store: Store) -> int:
    """Re-tag every stored comment with the current taxonomy."""
    with store.write() as con:
        con.execute(f"UPDATE enrichment SET themes = {themes_sql('comment')}, taxonomy_version = ?",
                    [taxonomy()["version"]])
        return con.execute("SELECT count(*) FROM enrichment").fetchone()[0]
