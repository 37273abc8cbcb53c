"""The store: DuckDB schema, connections and their lock discipline, catalogue queries, SQL quoting."""
