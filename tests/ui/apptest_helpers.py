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
    """The cookie this run's page tells the browser to hold (AppTest runs no JavaScript):
    [{"method": "set" | "delete", "cookie": ..., "value": ...}], read from the script that
    ui.auth.SessionCookie draws in the sidebar."""
    writes = []
    for element in _walk(at.sidebar):
        body = getattr(getattr(element, "proto", None), "body", "")
        found = re.search(r"const write = (\{.*?\});", body or "")
        if found:
            writes.append(json.loads(found.group(1)))
    return writes


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def week_totals(at: AppTest) -> tuple[str, list[str]]:
    """My time's grid totals as typed: the week's, and the caption's two lines (by day, by
    task)."""
    [caption] = [c.value for c in at.caption if c.value.startswith("By day: ")]
    week = next(m.value for m in at.metric if m.label == "Week total")
    return week, caption.split("  \n")
