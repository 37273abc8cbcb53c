"""The column-mapping screen shared by the Upload and Connect pages: one select
box per field of the canonical record, pre-set to the guessed column."""

from __future__ import annotations

import streamlit as st

from nps_core.db.schema import CANONICAL, NPS_TYPES
from nps_core.ingest.dates import ORDERS
from nps_core.present.i18n import TEXT, dim_label, t

NONE = ""  # the field has no column


def editor(headers: list[str], mapping: dict[str, str], key: str, L: str) -> dict[str, str]:
    """field -> chosen column (NONE for none); `key` tells one file or table from another."""
    options = [NONE, *headers]
    chosen = {}
    cols = st.columns(3)
    for i, field in enumerate(CANONICAL):
        current = mapping.get(field, NONE)
        label = t(f"field_{field}", L) if f"field_{field}" in TEXT else dim_label(field, L)
        chosen[field] = cols[i % 3].selectbox(
            label, options, index=options.index(current), key=f"map_{field}_{key}",
            format_func=lambda h: t("not_in_file", L) if h == NONE else h,
        )
    return chosen


def type_and_order(chosen: dict[str, str], column, key: str, L: str) -> str | None:
    """The programme type for rows without one (required when no column holds
    it: never guessed) and the date order, drawn in `column`s 1 and 2 with
    widget keys prefixed by `key`. Returns the chosen type (NONE: from the column)."""
    type_options = ([NONE] if chosen["nps_type"] else []) + list(NPS_TYPES)
    nps_type = column[0].selectbox(
        t("type_for_upload", L) if not chosen["nps_type"] else t("type_for_empty", L), type_options,
        index=0 if chosen["nps_type"] else None, placeholder=t("choose", L),
        key=f"{key}_type_{bool(chosen['nps_type'])}",
        format_func=lambda x: t("from_column", L) if x == NONE else t(x, L),
    )
    column[1].selectbox(t("date_order", L), ORDERS, key=f"{key}_date_order",
                        format_func=lambda o: t(f"order_{o}", L))
    return nps_type


def changed(chosen: dict[str, str], mapping: dict[str, str]) -> bool:
    """Whether the user corrected the guess (the page then re-reads with it)."""
    return chosen != {f: mapping.get(f, NONE) for f in CANONICAL}
