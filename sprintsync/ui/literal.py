"""User text shown as written: never interpreted as Markdown or HTML.

Prefer st.text (no parsing at all) or a dataframe cell. Where a Markdown string cannot be
avoided (labels, st.error, st.toast), pass user text through escape_markdown first; labels of
a Plotly chart go through plotly_label.
"""

from __future__ import annotations

import html
import string

import pandas as pd

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


# What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells a spreadsheet shows as text: one that starts like a
    formula (a username such as `-2+3`) gets a leading apostrophe. Numbers stay numbers."""
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [
                "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
                for v in safe[column]
            ]
    return safe
