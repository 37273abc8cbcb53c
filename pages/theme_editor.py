"""Theme editor: define a theme by example sentences (Dutch or English) and,
optionally, a rule; see what it catches and what it loses before saving;
save for this dataset only (re-tagged at once)."""

import pandas as pd
import streamlit as st

from nps_core.base.i18n import fmt_int, t
from nps_core.db.errors import StoreError
from nps_core.text import taxonomy
from nps_core.text.excerpt import excerpt
from ui import auth, cached, page
from ui.plain import md_escape, md_values

NEW = ""
FIELDS = ("key", "nl", "en", "pattern", "examples")

L, f, store = page.header("edit_themes")
auth.require("edit_themes", L)
dataset = f.dataset
current = cached.taxonomy_current(store, dataset)
themes = current["themes"]
by_key = {th["key"]: th for th in themes}

if current["custom"]:
    st.markdown(t("te_intro_custom", L, version=current["version"]))
else:
    st.markdown(t("te_intro_default", L, **md_values(dataset=dataset)))
if "te_flash" in st.session_state:
    st.success(st.session_state.pop("te_flash"))


def _load(theme: dict) -> None:
    for field in FIELDS:
        st.session_state[f"te_{field}"] = theme.get(field, "")
    st.session_state["te_examples"] = "\n".join(theme.get("examples", []))  # one sentence a line


if "te_pick_next" in st.session_state:  # after a save: widgets can only be set before they are drawn
    st.session_state["te_pick"] = st.session_state.pop("te_pick_next")
    st.session_state.pop("te_loaded", None)
draft = st.session_state.pop("theme_draft", None)  # from "make it a theme" on the Themes page
if draft:
    st.session_state["te_pick"] = NEW
    _load(draft)
elif st.session_state.get("te_loaded") != (dataset, st.session_state.get("te_pick", NEW)):
    _load(by_key.get(st.session_state.get("te_pick", NEW), {}))
pick = st.selectbox(t("te_pick", L), [NEW, *by_key], key="te_pick",
                    format_func=lambda k: taxonomy.label(current, k, L) if k else t("te_new", L),
                    on_change=lambda: _load(by_key.get(st.session_state["te_pick"], {})))
st.session_state["te_loaded"] = (dataset, pick)

c1, c2 = st.columns(2)
c1.text_input(t("te_label_nl", L), key="te_nl")
c2.text_input(t("te_label_en", L), key="te_en")
st.text_area(t("te_examples", L), key="te_examples", help=t("te_examples_help", L), height=170,
             placeholder=t("te_examples_placeholder", L))
with st.expander(t("te_advanced", L), icon=":material/tune:", expanded=bool(st.session_state.get("te_pattern"))):
    st.text_area(t("te_rule", L), key="te_pattern", help=t("te_rule_help", L), height=90)
    st.text_input(t("te_key", L), key="te_key", disabled=bool(pick), help=t("te_key_help", L))
candidate = {field: st.session_state[f"te_{field}"] for field in FIELDS}
candidate["examples"] = taxonomy.clean_examples(candidate["examples"])
# a new theme's key follows from its name unless one is given
candidate["key"] = pick or candidate["key"] or taxonomy.key_for(candidate["en"] or candidate["nl"] or "")

st.subheader(t("te_preview", L))
st.caption(t("te_how", L))
preview = None
if not (candidate["examples"] or candidate["pattern"]):
    st.info(t("te_start", L))
else:
    try:
        preview = cached.taxonomy_preview(store, dataset, candidate, pick or None)
    except StoreError as exc:
        st.warning(t("te_invalid", L, **md_values(reason=exc)))
if preview:
    m1, m2, m3 = st.columns(3)
    m1.metric(t("te_caught", L), fmt_int(preview["caught"], L),
              help=t("te_of_comments", L, n=fmt_int(preview["comments"], L)))
    m2.metric(t("te_gained", L), fmt_int(preview["gained"], L))
    m3.metric(t("te_lost", L), fmt_int(preview["lost"], L))
    rows = [("caught", "uncaught"), ("gained", "lost")] if pick else [("caught", "uncaught")]
    for row in rows:
        if not any(preview[f"{kind}_examples"] for kind in row):
            continue  # an edit that changes nothing needs no empty boxes
        for column, kind in zip(st.columns(2), row):
            with column:
                st.markdown(f"**{t('te_examples_' + kind, L)}**")
                for comment in preview[f"{kind}_examples"]:
                    with st.container(border=True):
                        st.text(excerpt(comment))  # customer text: never Markdown; a long review's start
                        if comment in preview["why"]:
                            st.caption(t("te_caught_by", L, sentence=md_escape(preview["why"][comment])))

    edited = [candidate if th["key"] == candidate["key"] else th for th in themes]
    if candidate["key"] not in by_key:
        edited.append(candidate)
    b1, b2, b3 = st.columns(3)
    if b1.button(t("te_save", L), type="primary", icon=":material/save:"):
        try:
            out = taxonomy.save(store, dataset, edited)
        except StoreError as exc:
            st.warning(t("te_invalid", L, **md_values(reason=exc)))
        else:
            st.session_state["te_flash"] = t("te_saved", L, comments=fmt_int(out["comments"], L),
                                             seconds=out["seconds"])
            st.session_state["te_pick_next"] = candidate["key"]
            st.rerun()
    if pick and b2.button(t("te_delete", L), icon=":material/delete:"):
        taxonomy.save(store, dataset, [th for th in themes if th["key"] != pick])
        st.session_state["te_flash"] = t("te_deleted", L)
        st.session_state["te_pick_next"] = NEW
        st.rerun()
    if current["custom"] and b3.button(t("te_reset", L), icon=":material/restart_alt:"):
        taxonomy.reset(store, dataset)
        st.session_state["te_flash"] = t("te_reset_done", L)
        st.session_state["te_pick_next"] = NEW
        st.rerun()

st.subheader(t("te_all", L))
st.dataframe(pd.DataFrame({
    t("te_pick", L): [taxonomy.label(current, th["key"], L) for th in themes],
    "key": [th["key"] for th in themes],
    t("te_examples_n", L): [len(th.get("examples", [])) for th in themes],
    t("te_rule", L): [th.get("pattern", "") for th in themes],
}), hide_index=True, width="stretch")
