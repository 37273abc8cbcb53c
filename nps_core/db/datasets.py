"""Named datasets in one store: list them, delete one (and only that one)."""

from __future__ import annotations

from nps_core.base.sql import quote_ident
from nps_core.db import audit, catalog, comment_index, rollup
from nps_core.db.catalog import dataset_names, resolve_dataset, set_default_dataset
from nps_core.db.store import Store


def list_datasets(store: Store) -> list[dict]:
    """Datasets, most recently imported first, with size and date span."""
    with store.read() as con:
        order = dataset_names(con)
        rows = con.execute(
            """SELECT d.name, count(r.dataset), min(r.responded_at), max(r.responded_at), d.source
               FROM datasets d LEFT JOIN responses r ON r.dataset = d.name GROUP BY d.name, d.source"""
        ).fetchall()
    info = {
        r[0]: {"name": r[0], "responses": r[1], "first": r[2] and r[2].date().isoformat(),
               "last": r[3] and r[3].date().isoformat(), "source": r[4]}
        for r in rows
    }
    return [info[name] for name in order]


def delete_dataset(store: Store, name: str) -> None:
    """Remove a dataset, its imports and rejects in one transaction; extra
    columns no other dataset uses are dropped too."""
    with store.write("delete_dataset", name) as con:
        resolve_dataset(con, name)  # a clear error for an unknown name
        with store.transaction(con):
            mine = [r[0] for r in con.execute(
                "SELECT column_name FROM dataset_columns WHERE dataset = ?", [name]).fetchall()]
            con.execute("DELETE FROM responses WHERE dataset = ?", [name])
            rollup.drop_dataset(con, name)
            comment_index.drop_dataset(con, name)
            con.execute("DELETE FROM rejects WHERE import_id IN (SELECT import_id FROM imports WHERE dataset = ?)",
                        [name])
            con.execute("DELETE FROM imports WHERE dataset = ?", [name])
            con.execute("DELETE FROM dataset_columns WHERE dataset = ?", [name])
            con.execute("DELETE FROM taxonomies WHERE dataset = ?", [name])
            con.execute("DELETE FROM settings WHERE key = 'default_dataset' AND value = ?", [name])
            con.execute("DELETE FROM settings WHERE key = ?", [f"{catalog.CURRENCY_KEY}:{name}"])
            con.execute("DELETE FROM dataset_themes WHERE dataset = ?", [name])
            con.execute("DELETE FROM theme_marks WHERE dataset = ?", [name])
            con.execute("DELETE FROM datasets WHERE name = ?", [name])
            con.execute("DELETE FROM sources WHERE name = ?", [name])
            audit.record(con, store, "delete_dataset", name)
        still_used = {r[0] for r in con.execute("SELECT DISTINCT column_name FROM dataset_columns").fetchall()}
        for column in mine:
            if column not in still_used:
                con.execute(f"ALTER TABLE responses DROP COLUMN IF EXISTS {quote_ident(column)}")


def import_totals(store: Store, dataset: str | None = None) -> dict:
    """What the imports into a dataset read, imported and rejected, in total."""
    with store.read() as con:
        name = resolve_dataset(con, dataset)
        read, imported, duplicates, rejected = con.execute(
            """SELECT coalesce(sum("read"), 0), coalesce(sum(imported), 0), coalesce(sum(duplicates), 0),
                      coalesce(sum(rejected), 0) FROM imports WHERE dataset = ?""", [name]).fetchone()
    return {"read": int(read), "imported": int(imported), "duplicates": int(duplicates), "rejected": int(rejected)}


def set_default(store: Store, name: str) -> None:
    """Make `name` the dataset every page and command shows when none is named."""
    with store.write("default_dataset", name) as con:
        set_default_dataset(con, name)


def currency(store: Store, dataset: str | None = None) -> str:
    """The currency of a dataset's money figures (catalog.currency)."""
    with store.read() as con:
        return catalog.currency(con, resolve_dataset(con, dataset) if dataset else None)


def currency_settings(store: Store, dataset: str | None = None) -> tuple[str | None, str]:
    """(the dataset's own currency or None, the database's): catalog.currency_settings."""
    with store.read() as con:
        return catalog.currency_settings(con, resolve_dataset(con, dataset) if dataset else None)


def set_currency(store: Store, code: str | None, dataset: str | None = None) -> None:
    """An admin's choice of currency, for the whole database or one dataset (None: the database's again)."""
    with store.write("currency", dataset) as con:
        catalog.set_currency(con, code, dataset)
        audit.record(con, store, "currency", dataset, {"currency": code})
