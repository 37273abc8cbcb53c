"""The audit trail: who changed, uploaded, deleted or exported what, and when.

Each privileged engine action appends one row to `audit_log` with the
identity of the Store's Access (the signed-in person, or "local"). Nothing
in the engine updates or deletes these rows.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from nps_core.base.safe_export import spreadsheet
from nps_core.base.sql import next_id_sql
from nps_core.db.errors import retrying
from nps_core.db.store import Store

COLUMNS = ("logged_at", "identity", "role", "action", "dataset", "detail")
# what is recorded; each has a label "action_<name>" in base/texts/
ACTIONS = ("case_change", "thank", "upload", "connect_source", "refresh_source", "edit_themes", "reset_themes",
           "delete_dataset", "alert_rule", "export_comments", "export_promoters", "export_records", "mark_theme",
           "currency")


def record(con, store: Store, action: str, dataset: str | None = None, detail: dict | None = None) -> None:
    """Append one entry on an open write connection (inside the action's own transaction where it has one)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    a = store.access
    con.execute(
        "INSERT INTO audit_log (event_id, logged_at, identity, role, action, dataset, detail) "
        f"VALUES ({next_id_sql('audit_log', 'event_id')}, ?, ?, ?, ?, ?, ?)",
        [dt.datetime.now(), a.identity or "unknown", a.role, action, dataset,
         json.dumps(detail, ensure_ascii=False, default=str) if detail else None],
    )


@retrying
def log(store: Store, action: str, dataset: str | None = None, detail: dict | None = None) -> None:
    """Append one entry on a connection of its own (for actions that write elsewhere, or only read);
    on a shared store another server's write at the same moment makes it run again."""
    with store.write() as con:
        record(con, store, action, dataset, detail)


def entries(store: Store, limit: int | None = 1000) -> pd.DataFrame:
    """The newest entries first (admins only)."""
    store.access.require("view_audit")
    store.ensure_schema()
    with store.read() as con:
        return con.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY event_id DESC LIMIT ?",
                           [limit]).df()


def export(store: Store, fmt: str, lang: str = "en") -> bytes:
    """The whole trail as CSV or Excel, formula-safe (identities and details are user-supplied text)."""
    return spreadsheet(entries(store, limit=None), fmt, "audit", lang)
