"""Which pages each role sees, and the sidebar of a signed-in user.

Every page file must appear here (tests/ui/test_navigation.py checks pages/ against it).
Hiding a page is a courtesy: each page's service calls refuse users without permission.

URL paths never equal a page file's name, on purpose. Because app.py sits next to a pages/
folder, Streamlit starts each server process (and AppTest, every run) in its old
"pages/ directory" mode until app.py first calls st.navigation (`sprintsync serve` switches
it off for real servers; see ui/server.py). In that mode a URL or page
hash equal to a file's name (e.g. /admin for pages/admin.py) runs that file directly,
skipping app.py's sign-in gate. With distinct URL paths, that mode finds no match and
falls back to app.py, whose st.navigation then resolves the URL properly.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sprintsync.config import get_settings
from sprintsync.domain import Role
from sprintsync.services.views import Actor
from sprintsync.ui.literal import escape_markdown

EVERYONE = frozenset(Role)
LEADS = frozenset({Role.MANAGER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True, slots=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    section: str = ""
    roles: frozenset[Role] = EVERYONE


SIGN_IN = PageSpec("pages/sign_in.py", "Sign in", ":material/login:", "sign-in")
SIGN_UP = PageSpec("pages/sign_up.py", "Sign up", ":material/person_add:", "sign-up")

# In menu order; the first is where a signed-in user lands.
APP_PAGES = (
    PageSpec("pages/my_tasks.py", "My tasks", ":material/checklist:", "my-tasks", "Work"),
    PageSpec("pages/my_time.py", "My time", ":material/schedule:", "my-time", "Work"),
    PageSpec("pages/projects.py", "Projects", ":material/folder_open:", "planning", "Work"),
    PageSpec("pages/team.py", "Team", ":material/groups:", "team-tasks", "Team", LEADS),
    PageSpec(
        "pages/timesheets.py",
        "Timesheets",
        ":material/fact_check:",
        "team-timesheets",
        "Team",
        LEADS,
    ),
    PageSpec(
        "pages/analytics.py", "Analytics", ":material/monitoring:", "team-analytics", "Team", LEADS
    ),
    PageSpec(
        "pages/admin.py", "Admin", ":material/shield_person:", "administration", "Admin", ADMINS
    ),
    PageSpec("pages/account.py", "Account", ":material/person:", "my-account", "You"),
)


def specs_for(role: Role | None) -> list[PageSpec]:
    """The pages a role may see; None is a signed-out visitor."""
    if role is None:
        return [SIGN_IN, SIGN_UP] if get_settings().signup_open else [SIGN_IN]
    return [spec for spec in APP_PAGES if role in spec.roles]


def _page(spec: PageSpec, *, default: bool = False) -> st.Page:
    return st.Page(
        spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=default
    )


def pages_for(actor: Actor | None) -> dict[str, list[st.Page]] | list[st.Page]:
    """st.navigation's argument for this user.

    Signed out, every app URL is also registered as a hidden page that shows the sign-in
    form: whatever URL a visitor opens they see only sign-in, the URL stays as it was, and
    signing in (a rerun on the same page hash) lands them on the page they asked for."""
    if actor is None:
        visible = [_page(spec, default=i == 0) for i, spec in enumerate(specs_for(None))]
        stand_ins = [
            st.Page(
                SIGN_IN.path,
                title=SIGN_IN.title,
                icon=SIGN_IN.icon,
                url_path=spec.url_path,
                visibility="hidden",
            )
            for spec in APP_PAGES
        ]
        return visible + stand_ins
    sections: dict[str, list[st.Page]] = {}
    for i, spec in enumerate(specs_for(actor.role)):
        sections.setdefault(spec.section, []).append(_page(spec, default=i == 0))
    return sections


def sidebar(actor: Actor) -> None:
    """Who is signed in and their role; the sign-out button is added by the caller."""
    with st.sidebar:
        st.markdown(f":material/account_circle: **{escape_markdown(actor.username)}**")
        st.caption(f"Role: {actor.role.value}")
