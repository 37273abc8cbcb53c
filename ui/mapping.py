"""The column-mapping screen shared by the Upload and Connect pages: one select
box per field of the canonical record, pre-set to the guessed column."""

from __future__ import annotations

import streamlit as st

from nps_core.i18n import TEXT, t
from nps_core.store import CANONICAL
from ui import state

NONE = ""  # the field has no column


def editor(headers: list[str], mapping: dict[str, str], key: str, L: str) -> dict[str, str]:
    """field -> chosen column (NONE for none); `key` tells one file or table from another."""
    options = [NONE, *headers]
    chosen = {}
    cols = st.columns(3)
    for i, field in enumerate(CANONICAL):
        current = mapping.get(field, NONE)
        label = t(f"field_{field}", L) if f"field_{field}" in TEXT else state.dim_label(field, L)
        chosen[field] = cols[i % 3].selectbox(
            label, options, index=options.index(current), key=f"map_{field}_{key}",
            format_func=lambda h: t("not_in_file", L) if h == NONE else h,
        )
    return chosen


def changed(chosen: dict[str, str], mapping: dict[str, str]) -> bool:
    """Whether the user corrected the guess (the page then re-reads with it)."""
    return chosen != {f: mapping.get(f, NONE) for f in CANONICAL}
