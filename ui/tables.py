"""Tables and text built from engine frames, formatted for the chosen language.

Customer text is shown through st.dataframe, which renders cells as plain
text: Markdown, HTML or scripts in a comment appear literally.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

import pandas as pd
import streamlit as st

from nps_core.base.i18n import (
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_nps,
    fmt_pct,
    fmt_verdict,
    t,
)
from nps_core.base.metrics import category
from nps_core.text.excerpt import highlight, quote
from ui.plain import md_escape


def segment_table(table: pd.DataFrame, L: str, title: str) -> pd.DataFrame:
    out = pd.DataFrame({
        title: table["key"],
        "n": [fmt_int(int(n), L) for n in table["n"]],
        "NPS": [fmt_nps(v, L) for v in table["nps"]],
        "±": [fmt_nps(v, L, signed=False) for v in table["moe"]],
    })
    if "delta" in table:
        out[t("change", L)] = [fmt_nps(v, L) if pd.notna(v) else "–" for v in table["delta"]]
        out[t("significant_col", L)] = [fmt_verdict(s, d, L) for s, d in zip(table["significant"], table["delta"])]
    out[t("small_marker", L)] = ["⚠ " + t("yes", L) if s else t("no", L) for s in table["small"]]
    return out


def dataset_table(rows: list[dict], default: str | None, L: str) -> pd.DataFrame:
    """datasets.list_datasets() for people: translated headers, dates in the
    language, the source as a file or source name only (never a server path)."""
    def day(text):
        return fmt_date(dt.date.fromisoformat(text), L) if text else "–"

    return pd.DataFrame({
        t("dataset", L): [r["name"] for r in rows],
        t("responses", L): [fmt_int(int(r["responses"]), L) for r in rows],
        t("ds_first", L): [day(r["first"]) for r in rows],
        t("ds_last", L): [day(r["last"]) for r in rows],
        t("ds_source", L): [PurePath(r["source"]).name if r["source"] else "–" for r in rows],
        t("ds_default", L): ["✔" if r["name"] == default else "" for r in rows],
    })


BADGE = {"promoter": "green", "passive": "orange", "detractor": "red"}
CONTEXT = ("touchpoint", "product", "channel", "region", "agent", "context")


def comment_text(comment, L: str, focus: str | None = None) -> None:
    """A comment as plain text (st.text never interprets Markdown or HTML):
    its first sentences, or the sentence holding `focus`, with the whole
    comment under "more" when it is long."""
    if not isinstance(comment, str) or not comment.strip():
        st.text("–")
        return
    short = quote(comment, focus)
    st.text(short)
    if short != comment.strip():
        with st.expander(t("more", L)):
            st.text(comment)


def _context_line(row, L: str) -> str:
    """The badge (category and score) and the context (date, programme type, touchpoint, product …), as Markdown."""
    context = [fmt_datetime(row.responded_at, L)]
    if getattr(row, "nps_type", None):
        context.append(t(row.nps_type, L))
    context += [str(v) for v in (getattr(row, c, None) for c in CONTEXT) if isinstance(v, str) and v]
    cat = category(int(row.score))
    return f":{BADGE[cat]}-badge[{t(cat, L)} · {int(row.score)}] " + md_escape(" · ".join(context))


def verbatim_cards(df: pd.DataFrame, L: str) -> None:
    """One card per comment: context line, then the comment as plain text
    (st.text never interprets Markdown or HTML): its first sentences, or its
    sentence about the theme at hand (a `focus` column), with the whole
    comment under "more" when it is long. Hits of a search by meaning
    (a `similarity` column) are drawn by hit_cards."""
    if df.empty:
        st.info(t("no_verbatims", L))
        return
    if "similarity" in df:
        hit_cards(df, L)
        return
    for row in df.itertuples(index=False):
        with st.container(border=True):
            st.markdown(_context_line(row, L))
            comment_text(row.comment, L, getattr(row, "focus", None))


def marked(before: str, match: str, after: str) -> str:
    """Markdown of a comment's excerpt with its matched sentence highlighted:
    the customer's words escaped (md_escape: every punctuation character, so
    no Markdown, HTML or Streamlit directive of theirs is ever read), and only
    our own highlight added around the match."""
    middle = f":orange-background[{md_escape(match)}]" if match else ""
    return " ".join(part for part in (md_escape(before), middle, md_escape(after)) if part)


def hit_cards(df: pd.DataFrame, L: str) -> None:
    """One card per hit of a search by meaning (analysis/search.py): its
    context, the matched sentence highlighted in its excerpt (text/excerpt.highlight),
    how close it is, and the whole comment under "more"."""
    for row in df.itertuples(index=False):
        with st.container(border=True):
            st.markdown(_context_line(row, L))
            st.markdown(marked(*highlight(row.comment, int(row.start), int(row.end))))
            st.caption(t("similar_share", L, pct=fmt_pct(row.similarity, L)))
            with st.expander(t("more", L)):
                st.text(row.comment)
