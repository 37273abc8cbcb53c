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


