"""The Follow-up page's drawing (pages/followup.py reads its view, views/followup.py,
and calls these): the closed-loop figures, last week's spikes, the cases to call
back, the promoters to thank and the alert rules. Customer text (comments,
names, notes) is shown as plain text: st.text, st.dataframe, or escaped."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.base.access import AccessDenied
from nps_core.base.filenames import download_stem
from nps_core.base.i18n import (
    LANGUAGES,
    dim_label,
    fmt_datetime,
    fmt_decimal,
    fmt_int,
    rule_label,
    t,
    t_count,
)
from nps_core.base.metrics import category
from nps_core.db.schema import NPS_TYPES
from nps_core.followup import alerts, channels, loop, spikes, thank
from nps_core.followup.loop import OPEN, STATUSES
from nps_core.text import taxonomy
from nps_core.views.followup import FollowupView
from ui import auth, cached, tables
from ui.downloads import spreadsheet_buttons
from ui.plain import md_escape


def who() -> str:
    """Who makes a change: the signed-in identity; without sign-in, the name typed in."""
    if auth.signed_in():
        return auth.current().identity
    return st.session_state.get("fu_who", "").strip()  # a callback runs before the script reads the widget


def figures(v: FollowupView, L: str) -> None:
    for column, line in zip(st.columns(4), loop.loop_lines(v.figures, L)):
        column.metric(line["label"], line["value"], help=line["help"])
        column.caption(line["caption"])


def spike_list(v: FollowupView, L: str) -> None:
    """Themes mentioned far more, and segments scoring far lower, last week than
    in the weeks before (followup/spikes.py); the same spikes `alerts --spikes` sends."""
    st.subheader(t("spikes_title", L))
    s = v.spikes
    if s is None:
        st.caption(t("spikes_unavailable", L))
        return
    st.caption(t("spikes_caption", L, week=s.week, period=s.period, weeks=spikes.BASELINE_WEEKS, tested=s.tested))
    if s.rows.empty:
        st.info(t("spikes_none", L))
        return
    st.dataframe(s.rows.rename(columns={"kind": t("spike_kind", L), "subject": t("spike_subject", L),
                                        "now": t("spike_value", L), "baseline": t("spike_baseline", L)}),
                 hide_index=True, width="stretch")


def _save_case(dataset: str, response_id: str, L: str) -> None:
    """Form callback: append the change to the case's history."""
    key = f"{dataset}:{response_id}"
    by = who()
    if not by:
        st.session_state["fu_flash"] = ("warning", t("fu_who_missing", L))
        return
    try:  # the engine checks the role of the person now: a callback is no way around it
        loop.update_case(cached.store(), dataset, response_id, st.session_state["st:" + key],
                         st.session_state["ow:" + key], st.session_state["no:" + key], by,
                         root_cause=st.session_state["rc:" + key])
    except AccessDenied as exc:
        st.session_state["fu_flash"] = ("error", t("denied", L, error=str(exc)))
        return
    except ValueError:  # closing without a root cause: the form says what is missing
        st.session_state["fu_flash"] = ("warning", t("fu_root_cause_missing", L))
        return
    st.session_state["no:" + key] = ""
    st.session_state["fu_flash"] = ("success", t("fu_saved", L))


def cases_tab(v: FollowupView, f: Filters, L: str) -> None:
    st.multiselect(t("fu_status_filter", L), STATUSES, default=list(OPEN), key="fu_statuses",
                   format_func=lambda s: t("status_" + s, L))  # read by the page before its view
    counts = v.counts
    st.markdown(t("fu_case_count", L, n=fmt_int(sum(counts[s] for s in STATUSES), L),
                  **{s: fmt_int(counts[s], L) for s in STATUSES}))
    if counts["overdue"]:
        st.warning(t("fu_overdue_count", L, n=fmt_int(counts["overdue"], L)))
    if v.pages > 1:
        st.columns([1, 4])[0].number_input(t("page", L), min_value=1, max_value=v.pages, key="fu_page")
    if v.cases.empty:
        st.info(t("fu_no_cases", L))
    keys = [th["key"] for th in v.taxonomy["themes"]]
    for row in v.cases.itertuples(index=False):
        key = f"{f.dataset}:{row.response_id}"
        cat = category(int(row.score))
        context = [fmt_datetime(row.responded_at, L),
                   *([f"{t('customer_id', L)} {row.customer_id}"] if isinstance(row.customer_id, str) and row.customer_id
                     else []),
                   *(str(v) for v in (row.touchpoint, row.agent) if isinstance(v, str) and v),
                   f"{t('fu_rule_fired', L)}: {', '.join(rule_label(r, L) for r in row.rules)}"]
        with st.container(border=True):
            left, right = st.columns([3, 2])
            left.markdown(f":{tables.BADGE[cat]}-badge[{t(cat, L)} · {int(row.score)}] " + md_escape(" · ".join(context)))
            with left:
                tables.comment_text(row.comment, L)  # a long review: its first sentences, the rest under "more"
            left.markdown(t("fu_state", L, status=t("status_" + row.status, L),
                            owner=md_escape(row.owner) if isinstance(row.owner, str) else "–"))
            if row.overdue:
                left.markdown(":red-badge[:material/alarm: " + t("fu_overdue", L, deadline=fmt_datetime(row.deadline, L))
                              + "]")
            elif row.status == "new":
                left.caption(t("fu_due_by", L, deadline=fmt_datetime(row.deadline, L)))
            if row.reopened:
                left.markdown(":orange-badge[:material/replay: " + t("fu_reopened", L) + "]")
            if isinstance(row.root_cause, str):
                left.caption(t("fu_root_cause", L) + ": " + md_escape(taxonomy.label(v.taxonomy, row.root_cause, L)))
            hist = v.histories[row.response_id]
            if not hist.empty:
                with left.expander(t("fu_history", L, n=len(hist))):
                    st.dataframe(pd.DataFrame({
                        t("fu_when", L): [fmt_datetime(v, L) for v in hist["changed_at"]],
                        t("fu_by", L): hist["changed_by"],
                        t("fu_status_filter", L): [t("status_" + s, L) for s in hist["status"]],
                        t("fu_owner", L): hist["owner"],
                        t("fu_note", L): hist["note"],
                        t("fu_root_cause", L): [taxonomy.label(v.taxonomy, k, L) if isinstance(k, str) else ""
                                                for k in hist["root_cause"]],
                    }), hide_index=True, width="stretch")
            if not auth.may("case_change"):
                continue
            with right.form(key=f"form:{key}", border=False):
                c_owner, c_status = st.columns(2)
                c_owner.text_input(t("fu_owner", L), value=row.owner if isinstance(row.owner, str) else "",
                                   key="ow:" + key)
                c_status.selectbox(t("fu_status_filter", L), STATUSES, index=STATUSES.index(row.status),
                                   key="st:" + key, format_func=lambda s: t("status_" + s, L))
                st.text_input(t("fu_note", L), key="no:" + key)
                st.selectbox(t("fu_root_cause", L), [None, *keys], key="rc:" + key,
                             index=[None, *keys].index(row.root_cause) if row.root_cause in keys else 0,
                             format_func=lambda k: t("fu_root_cause_pick", L) if k is None else taxonomy.label(v.taxonomy, k, L),
                             help=t("fu_root_cause_help", L))
                st.form_submit_button(t("fu_save", L), key="save:" + key, on_click=_save_case, kwargs={"L": L},
                                      args=(f.dataset, row.response_id))


def thank_tab(v: FollowupView, f: Filters, store, L: str) -> None:
    st.caption(t("fu_thank_help", L))
    show_thanked = st.toggle(t("fu_show_thanked", L), key="fu_show_thanked")  # read by the page before its view
    n_thank = v.promoter_count
    st.markdown(t("fu_thank_count", L, n=fmt_int(n_thank, L)))
    listing = v.promoters
    if listing.empty:
        st.info(t("fu_no_promoters", L))
    else:
        st.dataframe(pd.DataFrame({
            t("alert_when", L): [fmt_datetime(x, L) for x in listing["responded_at"]],
            t("customer_id", L): listing["customer_id"],
            t("score", L): listing["score"],
            t("alert_comment", L): listing["comment"].fillna(""),  # st.dataframe shows cells as plain text
            t("dim_touchpoint", L): listing["touchpoint"].fillna(""),
            t("fu_thanked_at", L): [fmt_datetime(x, L) if pd.notna(x) else "" for x in listing["thanked_at"]],
        }), hide_index=True, width="stretch")
        name = download_stem("promoters", f.dataset, f.date_from, f.date_to)
        d1, d2, d3 = st.columns([1, 1, 2])
        if auth.may("export_comments"):
            spreadsheet_buttons(d1, d2, lambda fmt, lang: loop.export_promoters(store, f, fmt, show_thanked, lang),
                                name, L)
        if n_thank and auth.may("thank") and d3.button(t("fu_mark_thanked", L, n=fmt_int(n_thank, L)), key="fu_mark"):
            if not who():
                st.warning(t("fu_who_missing", L))
            else:
                st.session_state["fu_thanked"] = loop.mark_thanked(store, f, who())
                st.rerun()
    if "fu_thanked" in st.session_state:
        st.success(t_count("fu_marked", st.session_state.pop("fu_thanked"), L))

    # thank-you e-mails: what the scheduled `thank --send` sends, and its settings
    st.subheader(t("th_email", L))
    st.markdown(t("th_intro", L))
    preview = v.preview
    st.markdown(f"**{t('th_preview', L)}**")
    if not preview:
        st.info(t("th_nothing", L))
    for m in preview:
        with st.container(border=True):
            st.caption(md_escape(f"{t('th_to', L)} {m['to']} · {m['lang'].upper()} · "
                                 f"{fmt_datetime(pd.Timestamp(m['responded_at']), L)}"))
            st.text(m["subject"])  # the customer's name is data: shown as plain text
            st.text(m["body"])
    if auth.may("notification_settings"):
        tmpl_lang = st.radio(t("th_template", L), LANGUAGES, key="th_lang", horizontal=True, format_func=str.upper)
        subject, body = v.templates[tmpl_lang]
        st.caption(t("th_placeholders", L))
        new_subject = st.text_input(t("th_subject", L), subject, key=f"th_subject_{tmpl_lang}")
        new_body = st.text_area(t("th_body", L), body, key=f"th_body_{tmpl_lang}", height=220)
        c_cap, c_opt = st.columns([1, 2])
        cap = c_cap.number_input(t("th_cap", L), min_value=0, value=v.daily_cap, step=10, key="th_cap")
        opt = c_opt.text_area(t("th_optout", L), "\n".join(v.optouts), key="th_optout", height=120)
        if st.button(t("fu_save", L), key="th_save", type="primary"):
            try:
                thank.save_template(store, tmpl_lang, new_subject, new_body)
            except ValueError as exc:  # an unknown placeholder: say which
                st.error(md_escape(str(exc)))
            else:
                thank.set_daily_cap(store, int(cap))
                thank.set_optouts(store, opt.splitlines())
                st.session_state["fu_flash"] = ("success", t("fu_saved", L))
                st.rerun()


def _conditions(rule: alerts.Rule, tax: dict, L: str) -> str:
    parts = [t("fu_cond_score", L, lo=rule.score_min, hi=rule.score_max)]
    if rule.sentiment_max is not None:
        parts.append(t("fu_cond_sentiment", L, s=fmt_decimal(rule.sentiment_max, L, 2)))
    parts += [taxonomy.label(tax, k, L) for k in rule.themes] + [t(k, L) for k in rule.nps_types]
    parts += [f"{dim_label(d, L)}: {', '.join(v)}" for d, v in rule.dims]
    return " · ".join(parts)


def rules_tab(v: FollowupView, f: Filters, store, L: str) -> None:
    keys = [th["key"] for th in v.taxonomy["themes"]]
    st.caption(t("fu_rules_help", L))
    rules = v.rules
    cfg = channels.load_config()
    st.dataframe(pd.DataFrame({
        t("fu_rule_name", L): [rule_label(r.name, L) for r in rules],
        t("fu_conditions", L): [_conditions(r, v.taxonomy, L) for r in rules],
        t("fu_recipient", L).split(" (")[0]: [r.recipient for r in rules],
        t("fu_channel", L).split(":")[0]: [r.channel for r in rules],
        t("fu_configured", L): ["✔" if cfg.configured(r.channel) else "✖" for r in rules],
        t("fu_contact_hours", L): [r.contact_hours for r in rules],
        t("fu_escalate_to", L).split(" (")[0]: [r.escalate_to or "–" for r in rules],
        t("fu_active", L): ["✔" if r.active else "" for r in rules],
    }), hide_index=True, width="stretch")

    if not auth.may("alert_rule"):
        return
    by_id = {r.rule_id: r for r in rules}
    chosen = st.selectbox(t("fu_rule", L), [None, *by_id], key="fu_rule_pick",
                          format_func=lambda i: t("fu_new_rule", L) if i is None else rule_label(by_id[i].name, L))
    rule = by_id.get(chosen) or alerts.Rule(name="", recipient="", channel="webhook", score_min=0, score_max=6)
    k = f"r{chosen}:"  # widget keys per rule, so picking another rule shows its values
    c1, c2 = st.columns(2)
    name = c1.text_input(t("fu_rule_name", L), rule.name, key=k + "name")
    lo, hi = c1.slider(t("fu_score_range", L), 0, 10, (rule.score_min, rule.score_max), key=k + "score")
    use_sentiment = c1.checkbox(t("fu_use_sentiment", L), rule.sentiment_max is not None, key=k + "use_s")
    sentiment = c1.slider(t("fu_sentiment_max", L), -1.0, 0.0, rule.sentiment_max if use_sentiment and
                          rule.sentiment_max is not None else -0.5, 0.05, key=k + "sent", disabled=not use_sentiment)
    themes = c2.multiselect(t("fu_themes", L), list(dict.fromkeys([*keys, *rule.themes])), list(rule.themes),
                            key=k + "themes", format_func=lambda key: taxonomy.label(v.taxonomy, key, L),
                            placeholder=t("all", L))
    types = c2.multiselect(t("fu_types", L), NPS_TYPES, list(rule.nps_types), key=k + "types",
                           format_func=lambda key: t(key, L), placeholder=t("all_types", L))
    dims_available = list(v.dimensions)
    current_dim = rule.dims[0] if rule.dims else (None, ())
    dim = c2.selectbox(t("fu_dimension", L), [None, *dims_available],
                       index=([None, *dims_available].index(current_dim[0]) if current_dim[0] in dims_available else 0),
                       key=k + "dim", format_func=lambda d: t("fu_none", L) if d is None else dim_label(d, L))
    values = []
    if dim:
        options = cached.read(aggregates.dimension_values, store, Filters(dataset=f.dataset), dim)
        values = c2.multiselect(t("fu_values", L), options, [v for v in current_dim[1] if v in options],
                                key=k + "values" + dim)
    recipient = c1.text_input(t("fu_recipient", L), rule.recipient, key=k + "recipient")
    channel = c2.text_input(t("fu_channel", L), rule.channel, key=k + "channel")
    hours = c1.number_input(t("fu_contact_hours", L), 1, 24 * 90, int(rule.contact_hours), key=k + "hours")
    escalate_to = c2.text_input(t("fu_escalate_to", L), rule.escalate_to or "", key=k + "escalate")
    active = c1.checkbox(t("fu_active", L), rule.active, key=k + "active")
    if st.button(t("fu_save", L), key="fu_rule_save", type="primary"):
        edited = alerts.Rule(
            name=name, recipient=recipient, channel=channel, score_min=lo, score_max=hi,
            sentiment_max=sentiment if use_sentiment else None, themes=tuple(themes), nps_types=tuple(types),
            dims=((dim, tuple(values)),) if dim else (), dataset=rule.dataset, active=active, rule_id=rule.rule_id,
            contact_hours=int(hours), escalate_to=escalate_to)
        try:
            alerts.save_rule(store, edited, f.dataset)
        except ValueError as exc:  # a sentence about the field, not a traceback
            st.error(md_escape(exc))
        else:
            st.session_state["fu_flash"] = ("success", t("fu_saved", L))
            st.rerun()
