"""Which pages each role sees, and the sidebar of a signed-in user.

Every page script in app_pages/ must appear here (tests/test_codebase.py checks it). Hiding a
page is a courtesy: each page's service calls refuse users without permission.

The page scripts live in app_pages/, not pages/, on purpose: Streamlit serves an entry script
that sits next to a folder named pages/ in its old "pages/ directory" mode until it first
calls st.navigation, and in that mode the sidebar lists every file of the folder and a URL
naming a file runs that file without app.py's sign-in gate. With no pages/ folder,
`streamlit run app.py` and `sprintsync serve` behave the same from the first request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


SIGN_IN = PageSpec("app_pages/sign_in.py", "Sign in", ":material/login:", "sign-in")
SIGN_UP = PageSpec("app_pages/sign_up.py", "Sign up", ":material/person_add:", "sign-up")
# The only page of someone signed in with a temporary password, until they replace it.
CHOOSE_PASSWORD = PageSpec(
    "app_pages/choose_password.py", "Choose a password", ":material/password:", "choose-password"
)
# A file, not a :material/ icon: the browser would fetch that favicon from an outside host.
FAVICON = str(Path(__file__).parent / "assets" / "favicon.png")

# In menu order; the first is where a signed-in user lands.
APP_PAGES = (
    PageSpec("app_pages/my_tasks.py", "My tasks", ":material/checklist:", "my-tasks", "Work"),
    PageSpec("app_pages/my_time.py", "My time", ":material/schedule:", "my-time", "Work"),
    PageSpec("app_pages/projects.py", "Projects", ":material/folder_open:", "planning", "Work"),
    PageSpec("app_pages/team.py", "Team", ":material/groups:", "team-tasks", "Team", LEADS),
    PageSpec(
        "app_pages/timesheets.py",
        "Timesheets",
        ":material/fact_check:",
        "team-timesheets",
        "Team",
        LEADS,
    ),
    PageSpec(
        "app_pages/analytics.py",
        "Analytics",
        ":material/monitoring:",
        "team-analytics",
        "Team",
        LEADS,
    ),
    PageSpec(
        "app_pages/admin.py", "Admin", ":material/shield_person:", "administration", "Admin", ADMINS
    ),
    PageSpec("app_pages/account.py", "Account", ":material/person:", "my-account", "You"),
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


def _stand_ins(instead: PageSpec) -> list[st.Page]:
    """Every app URL as a hidden page that runs `instead`: whatever URL is opened, only that
    page shows, the URL stays as it was, and once it is done (a rerun on the same page hash)
    the person lands on the page they asked for."""
    return [
        st.Page(
            instead.path,
            title=instead.title,
            icon=instead.icon,
            url_path=spec.url_path,
            visibility="hidden",
        )
        for spec in APP_PAGES
    ]


def pages_for(actor: Actor | None) -> dict[str, list[st.Page]] | list[st.Page]:
    """st.navigation's argument for this user: a signed-out visitor gets sign-in (and
    sign-up) at every URL; someone signed in with a temporary password gets the page that
    replaces it at every URL; everyone else the pages of their role."""
    if actor is None:
        visible = [_page(spec, default=i == 0) for i, spec in enumerate(specs_for(None))]
        return visible + _stand_ins(SIGN_IN)
    if actor.must_change_password:
        return [_page(CHOOSE_PASSWORD, default=True), *_stand_ins(CHOOSE_PASSWORD)]
    sections: dict[str, list[st.Page]] = {}
    for i, spec in enumerate(specs_for(actor.role)):
        sections.setdefault(spec.section, []).append(_page(spec, default=i == 0))
    return sections


def sidebar(actor: Actor) -> None:
    """Who is signed in and their role; the sign-out button is added by the caller."""
    with st.sidebar:
        st.markdown(f":material/account_circle: **{escape_markdown(actor.username)}**")
        st.caption(f"Role: {actor.role.value}")
