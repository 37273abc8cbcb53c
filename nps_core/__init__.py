"""NPS analytics engine: DuckDB store, NPS statistics, ingest, command line.

Never imports streamlit: the dashboard, the report export and the command line
all sit on top of this package.
"""

DEFAULT_DB = "data/nps.duckdb"
