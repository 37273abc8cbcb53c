"""User- and file-supplied text (dataset, theme, column, source and rule names,
owners, notes, error messages quoting them) shown literally where Streamlit
interprets Markdown: st.markdown, st.caption, headers, alerts, toasts and the
labels of widgets and metrics."""

import re

# Every ASCII punctuation character: CommonMark lets each be backslash-escaped,
# which also disarms Streamlit's own syntax (:red[…], :material/…:, $…$ LaTeX)
# and inline HTML.
_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")
_BREAK = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def md_escape(text) -> str:
    """`text` as Markdown that renders exactly as `text`, on one line (a line
    break could start a heading, a list or a table)."""
    return _MARKDOWN.sub(r"\\\1", _BREAK.sub(" ", str(text)))


def md_values(**values) -> dict[str, str]:
    """The values for an i18n template that Streamlit renders as Markdown, escaped."""
    return {k: md_escape(v) for k, v in values.items()}
