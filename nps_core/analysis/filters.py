"""Filters shared by every query: dataset, date range, programme type and
dimension values. They become a SQL WHERE clause with bound parameters;
dimension names are checked against the dataset's columns and quoted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from nps_core.base.sql import quote_ident
from nps_core.db.errors import StoreError
from nps_core.db.schema import NPS_TYPES


@dataclass(frozen=True)
class Filters:
    dataset: str | None = None  # None: the default dataset (catalog.default_dataset)
    date_from: dt.date | None = None  # inclusive
    date_to: dt.date | None = None  # inclusive
    nps_types: tuple[str, ...] = ()  # empty: all
    # ((dimension, (value, ...)), ...): a tuple so Filters is hashable (cache key)
    dims: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    def __post_init__(self):
        unknown = set(self.nps_types) - set(NPS_TYPES)
        if unknown:
            raise StoreError(f"unknown programme type(s): {', '.join(sorted(unknown))}")

    def with_dim(self, dimension: str, values) -> "Filters":
        """Add or replace the filter on one dimension (a drill-down step)."""
        values = tuple(values)
        rest = tuple((d, v) for d, v in self.dims if d != dimension)
        return replace(self, dims=rest + (((dimension, values),) if values else ()))

    def without_dim(self, dimension: str) -> "Filters":
        return replace(self, dims=tuple((d, v) for d, v in self.dims if d != dimension))

    def with_dates(self, date_from, date_to) -> "Filters":
        return replace(self, date_from=date_from, date_to=date_to)

    def where(self, dataset: str, allowed: set[str] | list[str], time_column: str = "responded_at") -> tuple[str, list]:
        """WHERE clause (without the keyword) and its parameters.

        `allowed` are the dimension columns of the dataset; anything else is
        refused rather than quoted into SQL. `time_column` is the timestamp
        (or date) the date range applies to.
        """
        clauses = ["dataset = ?"]
        params: list = [dataset]
        if self.date_from is not None:
            clauses.append(f"{time_column} >= ?")
            params.append(dt.datetime.combine(self.date_from, dt.time()))
        if self.date_to is not None:
            clauses.append(f"{time_column} < ?")
            params.append(dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time()))
        if self.nps_types:
            clauses.append("nps_type IN (" + ", ".join("?" for _ in self.nps_types) + ")")
            params.extend(self.nps_types)
        for dimension, values in self.dims:
            if dimension not in allowed:
                raise StoreError(f"unknown column {dimension!r}")
            if not values:
                continue
            clauses.append(
                f"CAST({quote_ident(dimension)} AS VARCHAR) IN ("
                + ", ".join("?" for _ in values)
                + ")"
            )
            params.extend(str(v) for v in values)
        return " AND ".join(clauses), params
