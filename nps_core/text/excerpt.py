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


def quote(text: str, focus: str | None = None, limit: int = EXCERPT_CHARS) -> str:
    """What a card shows of a comment: the whole sentence holding `focus` (the
    part about the theme at hand), marked as part of a longer text, or else
    the comment's excerpt."""
    text = (text or "").strip()
    focus = (focus or "").strip()
    at = text.find(focus) if focus else -1
    if at < 0 or len(text) <= limit:
        return excerpt(text, limit)
    ends = [m.span() for m in _SENTENCE_END.finditer(text)]
    start = max((e for _, e in ends if e <= at), default=0)
    stop = min((b for b, _ in ends if b >= at + len(focus)), default=len(text))
    sentence = excerpt(text[start:stop], limit)
    return ("… " if start else "") + sentence + (" …" if stop < len(text) and not sentence.endswith("…") else "")
