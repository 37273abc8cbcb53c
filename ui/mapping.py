"""The column-mapping screen shared by the Upload and Connect pages: one select
box per field of the canonical record, pre-set to the guessed column."""

from __future__ import annotations

import streamlit as st

from nps_core.base.i18n import TEXT, dim_label, t
from nps_core.db.schema import CANONICAL, NPS_TYPES
from nps_core.ingest.dates import ORDERS
from nps_core.ingest.mapping import Guess, column_summary, explanation
from ui.plain import md_escape

NONE = ""  # the field has no column


def field_label(field: str, L: str) -> str:
    return t(f"field_{field}", L) if f"field_{field}" in TEXT else dim_label(field, L)


def editor(headers: list[str], mapping: dict[str, str], key: str, L: str, guess: Guess | None = None,
           remembered: dict | None = None, disagrees: int | None = None) -> dict[str, str]:
    """field -> chosen column (NONE for none); `key` tells one file or table from another.

    With the `guess`, each field shows why its column was chosen, and every
    column in the pickers says what it holds (what another pick would give)."""
    options = [NONE, *headers]
    summaries = {h: column_summary(p, L) for h, p in guess.profiles.items()} if guess else {}
    why = explanation(guess, mapping, remembered, L) if guess else {}
    if guess:
        for fieldname, cols in guess.undecided.items():
            if not set(cols) & set(mapping.values()):
                st.warning(md_escape(guess.undecided_text(fieldname, L)), icon=":material/help:")
    chosen = {}
    for i, field in enumerate(CANONICAL):
        if i % 3 == 0:  # a row of three, so each field's evidence stays under its own box
            cols = st.columns(3)
        current = mapping.get(field, NONE)
        label = field_label(field, L)
        chosen[field] = cols[i % 3].selectbox(
            label, options, index=options.index(current), key=f"map_{field}_{key}",
            format_func=lambda h: t("not_in_file", L) if h == NONE else f"{h} · {summaries[h]}" if h in summaries else h,
        )
        if why.get(field):
            cols[i % 3].caption(md_escape("; ".join(why[field])))
    if guess and guess.category:
        st.info(md_escape(t("ev_category", L, column=guess.category, n=disagrees or 0)), icon=":material/rule:")
    return chosen


def type_and_order(chosen: dict[str, str], column, key: str, L: str, remembered: str | None = None) -> str | None:
    """The programme type for rows without one (required when no column holds
    it: never guessed, but the type `remembered` from the survey's last import
    is offered) and the date order, drawn in `column`s 1 and 2 with widget keys
    prefixed by `key`. Returns the chosen type (NONE: from the column)."""
    type_options = ([NONE] if chosen["nps_type"] else []) + list(NPS_TYPES)
    start = type_options.index(remembered) if remembered in type_options else 0 if chosen["nps_type"] else None
    nps_type = column[0].selectbox(
        t("type_for_upload", L) if not chosen["nps_type"] else t("type_for_empty", L), type_options,
        index=start, placeholder=t("choose", L),
        key=f"{key}_type_{bool(chosen['nps_type'])}",
        format_func=lambda x: t("from_column", L) if x == NONE else t(x, L),
    )
    column[1].selectbox(t("date_order", L), ORDERS, key=f"{key}_date_order",
                        format_func=lambda o: t(f"order_{o}", L))
    return nps_type


def changed(chosen: dict[str, str], mapping: dict[str, str]) -> bool:
    """Whether the user corrected the guess (the page then re-reads with it)."""
    return chosen != {f: mapping.get(f, NONE) for f in CANONICAL}
