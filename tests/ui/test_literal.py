"""escape_markdown: user text rendered through Markdown comes out exactly as typed."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sprintsync.ui.literal import escape_markdown

RENDER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def shows_literally(text: str) -> bool:
    """Rendered, the escaped text is one paragraph of plain text equal to `text`."""
    rendered = RENDER.render(escape_markdown(text)).strip()
    inner = rendered.removeprefix("<p>").removesuffix("</p>")
    return rendered == f"<p>{inner}</p>" and "<" not in inner and html.unescape(inner) == text


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "**bold** and _italic_ and `code`",
        "[a link](https://example.com) ![img](x.png)",
        "# not a heading",
        "1. not a list",
        "- not a list",
        "> not a quote",
        "| not | a | table |",
        "~~not struck~~",
        "&amp; &lt; entities",
        "a\\*b",
    ],
)
def test_escaped_text_renders_as_itself(text):
    assert shows_literally(text)


# Streamlit's own Markdown extensions, which CommonMark does not know (so rendering with it
# proves nothing about them): colour and badge directives, icons, emoji shortcodes, LaTeX.
# Each starts at an unescaped ':' or '$' in Streamlit's frontend parser.
STREAMLIT_SYNTAX = [
    ":red[not red]",
    ":red-background[not highlighted]",
    ":blue-badge[not a badge]",
    ":material/home:",
    ":smile:",
    "$x^2$",
    "$$\\int x$$",
]


@pytest.mark.parametrize("text", STREAMLIT_SYNTAX)
def test_streamlit_directives_icons_and_math_are_disarmed(text):
    escaped = escape_markdown(text)
    assert re.search(r"(?<!\\)[:$\[]", escaped) is None, escaped
    assert re.sub(r"\\(.)", r"\1", escaped) == text  # nothing but the backslashes added


# One line of printable ASCII without edge spaces (Markdown trims those; nothing to escape).
line = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=60)


@given(line)
def test_any_printable_line_survives_escaping(text):
    assert shows_literally(text)
