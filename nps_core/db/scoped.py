"""A reader that sees only a person's scope.

For an Access with a scope, every reader (Store.read) gets temporary views
that shadow the store's tables for that one connection: `responses` holds
only the rows of the allowed datasets matching every scope dimension, the
catalogue tables only the allowed datasets, and the follow-up tables only
rows about responses in scope. Every query of the engine, whatever table it
reads, is therefore answered from the scope; a user's own filters can only
narrow it further.
"""

from __future__ import annotations

from nps_core.base.access import LOCAL, ROW_ACTIONS, Access
from nps_core.base.sql import quote_ident, quote_literal
from nps_core.db.comment_index import INDEX_TABLES

# tables with a dataset name column: the rows of allowed datasets only
BY_DATASET = {"datasets": "name", "imports": "dataset", "dataset_columns": "dataset", "taxonomies": "dataset",
              "dataset_themes": "dataset", "sources": "name", "theme_marks": "dataset"}
# tables about single responses: rows whose response is in scope
BY_RESPONSE = ("case_events", "promoter_thanks", "alert_outbox")


def _in(expr: str, values) -> str:
    if not values:
        return "false"
    return f"{expr} IN ({', '.join(quote_literal(str(v)) for v in values)})"


def rows_sql(access: Access, columns) -> str:
    """The condition a response must meet (SQL literals: views take no parameters).
    A scope dimension the rows lack matches nothing: a scope never widens."""
    clauses = [] if access.datasets is None else [_in("dataset", access.datasets)]
    for dimension, values in access.dims:
        clauses.append(_in(f"CAST({quote_ident(dimension)} AS VARCHAR)", values)
                       if dimension in columns else "false")
    return " AND ".join(clauses) or "true"


def _columns(con, relation: str) -> set[str]:
    return {r[0] for r in con.execute(f"DESCRIBE {relation}").fetchall()}


def restrict_rows(con, access: Access, relation: str) -> None:
    """Make `responses` on this connection the rows of `relation` in scope."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW responses AS SELECT * FROM {relation} "
                f"WHERE {rows_sql(access, _columns(con, relation))}")


def restrict(con, access: Access, database: str, full: bool = True) -> None:
    """Shadow the tables of `database` on this connection with their part in scope.
    `full=False` (a write connection) shadows only `responses` and `datasets`,
    so the writes into the other tables still reach them."""
    if not access.restricted:
        return
    db = quote_ident(database)
    restrict_rows(con, access, f"{db}.main.responses")
    datasets = "true" if access.datasets is None else _in("name", access.datasets)
    con.execute(f"CREATE OR REPLACE TEMP VIEW datasets AS SELECT * FROM {db}.main.datasets WHERE {datasets}")
    if not full:
        return
    views = {table: f"{column} IN (SELECT name FROM datasets)" for table, column in BY_DATASET.items()
             if table != "datasets"}
    views.update({table: "EXISTS (SELECT 1 FROM responses r WHERE r.dataset = t.dataset "
                         "AND r.response_id = t.response_id)" for table in BY_RESPONSE})
    # rules for every dataset, or for one in scope
    views["alert_rules"] = "dataset IS NULL OR dataset IN (SELECT name FROM datasets)"
    # rejected rows are raw file lines: no dimension can be trusted in them, so a
    # dimension scope sees none; a dataset scope sees its own datasets' rejects
    views["rejects"] = "false" if access.dims else "import_id IN (SELECT import_id FROM imports)"
    # the Verbatims index counts and holds every row of a dataset: a dimension scope
    # sees none of it (its reads go to `responses`), a dataset scope its own datasets'
    for table in INDEX_TABLES:
        views[table] = "false" if access.dims else "dataset IN (SELECT name FROM datasets)"
    # a database made by an older version may lack a table until Store.ensure_schema adds it
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                         [database]).fetchall()}
    if "response_days" in present:  # the rollup: the counts of the rows in scope (db/rollup.py)
        views["response_days"] = rows_sql(access, _columns(con, f"{db}.main.response_days"))
    for table, condition in views.items():
        if table in present:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {db}.main.{table} t WHERE {condition}")


# the Access of each open reader, for what shadows `responses` later on it (a live source)
_READER_ACCESS: dict[int, Access] = {}


def reader_access(con) -> Access:
    """The Access a reader from Store.read() was opened with (LOCAL for any other connection)."""
    return _READER_ACCESS.get(id(con), LOCAL)


def enter_reader(access: Access, cur, database: str) -> None:
    """A new reader of `database` sees only the scope of `access` (db/scoped.py)."""
    if access.restricted:
        _READER_ACCESS[id(cur)] = access
        restrict(cur, access, database)


def leave_reader(cur) -> None:
    _READER_ACCESS.pop(id(cur), None)


def scope_writer(access: Access, con, action: str | None, database: str) -> None:
    """A writer for an action on single responses reaches only the scope's rows."""
    if action in ROW_ACTIONS:
        restrict(con, access, database, full=False)
