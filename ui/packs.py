"""Theme starter packs on the pages: the pick (Upload page, Themes page) and
the fit check with its suggestion (Themes page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.analysis.filters import Filters
from nps_core.base.i18n import fmt_pct, t
from nps_core.db.store import Store
from nps_core.text import packs
from ui import auth
from ui.errors import attempted
from ui.plain import md_escape


def pack_select(container, L: str, key: str, default: str = packs.DEFAULT, **kwargs) -> str:
    """A selectbox of the starter packs, named in the language."""
    return container.selectbox(t("theme_pack", L), packs.PACKS, index=packs.PACKS.index(default), key=key,
                               format_func=lambda p: t(f"pack_{p}", L), **kwargs)


def fit_notice(fit: dict, L: str) -> None:
    """A warning when the dataset's themes fit poorly what discovery finds, with
    the suggestion, in one line (the Themes page's first screen)."""
    if not fit["warn"]:
        return
    line = t("fit_warning", L, caught=fmt_pct(fit["caught_share"], L), untagged=fmt_pct(fit["untagged_share"], L))
    suggestion = fit["suggestion"]
    if suggestion and suggestion["kind"] == "pack":
        best = next(p for p in fit["packs"] if p["pack"] == suggestion["pack"])
        line += " " + t("fit_suggest_pack", L, pack=t(f"pack_{best['pack']}", L), caught=fmt_pct(best["caught_share"], L))
    elif suggestion:
        line += " " + t("fit_suggest_discover", L)
    st.warning(line, icon=":material/warning:")


def fit_check(store: Store, f: Filters, L: str, pack: str | None, fit: dict) -> None:
    """The fit of the dataset's themes (fit.fit) to what discovery finds: the
    packs compared, and (for those who may edit themes) the pack switch."""
    caught = fmt_pct(fit["caught_share"], L)
    suggestion = fit["suggestion"]
    with st.expander(t("fit_title", L), icon=":material/rule:", expanded=bool(suggestion)):
        if not fit["warn"] and fit["caught_share"] is not None:
            st.markdown(t("fit_ok", L, caught=caught))
        if fit["missed_topics"]:
            st.caption(md_escape(t("fit_missed", L, topics="; ".join(m["label"] for m in fit["missed_topics"][:8]))))
        st.dataframe(pd.DataFrame({
            t("fit_pack", L): [t(f"pack_{p['pack']}", L) for p in fit["packs"]],
            t("fit_tagged", L): [fmt_pct(p["tagged_share"], L) for p in fit["packs"]],
            t("fit_caught", L): [fmt_pct(p["caught_share"], L) for p in fit["packs"]],
        }), hide_index=True, width="stretch")
        if not auth.may("edit_themes"):
            return
        st.caption(t("pack_change_help", L))
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        wanted = suggestion["pack"] if suggestion and suggestion["kind"] == "pack" else (pack or packs.DEFAULT)
        chosen = pack_select(c1, L, "pack_pick", wanted)
        if c2.button(t("pack_apply", L), key="pack_apply", disabled=chosen == pack, icon=":material/swap_horiz:"):
            if attempted(L, packs.apply, store, f.dataset, chosen) is None:
                return
            st.toast(t("pack_applied", L, pack=t(f"pack_{chosen}", L)))
            st.rerun()
