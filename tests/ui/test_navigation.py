"""Which pages each role gets, that every page file is registered, and literal user text."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintsync.domain import Role
from sprintsync.ui.navigation import APP_PAGES, SIGN_IN, SIGN_UP, specs_for
from sprintsync.ui.text import literal

ROOT = Path(__file__).resolve().parents[2]
ALL_SPECS = (SIGN_IN, SIGN_UP, *APP_PAGES)


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        (Role.MEMBER, ["My tasks", "My time", "Account"]),
        (Role.MANAGER, ["My tasks", "My time", "Team", "Analytics", "Account"]),
        (Role.ADMIN, ["My tasks", "My time", "Team", "Analytics", "Admin", "Account"]),
        (None, ["Sign in", "Sign up"]),
    ],
)
def test_each_role_sees_its_pages(role, titles):
    assert [spec.title for spec in specs_for(role)] == titles


def test_every_page_file_is_registered_in_the_navigation():
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
    assert files == sorted(spec.path for spec in ALL_SPECS)


def test_no_url_path_equals_a_page_file_name():
    # See sprintsync/ui/navigation.py: such a URL would run the file without app.py's gate
    # while Streamlit is still in its pages/-directory mode.
    stems = {Path(spec.path).stem for spec in ALL_SPECS}
    assert not stems & {spec.url_path for spec in ALL_SPECS}


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
        ("**bold** and _it_", r"\*\*bold\*\* and \_it\_"),
        (":red[alarm] :material/home: $x^2$", r"\:red\[alarm\] \:material\/home\: \$x\^2\$"),
        ("# not a heading", r"\# not a heading"),
        ("[link](http://x.y)", r"\[link\]\(http\:\/\/x\.y\)"),
        ("line one\n    indented", "line one  \n\u00a0\u00a0\u00a0\u00a0indented"),
        ("plain words", "plain words"),
        (None, ""),
    ],
)
def test_literal_escapes_everything_markdown_would_interpret(text, markdown):
    assert literal(text) == markdown
