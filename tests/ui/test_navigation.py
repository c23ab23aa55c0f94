"""Which pages each role gets, and URL paths that cannot bypass app.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintsync.domain import Role
from sprintsync.ui.navigation import APP_PAGES, CHOOSE_PASSWORD, SIGN_IN, SIGN_UP, specs_for

ALL_SPECS = (SIGN_IN, SIGN_UP, CHOOSE_PASSWORD, *APP_PAGES)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("role", "titles"),
    [
        (Role.MEMBER, ["My tasks", "My time", "Projects", "Account"]),
        (
            Role.MANAGER,
            ["My tasks", "My time", "Projects", "Team", "Timesheets", "Analytics", "Account"],
        ),
        (
            Role.ADMIN,
            [
                "My tasks",
                "My time",
                "Projects",
                "Team",
                "Timesheets",
                "Analytics",
                "Admin",
                "Account",
            ],
        ),
        (None, ["Sign in", "Sign up"]),
    ],
)
def test_each_role_sees_its_pages(role, titles):
    assert [spec.title for spec in specs_for(role)] == titles


def test_no_pages_folder_sits_next_to_app_py():
    # See sprintsync/ui/navigation.py: with one, a bare `streamlit run app.py` lists every
    # page file to a signed-out visitor and runs a page file named in the URL without the gate.
    assert not (ROOT / "pages").exists()
    assert all(spec.path.startswith("app_pages/") for spec in ALL_SPECS)
