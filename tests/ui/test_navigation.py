"""Which pages each role gets, and URL paths that cannot bypass app.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from sprintsync.domain import Role
from sprintsync.ui.navigation import APP_PAGES, SIGN_IN, SIGN_UP, specs_for

ALL_SPECS = (SIGN_IN, SIGN_UP, *APP_PAGES)


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


def test_no_url_path_equals_a_page_file_name():
    # See sprintsync/ui/navigation.py: such a URL would run the file without app.py's gate
    # while Streamlit is still in its pages/-directory mode.
    stems = {Path(spec.path).stem for spec in ALL_SPECS}
    assert not stems & {spec.url_path for spec in ALL_SPECS}
