"""User-supplied text (dataset names, later comments) shown literally inside Markdown elements."""

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def md_escape(text: str) -> str:
    """Backslash-escape every Markdown/HTML-significant character."""
    return _MARKDOWN.sub(r"\\\1", str(text))
