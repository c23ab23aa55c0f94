"""User text shown as written: never interpreted as Markdown or HTML.

Prefer st.text (no parsing at all) or a dataframe cell. Where a Markdown string cannot be
avoided (labels, st.error, st.toast), pass user text through escape_markdown first; labels of
a Plotly chart go through plotly_label.
"""

from __future__ import annotations

import html
import string

_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: object) -> str:
    """Text whose Markdown rendering is the text itself. CommonMark turns a backslash before
    any ASCII punctuation into that character, so escaping all of it disarms emphasis, links,
    HTML, code, tables and Streamlit's :directives[...] and $math$ alike."""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in str(text))


def plotly_label(value: object) -> object:
    """A chart label (axis category, legend name) shown as written. Plotly reads tags such as
    <b>, <br> and <a href> in labels, and shows entities as characters: escaping `<`, `>` and
    `&` keeps a task title like "<a href=...>" from becoming a link. Non-text passes through."""
    return html.escape(value, quote=False) if isinstance(value, str) else value
