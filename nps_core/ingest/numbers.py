"""Numbers written the Dutch or the English way: 8,5 · 1.234,50 · 1,234.50 · 412.5."""


def number_sql(expr: str) -> str:
    """SQL turning the text `expr` into a DOUBLE (NULL if it is not a number)."""
    t = f"replace(trim({expr}), ' ', '')"
    return (
        # a plain whole number (most scores) needs none of the patterns below
        f"CASE WHEN NOT contains({t}, '.') AND NOT contains({t}, ',') THEN TRY_CAST({t} AS DOUBLE) "
        f"WHEN regexp_full_match({t}, '[-+]?\\d{{1,3}}(\\.\\d{{3}})+(,\\d+)?') "  # 1.234,50
        f"THEN TRY_CAST(replace(replace({t}, '.', ''), ',', '.') AS DOUBLE) "
        f"WHEN regexp_full_match({t}, '[-+]?\\d{{1,3}}(,\\d{{3}})+(\\.\\d+)?') "  # 1,234.50
        f"THEN TRY_CAST(replace({t}, ',', '') AS DOUBLE) "
        f"ELSE TRY_CAST(replace({t}, ',', '.') AS DOUBLE) END"  # 8,5 / 412.5
    )
