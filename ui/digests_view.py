"""The Digests page's drawing (pages/digests.py reads its view, views/digests.py):
the subscriptions, the editor of one, what the next run sends and what was sent.
Addresses and segment values are data: shown in st.dataframe cells (plain text)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import LANGUAGES, dim_label, fmt_datetime, fmt_nps, t
from nps_core.db.errors import StoreError
from nps_core.db.schema import NPS_TYPES
from nps_core.report import digest
from nps_core.views.digests import DigestsView
from ui import cached
from ui.plain import md_escape


def _scope(sub: digest.Subscription, L: str) -> str:
    parts = [sub.dataset or t("dg_default_dataset", L)]
    parts.append(", ".join(t(x, L) for x in sub.nps_types) or t("all_types", L))
    parts += [f"{dim_label(d, L)}: {', '.join(v)}" for d, v in sub.dims]
    return " · ".join(parts)


def subscriptions(v: DigestsView, L: str) -> None:
    subs, last = v.subscriptions, v.last_sent
    st.subheader(t("dg_subscriptions", L))
    if not subs:
        st.info(t("dg_none", L))
    else:
        st.dataframe(pd.DataFrame({  # st.dataframe shows every cell as plain text
            t("dg_recipient", L): [s.recipient for s in subs],
            t("dg_frequency", L): [t("freq_" + s.frequency, L) for s in subs],
            t("language", L): [s.lang.upper() for s in subs],
            t("dg_scope", L): [_scope(s, L) for s in subs],
            t("dg_pdf", L): ["✔" if s.attach_pdf else "" for s in subs],
            t("fu_active", L): ["✔" if s.active else "" for s in subs],
            t("dg_last", L): [last.get(f"digest {s.sub_id}", "–") for s in subs],
        }), hide_index=True, width="stretch")


def editor(v: DigestsView, f: Filters, store, L: str) -> None:
    """Pick a subscription (or a new one), edit and save it."""
    subs = v.subscriptions
    by_id = {s.sub_id: s for s in subs}
    chosen = st.selectbox(t("dg_pick", L), [None, *by_id], key="dg_pick",
                          format_func=lambda i: t("dg_new", L) if i is None else f"{by_id[i].recipient} · "
                          f"{t('freq_' + by_id[i].frequency, L)}")
    sub = by_id.get(chosen) or digest.Subscription(recipient="", dataset=f.dataset, lang=L)
    k = f"dg{chosen}:"  # widget keys per subscription, so picking another shows its values
    c1, c2 = st.columns(2)
    recipient = c1.text_input(t("dg_recipient", L), sub.recipient, key=k + "to")
    frequency = c1.radio(t("dg_frequency", L), list(digest.FREQUENCIES), list(digest.FREQUENCIES).index(sub.frequency),
                         key=k + "freq", horizontal=True, format_func=lambda x: t("freq_" + x, L))
    lang = c1.radio(t("language", L), LANGUAGES, LANGUAGES.index(sub.lang), key=k + "lang", horizontal=True,
                    format_func=str.upper)
    attach = c1.checkbox(t("dg_pdf", L), sub.attach_pdf, key=k + "pdf")
    active = c1.checkbox(t("fu_active", L), sub.active, key=k + "active")
    dataset = sub.dataset or f.dataset
    c2.text_input(t("dataset", L), dataset, key=k + "dataset", disabled=True, help=t("dg_dataset_help", L))
    types = c2.multiselect(t("programme_type", L), NPS_TYPES, list(sub.nps_types), key=k + "types",
                           format_func=lambda x: t(x, L), placeholder=t("all_types", L))
    dims_available = list(v.dimensions) if dataset == f.dataset else cached.read(aggregates.dimensions, store, dataset)
    current_dim = sub.dims[0] if sub.dims else (None, ())
    dim = c2.selectbox(t("fu_dimension", L), [None, *dims_available],
                       index=[None, *dims_available].index(current_dim[0]) if current_dim[0] in dims_available else 0,
                       key=k + "dim", format_func=lambda d: t("fu_none", L) if d is None else dim_label(d, L))
    values = []
    if dim:
        options = cached.read(aggregates.dimension_values, store, Filters(dataset=dataset), dim)
        values = c2.multiselect(t("fu_values", L), options, [v for v in current_dim[1] if v in options],
                                key=k + "values" + dim)
    if st.button(t("fu_save", L), key="dg_save", type="primary"):
        try:
            digest.save_subscription(store, digest.Subscription(
                recipient=recipient, frequency=frequency, lang=lang, dataset=dataset, nps_types=tuple(types),
                dims=((dim, tuple(values)),) if dim else (), attach_pdf=attach, active=active, sub_id=sub.sub_id))
        except (ValueError, StoreError) as exc:  # a sentence about the field, not a traceback
            st.error(md_escape(str(exc)))
        else:
            st.session_state["dg_flash"] = t("fu_saved", L)
            st.rerun()


def due_table(v: DigestsView, L: str) -> None:
    st.subheader(t("dg_due", L))
    due = v.due
    if not due:
        st.info(t("dg_nothing_due", L))
    else:
        st.dataframe(pd.DataFrame({
            t("dg_recipient", L): [d["recipient"] for d in due],
            t("dg_frequency", L): [t("freq_" + d["frequency"], L) for d in due],
            t("period", L): [d["period"] for d in due],
            t("responses", L): [d["n"] for d in due],
            "NPS": [fmt_nps(d["nps"], L) if d["nps"] is not None else "–" for d in due],
            t("dg_pdf", L): ["✔" if d["pdf"] else "" for d in due],
        }), hide_index=True, width="stretch")


def sent_table(v: DigestsView, L: str) -> None:
    sent = v.sent
    st.subheader(t("dg_sent", L))
    if sent.empty:
        st.info(t("dg_none_sent", L))
    else:
        st.dataframe(pd.DataFrame({
            t("fu_when", L): [fmt_datetime(v, L) for v in sent["created_at"]],
            t("dg_recipient", L): sent["channel"],
            t("period", L): sent["response_id"],
            t("fu_status_filter", L): [t("msg_" + s, L) for s in sent["status"]],
            t("dg_attempts", L): sent["attempts"],
            t("dg_error", L): sent["last_error"].fillna(""),
        }), hide_index=True, width="stretch")
