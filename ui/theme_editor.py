"""The theme editor's drawing (pages/theme_editor.py): what the edited theme
catches and loses, the buttons that save it, the sentences to mark, and the
list of themes. Customer sentences are drawn with st.text, never as Markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_int, fmt_pct, t
from nps_core.db.errors import StoreError
from nps_core.text import marks, taxonomy
from nps_core.text.excerpt import excerpt
from nps_core.views.theme_editor import EditorView
from ui.errors import attempted
from ui.plain import md_escape, md_values

NEW = ""


def preview(p: dict, pick: str, L: str) -> None:
    """Caught, gained and lost, each with example comments."""
    m1, m2, m3 = st.columns(3)
    m1.metric(t("te_caught", L), fmt_int(p["caught"], L), help=t("te_of_comments", L, n=fmt_int(p["comments"], L)))
    m2.metric(t("te_gained", L), fmt_int(p["gained"], L))
    m3.metric(t("te_lost", L), fmt_int(p["lost"], L))
    rows = [("caught", "uncaught"), ("gained", "lost")] if pick else [("caught", "uncaught")]
    for row in rows:
        if not any(p[f"{kind}_examples"] for kind in row):
            continue  # an edit that changes nothing needs no empty boxes
        for column, kind in zip(st.columns(2), row):
            with column:
                st.markdown(f"**{t('te_examples_' + kind, L)}**")
                for comment in p[f"{kind}_examples"]:
                    with st.container(border=True):
                        st.text(excerpt(comment))  # customer text: never Markdown; a long review's start
                        if comment in p["why"]:
                            st.caption(t("te_caught_by", L, sentence=md_escape(p["why"][comment])))


def _after(message: str, pick_next: str) -> None:
    st.session_state["te_flash"] = message
    st.session_state["te_pick_next"] = pick_next
    st.rerun()


def actions(store, dataset: str, current: dict, candidate: dict, pick: str, L: str) -> None:
    """Save (and re-tag), delete the theme, or go back to the default themes."""
    themes = current["themes"]
    edited = [candidate if th["key"] == candidate["key"] else th for th in themes]
    if candidate["key"] not in {th["key"] for th in themes}:
        edited.append(candidate)
    b1, b2, b3 = st.columns(3)
    if b1.button(t("te_save", L), type="primary", icon=":material/save:"):
        try:
            out = taxonomy.save(store, dataset, edited)
        except StoreError as exc:
            st.warning(t("te_invalid", L, **md_values(reason=exc)))
        else:
            _after(t("te_saved", L, comments=fmt_int(out["comments"], L), seconds=out["seconds"]), candidate["key"])
    if pick and b2.button(t("te_delete", L), icon=":material/delete:"):
        taxonomy.save(store, dataset, [th for th in themes if th["key"] != pick])
        _after(t("te_deleted", L), NEW)
    if current["custom"] and b3.button(t("te_reset", L), icon=":material/restart_alt:"):
        taxonomy.reset(store, dataset)
        _after(t("te_reset_done", L), NEW)


def precision_line(p: dict | None, L: str) -> None:
    """The theme's estimated precision from the marks (marks.theme_precision)."""
    if p is None:
        st.caption(t("te_marks_none", L))
        return
    st.markdown(t("mark_learning", L, right=p["right"], wrong=p["wrong"], missed=p["missed"]))
    if p["precision"] is not None:
        st.markdown(t("mark_precision", L, share=f"**{fmt_pct(p['precision'], L)}**",
                      n=fmt_int(p["right"] + p["wrong"] + p["missed"], L)))
    elif p["checked"] is not None:
        st.caption(t("te_checked", L, share=fmt_pct(p["checked"], L)))


def _mark(store, dataset: str, theme: str, sentence: str, verdict: str, L: str) -> None:
    out = attempted(L, marks.add_mark, store, dataset, theme, sentence, verdict)  # the store knows who marks
    if out is None:
        return
    _after(t("te_mark_done", L, comments=fmt_int(out["comments"], L)), theme)


def mark_sentences(v: EditorView, store, dataset: str, pick: str, L: str) -> None:
    """The sentences the theme catches (Right / Wrong) and those close to it
    it does not catch (Missed), each with the mark that counts, and its precision."""
    st.subheader(t("te_marks", L))
    if not pick:
        st.caption(t("te_marks_new", L))
        return
    st.caption(t("te_marks_help", L))
    precision_line(v.precision, L)
    caught, near = st.columns(2)
    for column, kind, verdicts in ((caught, "caught", ("right", "wrong")), (near, "near", ("missed",))):
        with column:
            st.markdown(f"**{t('te_would_catch' if kind == 'caught' else 'te_near', L)}**")
            for s in v.sentences[kind]:
                with st.container(border=True):
                    st.text(s["sentence"])
                    if s["verdict"]:
                        st.caption(t("te_marked_as", L, verdict=t("mark_" + s["verdict"], L)))
                    for button, verdict in zip(st.columns(len(verdicts)), verdicts):
                        if button.button(t("mark_" + verdict, L), key=f"mark_{verdict}_{s['sentence_key']}",
                                         disabled=s["verdict"] == verdict):
                            _mark(store, dataset, pick, s["sentence"], verdict, L)


def all_themes(current: dict, L: str) -> None:
    st.subheader(t("te_all", L))
    themes = current["themes"]
    st.dataframe(pd.DataFrame({
        t("te_pick", L): [taxonomy.label(current, th["key"], L) for th in themes],
        "key": [th["key"] for th in themes],
        t("te_examples_n", L): [len(th.get("examples", [])) for th in themes],
        t("te_rule", L): [th.get("pattern", "") for th in themes],
    }), hide_index=True, width="stretch")
