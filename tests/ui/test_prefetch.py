"""The sign-in page loads the landing page's widget code while the password is typed."""

from __future__ import annotations

from sprintsync.ui import prefetch
from tests.ui.apptest_helpers import is_sign_in_page


def test_every_landing_widget_has_exactly_one_file_in_the_installed_streamlit():
    # A Streamlit upgrade that renames its build's modules fails here, not silently.
    files = prefetch.module_files()
    assert len(files) == len(prefetch.LANDING_WIDGETS)
    for widget, file in zip(prefetch.LANDING_WIDGETS, files, strict=True):
        assert file.startswith(f"{widget}.") and file.endswith(".js")


def test_an_unknown_widget_is_skipped():
    assert prefetch.module_files(("Selectbox", "NoSuchWidget")) == prefetch.module_files(
        ("Selectbox",)
    )


def test_the_script_imports_each_file_next_to_the_frontends_entry_module():
    body = prefetch.script(("Selectbox.abc.js",))
    assert '["Selectbox.abc.js"]' in body
    assert "new URL(file, entry.src)" in body
    assert ".catch(" in body  # a failed import leaves the frontend to load it itself


def test_the_sign_in_page_draws_the_script(app):
    at = app().run()
    assert is_sign_in_page(at)
    bodies = [e.proto.body for e in at.main if getattr(getattr(e, "proto", None), "body", None)]
    [body] = [b for b in bodies if "const files" in b]
    for file in prefetch.module_files():
        assert file in body
