"""Catalogue queries on an open connection: which datasets exist, which is
meant when none is named, and which columns each dataset has."""


from __future__ import annotations

import re

from nps_core.db.schema import CANONICAL, DIMENSIONS, EMAIL_COLUMNS, INTERNAL, NAME_COLUMNS
from nps_core.db.store import StoreError


# -- catalogue queries (take an open connection) ----------------------------
def dataset_names(con) -> list[str]:
    """Datasets, the most recently imported first."""
    rows = con.execute(
        """SELECT d.name FROM datasets d
           LEFT JOIN (SELECT dataset, max(import_id) AS last FROM imports GROUP BY dataset) i
             ON i.dataset = d.name
           ORDER BY i.last DESC NULLS LAST, d.updated_at DESC, d.name"""
    ).fetchall()
    return [r[0] for r in rows]


MAX_DATASET_NAME = 200


def check_dataset_name(name: str) -> str:
    """The name, trimmed; refused when empty, very long or holding control
    characters (a line break would end up in e-mail subjects and log lines).
    Anything else, '/' and '..' included, is a fine name: it reaches SQL as a
    bound parameter and the file system only through present/filenames.py."""
    name = (name or "").strip()
    if not name:
        raise StoreError("a dataset needs a name")
    if len(name) > MAX_DATASET_NAME:
        raise StoreError(f"a dataset name has at most {MAX_DATASET_NAME} characters ({len(name)} given)")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise StoreError(f"a dataset name cannot hold line breaks or other control characters: {name!r}")
    return name


def resolve_dataset(con, name: str | None) -> str:
    names = dataset_names(con)
    if name is None:
        if not names:
            raise StoreError("the database holds no dataset yet; import a file first")
        return names[0]
    if name not in names:
        known = ", ".join(names) or "none"
        raise StoreError(f"unknown dataset {name!r} (known: {known})")
    return name


def extra_columns(con, dataset: str) -> dict[str, str]:
    """Extra (non-canonical) columns of a dataset and their DuckDB types."""
    rows = con.execute(
        "SELECT column_name, data_type FROM dataset_columns WHERE dataset = ? ORDER BY column_name",
        [dataset],
    ).fetchall()
    return dict(rows)


def groupable_columns(con, dataset: str) -> list[str]:
    """Columns a filter or breakdown may name in this dataset (no data scan)."""
    return [*DIMENSIONS, *(c for c, t in extra_columns(con, dataset).items()
                           if t == "VARCHAR" and c not in EMAIL_COLUMNS + NAME_COLUMNS)]


_SAFE_NAME = re.compile(r"[^0-9a-z_]+")


def column_name_for(header: str) -> str:
    """Storage name of an extra column: lower snake case, never a reserved name."""
    name = _SAFE_NAME.sub("_", header.strip().lower()).strip("_") or "column"
    if name[0].isdigit():
        name = "c_" + name
    if name in CANONICAL or name in INTERNAL:
        name = "extra_" + name
    return name


