"""What every page starts with: its title, the period it shows, the drill path."""

from __future__ import annotations

import streamlit as st

from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.present.i18n import dim_label, fmt_range, t
from ui import cached, state
from ui.plain import md_escape


def header(title_key: str) -> tuple[str, Filters, Store]:
    """Draw the title and period caption; return (language, filters, store)."""
    L, f = state.lang(), state.filters()
    st.title(t(title_key, L))
    st.caption(fmt_range(f.date_from, f.date_to, L))
    return L, f, cached.store()


def drill_text(L: str) -> str | None:
    """'Drilled into: Touchpoint: delivery › Region: West' (escaped), or None."""
    path = state.drill_path()
    if not path:
        return None
    crumbs = " › ".join(f"{dim_label(d, L)}: {', '.join(v)}" for d, v in path)
    return f"**{t('drill_path', L)}:** " + md_escape(crumbs)
