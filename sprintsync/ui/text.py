"""User text shown as text: a title like `<script>` or `**bold**` appears literally.

st.markdown, st.subheader, st.caption, widget labels and st.write(str) all read Markdown (and
Streamlit's `:color[...]`, `:material/...:` and `$math$` extensions). Anything a user typed
goes through `literal()` before it reaches one of them. st.text, st.code and st.dataframe
cells show text as it is and need nothing.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them also disarms Streamlit's own extensions, which start with ':' or '$'.
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def literal(text: object) -> str:
    """Markdown that renders as exactly `text` (line breaks kept)."""
    escaped = _PUNCTUATION.sub(r"\\\1", "" if text is None else str(text))
    # Indentation would start a code block: keep it as no-break spaces. A line break must
    # be explicit (two spaces before the newline).
    lines = (_keep_indent(line) for line in escaped.splitlines())
    return "  \n".join(lines)


def _keep_indent(line: str) -> str:
    body = line.lstrip(" \t")
    indent = line[: len(line) - len(body)].replace("\t", "    ")
    return "\u00a0" * len(indent) + body
