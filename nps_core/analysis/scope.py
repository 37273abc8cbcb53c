"""The rows a read sees: a dataset resolved on one open reader, its dimension
columns, and the responses joined with their comments' enrichment.

Every read in `analysis/` starts here. A live source's rows are bound as
`responses` on the reader (sources/live.py), which imports the validation
rules but never the importer, so a read loads no upload code.
"""

from __future__ import annotations

from dataclasses import dataclass

from nps_core.analysis.filters import Filters
from nps_core.base.sql import quote_ident
from nps_core.db import rollup
from nps_core.db.catalog import groupable_columns, resolve_dataset
from nps_core.db.errors import StoreError
from nps_core.db.scoped import reader_access
from nps_core.sources import live

SPLITS_BUILTIN = ("nps_type",)


@dataclass(frozen=True)
class Scope:
    """A dataset resolved on one open connection, with its dimension columns."""

    dataset: str
    dimensions: tuple[str, ...]
    # whether the rollup (db/rollup.py) counts this dataset's rows as this reader sees them
    rollup: bool = False
    live: bool = False  # a live source's rows, bound as `responses` on this reader: nothing stored

    def where(self, filters: Filters, time_column: str = "responded_at") -> tuple[str, list]:
        return filters.where(self.dataset, set(self.dimensions) | set(SPLITS_BUILTIN), time_column)


def scope(con, filters: Filters) -> Scope:
    """The dataset on this reader; a live source's rows become its `responses`."""
    dataset = resolve_dataset(con, filters.dataset)
    is_live = live.bind(con, dataset)
    # a live source stores no rows, and a scope on a column the rollup lacks cannot apply to it
    counted = (not is_live and all(d in rollup.KEYS for d, _ in reader_access(con).dims)
               and rollup.readable(con))
    return Scope(dataset, tuple(groupable_columns(con, dataset)), counted, is_live)


def group_column(sc: Scope, column: str) -> str:
    if column not in sc.dimensions and column not in SPLITS_BUILTIN:
        raise StoreError(
            f"cannot group by {column!r}; available: {', '.join(SPLITS_BUILTIN + sc.dimensions)}"
        )
    return f"CAST({quote_ident(column)} AS VARCHAR)"


def enriched_sql(where: str, join: str = "INNER") -> str:
    """FROM clause `x`: the responses matching `where` with their comment's
    language, sentiment and themes (the dataset's own tags when it has an
    edited taxonomy). LEFT join keeps responses without a comment."""
    return (f"(SELECT r.*, e.language, e.sentiment, coalesce(t.themes, e.themes) AS themes "
            f"FROM (SELECT * FROM responses WHERE {where}) r "
            f"{join} JOIN enrichment e ON e.comment_key = md5(r.comment) "
            f"LEFT JOIN dataset_themes t ON t.dataset = r.dataset AND t.comment_key = e.comment_key) x")
