"""User text shown as written: never interpreted as Markdown or HTML.

Prefer st.text (no parsing at all) or a dataframe cell. Where a Markdown string cannot be
avoided (labels, st.error, st.toast), pass user text through escape_markdown first.
"""

from __future__ import annotations

import string

_PUNCTUATION = frozenset(string.punctuation)


def escape_markdown(text: object) -> str:
    """Text whose Markdown rendering is the text itself. CommonMark turns a backslash before
    any ASCII punctuation into that character, so escaping all of it disarms emphasis, links,
    HTML, code, tables and Streamlit's :directives[...] and $math$ alike."""
    return "".join("\\" + c if c in _PUNCTUATION else c for c in str(text))
