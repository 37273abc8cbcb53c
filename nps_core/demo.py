"""The embedded demo dataset, loaded into an empty store on first start."""

from __future__ import annotations

from pathlib import Path

import duckdb

from nps_core.enrich import upgrade
from nps_core.ingest import import_file
from nps_core.store import Store, dataset_names

DEMO_FILE = Path(__file__).resolve().parents[1] / "data" / "demo_responses.csv.gz"
DEMO_DATASET = "demo"


def ensure_demo(store: Store) -> bool:
    """Load the demo into a store that has no dataset yet; True if it did.
    A store with data is brought up to date instead (schema, enrichment and
    tags of a newer taxonomy).

    Safe to race: a second loader finds every response already stored.
    """
    if store.exists():
        with store.read() as con:
            try:
                has_data = bool(dataset_names(con))
            except duckdb.CatalogException:  # a file without our schema yet
                has_data = False
        if has_data:
            upgrade(store)
            return False
    import_file(store, DEMO_FILE, dataset=DEMO_DATASET)
    return True
