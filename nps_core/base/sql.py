"""Quoting for the few SQL pieces that cannot be bound parameters.

Values always go in as parameters; user column names (a file's headers)
go through quote_ident; quote_literal serves the statements DuckDB takes no
parameters in (ATTACH, COPY … TO).
"""


from __future__ import annotations


def quote_ident(name: str) -> str:
    """Quote an identifier for SQL; user column names always go through here."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal, for the few statements that take no parameters."""
    return "'" + text.replace("'", "''") + "'"




def insert_new_sql(table: str, columns: tuple[str, ...], select_sql: str, keys: tuple[str, ...]) -> str:
    """INSERT the rows of `select_sql` (naming `columns`) whose `keys` are not
    in `table` yet, once per key: INSERT OR IGNORE without a primary key,
    which a DuckLake store has not (its writers are serialised, so the check holds)."""
    cols = ", ".join(columns)
    match = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    return (f"INSERT INTO {table} ({cols}) SELECT {cols} FROM ({select_sql}) s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {match}) "
            f"QUALIFY row_number() OVER (PARTITION BY {', '.join('s.' + k for k in keys)}) = 1")


def next_id_sql(table: str, column: str, order: str | None = None) -> str:
    """Ids for new rows: one past the largest (DuckLake has no sequences; its
    writers are serialised). With `order`, one per row of an INSERT … SELECT."""
    step = f"row_number() OVER (ORDER BY {order})" if order else "1"
    return f"(SELECT coalesce(max({column}), 0) FROM {table}) + {step}"


def replace_row(con, table: str, keys: dict, values: dict) -> None:
    """INSERT OR REPLACE one row by `keys` without a primary key (a DuckLake
    store has none): delete, then insert; call it inside one transaction.
    Table and column names are the code's own, never user input."""
    con.execute(f"DELETE FROM {table} WHERE {' AND '.join(f'{k} = ?' for k in keys)}", list(keys.values()))
    row = {**keys, **values}
    con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
