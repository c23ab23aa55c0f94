"""escape_markdown: user text rendered through Markdown comes out exactly as typed."""

from __future__ import annotations

import html

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
        ":red[not red] :material/home: $x^2$",
        "a\\*b",
    ],
)
def test_escaped_text_renders_as_itself(text):
    assert shows_literally(text)


# One line of printable ASCII without edge spaces (Markdown trims those; nothing to escape).
line = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=60)


@given(line)
def test_any_printable_line_survives_escaping(text):
    assert shows_literally(text)
