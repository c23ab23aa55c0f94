"""Small helpers for driving AppTest like a user: fill a labelled field, press a button."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

PASSWORD = "correct-horse-battery"  # what the make_user fixture gives everyone


def field(at: AppTest, label: str):
    """The one text input labelled `label`."""
    matches = [t for t in at.text_input if t.label == label]
    assert len(matches) == 1, f"{len(matches)} text inputs labelled {label!r}"
    return matches[0]


def press(at: AppTest, label: str) -> AppTest:
    """Click the one button (or form submit button) labelled `label` and rerun."""
    matches = [b for b in at.button if b.label == label]
    assert len(matches) == 1, f"{len(matches)} buttons labelled {label!r}"
    return matches[0].click().run()


def values(elements) -> list[str]:
    """What the elements say; Markdown escapes (errors, toasts) removed as a reader sees them."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in elements]


def is_sign_in_page(at: AppTest) -> bool:
    """The sign-in page and nothing of the app: its title and the Sign in button."""
    return values(at.title) == ["SprintSync"] and "Sign in" in [b.label for b in at.button]


def cookie_writes(at: AppTest) -> list[dict]:
    """What this run asked the browser's cookie component to do (AppTest cannot run the
    component itself): [{"method": "set" | "delete", "cookie": ..., "value": ...}]."""
    writes = []
    for element in _walk(at.sidebar):
        proto = getattr(element, "proto", None)
        if type(proto).__name__ != "ComponentInstance" or "cookie_manager" not in (
            proto.component_name
        ):
            continue
        args = json.loads(proto.json_args)
        if args["method"] in {"set", "delete"}:
            writes.append(args)
    return writes


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
