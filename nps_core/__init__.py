"""NPS analytics engine: DuckDB store, NPS statistics, ingest, command line.

Never imports streamlit: the dashboard, the report export and the command line
all sit on top of this package. docs/ARCHITECTURE.md describes its layers.
"""

from pathlib import Path

DEFAULT_DB = "data/nps.duckdb"
# the repository's top level: data/ (demo, lexicons, theme packs) and .streamlit/ live there
ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
