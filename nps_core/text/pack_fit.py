"""Which starter pack fits a file's own comments, before anything is stored.

Each pack's rules (packs.py) are run over the sentences of the comments (the
same splitter as the sentence vectors, vectors.split); a pack's coverage is
the share of the sentences with a content word that one of its themes
catches. The pack that catches the most is chosen when it catches enough
(MIN_COVERAGE) and clearly more than the next (LEAD); otherwise no pack is,
and the dataset starts with no themes ("discovery only", packs.EMPTY): a
web shop's themes on a telecom file tagged "engineer didn't turn up" as
invoicing, which is worse than no theme at all.

Measured on the real-data corpus (first 3,000 distinct comments of each
export; tests/engine/test_pack_fit.py holds them): telecom 0.58 against 0.43 and
0.52 against 0.34, airline reviews (travel) 0.46 against 0.16 and 0.58
against 0.09, hotel reviews (travel) 0.31 against 0.22, insurance reviews
(banking) 0.50 against 0.35, the retail demo 0.55 against 0.39; clothing,
restaurant, theme-park and smart-speaker reviews and an event survey reach
at most 0.24 with any pack, so they get discovery only.

Fewer than MIN_SENTENCES sentences say too little to choose by: the
default pack is kept and the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyarrow as pa

from nps_core.db import duck
from nps_core.text import packs, taxonomy
from nps_core.text.stopwords import content_words
from nps_core.text.vectors import split

MIN_COVERAGE = 0.25  # a pack catching fewer of the sentences than this does not fit
LEAD = 1.25  # and the chosen pack catches at least this many times what the next one does
MIN_SENTENCES = 20  # fewer sentences than this: too little to choose by
MAX_COMMENTS = 2_000  # distinct comments read (a sample spread over the file, see sample_sql): about a second

# why a pack was chosen (a text "pack_why_<reason>" in base/texts/)
FITS, NONE_FITS, TOO_FEW, OPTION, EXISTING = "fits", "none_fits", "too_few_comments", "option", "existing_dataset"


@dataclass(frozen=True)
class PackChoice:
    """The chosen pack and why: `coverage` per pack, best first (empty when
    the choice was not made from the content)."""

    pack: str | None  # None: an existing dataset keeps the themes it has
    reason: str
    sentences: int = 0
    coverage: tuple[tuple[str, float], ...] = ()

    @property
    def runner_up(self) -> tuple[str, float] | None:
        others = [c for c in self.coverage if c[0] != self.pack]
        return others[0] if others else None

    @classmethod
    def from_dict(cls, d: dict) -> "PackChoice":
        """The choice from dataclasses.asdict() after a JSON round trip."""
        return cls(d["pack"], d["reason"], d["sentences"], tuple((p, share) for p, share in d["coverage"]))

    def as_dict(self) -> dict:
        """The JSON form (import --json's "theme_pack", import --explain's "pack")."""
        return {"pack": self.pack, "reason": self.reason, "sentences": self.sentences,
                "coverage": {p: round(share, 4) for p, share in self.coverage}}


def sample_sql(expr: str, table: str) -> str:
    """At most MAX_COMMENTS distinct non-empty values of `expr` in `table`, spread
    over the whole file (ordered by hash, not the first rows: an export sorted by
    date would otherwise be judged on its oldest month)."""
    return (f"SELECT DISTINCT CAST({expr} AS VARCHAR) AS comment FROM {table} "
            f"WHERE trim(CAST({expr} AS VARCHAR)) <> '' ORDER BY hash(comment) LIMIT {MAX_COMMENTS}")


def choose(comments: Iterable[str]) -> PackChoice:
    """The pack that fits these comments (the file's own, a sample of them)."""
    sentences = [s for c in comments if c for s in split(str(c)) if content_words(s)]
    if len(sentences) < MIN_SENTENCES:
        return PackChoice(packs.DEFAULT, TOO_FEW, len(sentences))
    candidates = [p for p in packs.PACKS if p != packs.EMPTY]
    con = duck.connect()
    try:
        con.register("pack_sentences", pa.table({"sentence": sentences}))
        shares = con.execute("SELECT " + ", ".join(
            f"avg(CASE WHEN len({taxonomy.themes_sql('sentence', packs.themes(p))}) > 0 THEN 1.0 ELSE 0.0 END)"
            for p in candidates) + " FROM pack_sentences").fetchone()
    finally:
        con.close()
    coverage = tuple(sorted(zip(candidates, map(float, shares)), key=lambda c: (-c[1], candidates.index(c[0]))))
    (best, top), (_, second) = coverage[0], coverage[1]
    fits = top >= MIN_COVERAGE and top >= LEAD * second
    return PackChoice(best if fits else packs.EMPTY, FITS if fits else NONE_FITS, len(sentences), coverage)
