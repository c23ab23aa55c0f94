"""A missing external tool skips a test on a laptop but fails it in CI."""

from __future__ import annotations

import pytest
from _pytest.outcomes import Failed, Skipped

from tests.ops.opskit import require_tool

MISSING = "sprintsync-no-such-tool"


@pytest.mark.parametrize(
    ("env", "outcome"),
    [
        ({}, Skipped),
        ({"CI": "true"}, Failed),
        ({"CI": "1"}, Failed),
        ({"SPRINTSYNC_REQUIRE_TOOLS": "1"}, Failed),
        ({"CI": "false"}, Skipped),
    ],
)
def test_a_missing_tool_skips_locally_and_fails_where_tools_are_required(monkeypatch, env, outcome):
    for name in ("CI", "SPRINTSYNC_REQUIRE_TOOLS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(outcome, match=MISSING):
        require_tool(MISSING)


def test_a_present_tool_is_found():
    assert require_tool("sh").endswith("/sh")
