"""The pair of buttons that download a selection for a spreadsheet: CSV with
the separators Excel in the visitor's language expects, and Excel itself."""

from __future__ import annotations

from typing import Callable

from nps_core.base.i18n import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_buttons(csv_col, xlsx_col, make: Callable[[str, str], bytes], name: str, L: str) -> None:
    """`make(fmt, lang)` builds the file only when its button is clicked."""
    csv_col.download_button(t("download_csv", L), lambda: make("csv", L), file_name=f"{name}.csv", mime="text/csv",
                            icon=":material/download:", on_click="ignore", help=t("download_csv_help", L))
    xlsx_col.download_button(t("download_xlsx", L), lambda: make("xlsx", L), file_name=f"{name}.xlsx", mime=XLSX,
                             icon=":material/download:", on_click="ignore")
