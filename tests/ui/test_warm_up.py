"""The sign-in page draws, hidden and disabled, one element of each kind the signed-in pages
draw (their code is then loaded and ready when those pages draw theirs); a browser that
skipped it (back with its cookie) gets them after its first signed-in page. In Chromium:
tests/e2e/test_sign_in.py."""

from __future__ import annotations

from sprintsync.ui import warm_up
from tests.ui.apptest_helpers import is_sign_in_page

WIDGETS = (
    "segmented_control", "multiselect", "selectbox", "radio", "toggle", "date_input",
    "number_input", "text_area", "button",
)  # fmt: skip


def html_bodies(node) -> list[str]:
    found = [node.proto.body] if getattr(getattr(node, "proto", None), "body", None) else []
    for child in getattr(node, "children", {}).values():
        found += html_bodies(child)
    return found


def test_the_sign_in_page_draws_a_disabled_widget_of_each_kind_and_hides_them(app):
    at = app().run()
    assert is_sign_in_page(at)
    for kind in WIDGETS:
        [widget] = [w for w in getattr(at, kind) if (w.key or "").startswith(f"{warm_up.KEY}.")]
        assert widget.disabled, kind
    # A style alone goes to Streamlit's event container, outside the main area.
    assert f".st-key-{warm_up.KEY} {{ display: none; }}" in " ".join(html_bodies(at._tree))
    for kind in ("dataframe", "table", "metric", "code", "text"):
        assert getattr(at, kind), kind  # drawn (a chart too: AppTest lists none)


def warm_up_widgets(at) -> list:
    return [w for w in at.selectbox if (w.key or "").startswith(f"{warm_up.KEY}.")]


def test_a_signed_in_page_load_draws_them_once_in_the_sidebar(app, member):
    at = app(member).run()  # a browser session that never showed the sign-in page
    assert not is_sign_in_page(at)
    assert warm_up_widgets(at)
    sidebar = list(at.sidebar.children.values())
    assert warm_up_widgets(sidebar[-1])  # the sidebar's last block
    assert not warm_up_widgets(at.main)  # none among the page's own elements
    assert at.title[0].value == "My tasks"
    at.run()
    assert not warm_up_widgets(at)  # once per page load: the code stays loaded


def test_after_signing_in_the_first_page_draws_none(app, member):
    at = app().run()
    assert warm_up_widgets(at)
    at.session_state["actor"] = member  # signed in by the sign-in page's callback
    at.run()
    assert not is_sign_in_page(at)
    assert not warm_up_widgets(at)
