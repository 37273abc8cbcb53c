"""Reading dates from text, in SQL."""

# ISO first (DuckDB's own cast), then the day-first forms Dutch exports use.
DAY_FIRST_FORMATS = [
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y",
]


def timestamp_sql(expr: str) -> str:
    """SQL turning the text expression `expr` into a TIMESTAMP, NULL if unreadable."""
    formats = ", ".join(f"'{f}'" for f in DAY_FIRST_FORMATS)
    return f"coalesce(TRY_CAST({expr} AS TIMESTAMP), try_strptime({expr}, [{formats}]))"
