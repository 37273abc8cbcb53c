"""A readable excerpt of a long comment: whole sentences up to a length, so a
card or a quote shows what the customer said first, not a 3,500-character review."""

from __future__ import annotations

import re

# a sentence ends at . ! ? or … followed by white space (a line break counts too)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
EXCERPT_CHARS = 280


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first whole sentences of `text` that fit in `limit` characters;
    a first sentence longer than that is cut at a word and ends in "…".
    Text that fits is returned unchanged."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    out = ""
    for sentence in _SENTENCE_END.split(text):
        candidate = f"{out} {sentence}".strip()
        if len(candidate) > limit:
            break
        out = candidate
    if out:
        return out + " …"
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",;:") + " …"
