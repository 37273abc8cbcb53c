"""Theme editor: define a theme by example sentences (Dutch or English) and,
optionally, a rule; see what it catches and what it loses before saving;
save for this dataset only (re-tagged at once); mark the sentences it catches
right or wrong (or missed) and see its precision (issue 27)."""

import streamlit as st

from nps_core.base.i18n import t
from nps_core.db.errors import StoreError
from nps_core.text import taxonomy
from nps_core.views import theme_editor
from ui import auth, cached, page
from ui import theme_editor as draw
from ui.plain import md_values

NEW = draw.NEW
FIELDS = ("key", "nl", "en", "pattern", "examples")

L, f, store = page.header("edit_themes")
auth.require("edit_themes", L)
dataset = f.dataset
current = cached.read(taxonomy.current, store, dataset)
by_key = {th["key"]: th for th in current["themes"]}

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
try:
    v = cached.view(theme_editor.build, store, dataset, candidate, pick or None)
except StoreError as exc:
    st.warning(t("te_invalid", L, **md_values(reason=exc)))
    v = None
if v is not None and v.preview is None:
    st.info(t("te_start", L))
elif v is not None:
    draw.preview(v.preview, pick, L)
    draw.actions(store, dataset, current, candidate, pick, L)
    draw.mark_sentences(v, store, dataset, pick, L)
draw.all_themes(current, L)
