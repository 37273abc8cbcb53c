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


def highlight(text: str, start: int, end: int, limit: int = EXCERPT_CHARS) -> tuple[str, str, str]:
    """A search hit's card text split as (before, match, after), for the page
    to mark the match: the whole sentences around characters start … end of
    `text` (a meaning search's matched sentence, analysis/search.py), with "… "
    and " …" where the comment goes on; the comment's excerpt with no match
    when the span is -1 (not found). The whole comment goes under "more"."""
    text = text or ""
    if start < 0 or end <= start:
        return excerpt(text, limit), "", ""
    ends = [m.span() for m in _SENTENCE_END.finditer(text)]
    first = max((e for _, e in ends if e <= start), default=0)
    last = min((b for b, _ in ends if b >= end), default=len(text))
    room = max(0, limit - (end - start)) // 2  # a long sentence: the match with what fits either side
    first, last = max(first, start - room), min(last, end + room)
    return (("… " if first else "") + text[first:start].lstrip(), text[start:end],
            text[end:last].rstrip() + (" …" if last < len(text.rstrip()) else ""))
