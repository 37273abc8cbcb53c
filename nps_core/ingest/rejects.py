"""An import's rejected rows: kept in the store's `rejects` table (each with
its reason and the row as read) and written as a CSV the user downloads
(importer.store_raw, inside the import's transaction: nothing is dropped
silently, and a file that cannot be written undoes the import)."""

from __future__ import annotations

from pathlib import Path

from nps_core.base.filenames import file_stem
from nps_core.base.safe_export import safe_text_sql, write_csv


def counted(con) -> dict[str, int]:
    """Rows per reject reason of the staged file, most frequent first."""
    return {k: int(v) for k, v in con.execute(
        "SELECT reason, count(*) FROM memory.main.staged WHERE reason IS NOT NULL "
        "GROUP BY reason ORDER BY count(*) DESC, reason").fetchall()}


def keep(con, import_id: int) -> None:
    """Every rejected row of the staged file into the store's `rejects` table."""
    con.execute(
        """INSERT INTO rejects
           SELECT ?, s._row, s.reason, to_json(r)::JSON
           FROM memory.main.staged s JOIN memory.main.raw r USING (_row)
           WHERE s.reason IS NOT NULL""",
        [import_id],
    )


def file_for(folder: Path, dataset: str, import_id: int) -> str:
    """Where an import's rejects CSV goes (the folder is made)."""
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"{file_stem(dataset)}-import{import_id}-rejects.csv")


def write(con, headers: list[str], path: str) -> None:
    """The rejected rows as the file had them, with their row number and
    reason, formula-safe for spreadsheets."""
    cols = ", ".join(safe_text_sql(h, "r") for h in headers)
    write_csv(
        con,
        f"SELECT r._row AS row_number, s.reason AS reject_reason, {cols} "
        "FROM memory.main.raw r JOIN memory.main.staged s USING (_row) "
        "WHERE s.reason IS NOT NULL ORDER BY r._row",
        [],
        path,
    )
