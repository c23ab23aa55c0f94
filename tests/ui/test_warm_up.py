"""The sign-in page draws, hidden and disabled, one element of each kind the signed-in pages
draw (their code is then loaded and ready when those pages draw theirs). In Chromium:
tests/e2e/test_sign_in.py."""

from __future__ import annotations

from sprintsync.ui import warm_up
from tests.ui.apptest_helpers import is_sign_in_page

WIDGETS = (
    "segmented_control", "multiselect", "selectbox", "radio", "toggle", "date_input",
    "number_input", "text_area",
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
    for kind in ("dataframe", "table", "metric", "code"):
        assert getattr(at, kind), kind  # drawn (a chart too: AppTest lists none)


def test_signed_in_pages_draw_no_warm_up(app, member):
    at = app(member).run()
    assert not is_sign_in_page(at)
    assert not [w for w in at.selectbox if (w.key or "").startswith(f"{warm_up.KEY}.")]
    assert not [w for w in at.radio if (w.key or "").startswith(f"{warm_up.KEY}.")]
