"""Export the canonical records of a dataset for BI tools and audits."""

from __future__ import annotations

import pyarrow.parquet as pq

from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql, scope
from nps_core.base.safe_export import safe_text_sql, write_csv
from nps_core.base.sql import quote_ident
from nps_core.db import audit
from nps_core.db.catalog import extra_columns
from nps_core.db.schema import CANONICAL
from nps_core.db.store import Store

FORMATS = ("csv", "parquet")
TEXT_FIELDS = tuple(c for c in CANONICAL if c not in ("responded_at", "score"))


def export(store: Store, filters: Filters, fmt: str, out) -> int:
    """Write the filtered records (canonical fields, then the dataset's extra
    columns) to `out`; returns the number of rows. CSV text cells are
    protected against formula injection; Parquet keeps values as they are."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}")
    store.access.require("export_comments", filters.dataset)
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        extras = extra_columns(con, sc.dataset)
        columns = [*CANONICAL, *extras]
        if fmt == "csv":
            select = [
                safe_text_sql(c) if c in TEXT_FIELDS or extras.get(c) == "VARCHAR" else quote_ident(c)
                for c in columns
            ]
            # seconds are the precision surveys record; no ".000000" tails
            select[1] = "strftime(responded_at, '%Y-%m-%d %H:%M:%S') AS responded_at"
        else:
            select = [quote_ident(c) for c in columns]
        # enrichment columns: language, sentiment and themes (";"-joined in CSV)
        themes = "array_to_string(themes, ';')" if fmt == "csv" else "themes"
        sql = (
            f"SELECT {', '.join(select)}, language, sentiment, {themes} AS themes "
            f"FROM {enriched_sql(where, 'LEFT')} ORDER BY responded_at, response_id"
        )
        if fmt == "csv":
            write_csv(con, sql, params, out)
        else:
            pq.write_table(con.execute(sql, params).to_arrow_table(), out)
        n = con.execute(f"SELECT count(*) FROM responses WHERE {where}", params).fetchone()[0]
    audit.log(store, "export_records", sc.dataset, {"format": fmt, "rows": n})
    return n
