"""Admin: the people table, creating a user, managing one (role, deactivation, password
reset) and the audit log."""

from __future__ import annotations

import json
from typing import NoReturn

import pandas as pd
import streamlit as st

from sprintsync.clock import tz
from sprintsync.config import get_settings
from sprintsync.domain import Role, format_duration
from sprintsync.services import audit, unit_of_work, users
from sprintsync.services.views import Actor, NewCredentials, UserView
from sprintsync.ui.actions import acting, confirmed, finish
from sprintsync.ui.errors import load
from sprintsync.ui.exports import download_csv
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown

SHOW_ONCE_KEY = "_admin_new_password"  # a password to show exactly once, after the rerun
CHOSEN_KEY = "admin_user"
TABS = "admin_tabs"
AUDIT_PER_PAGE = 50
CREATE_USER = Form("create_user")


def done(
    message: str, credentials: NewCredentials | None = None, form: Form | None = None
) -> NoReturn:
    """After a change: remember a new password to show once, confirm, and redraw."""
    if credentials is not None:
        st.session_state[SHOW_ONCE_KEY] = (credentials.user.username, credentials.password)
    finish(message, form=form)


def new_password_once() -> None:
    """A new temporary password, on the one run after it was made. Drawn inside a container
    that is always there, so the page's other elements keep their places either way."""
    secret = st.session_state.pop(SHOW_ONCE_KEY, None)
    with st.container():
        if not secret:
            return
        name, password = secret
        st.success(
            f"Temporary password for **{escape_markdown(name)}**. It is shown only this once: "
            "pass it on now; they choose their own when they first sign in with it.",
            icon=":material/key:",
        )
        st.code(password, language=None)


def _signed_in(user: UserView) -> str:
    if user.last_login_at is None:
        return "never"
    return f"{user.last_login_at.astimezone(tz()):%Y-%m-%d %H:%M}"


def _locked(user: UserView) -> str | None:
    if user.locked_until is None:
        return None
    return f"{user.locked_until.astimezone(tz()):%Y-%m-%d %H:%M}"


def people_table(people: list[UserView]) -> None:
    table = pd.DataFrame(
        {
            "Username": p.username,
            "Full name": p.full_name,
            "Role": p.role.value,
            "Active": p.is_active,
            "Locked until": _locked(p),
            "Last sign-in": _signed_in(p),
            "Time logged": format_duration(p.total_minutes),
        }
        for p in people
    )
    st.dataframe(table, hide_index=True)
    download_csv(table, "people")


def create_user_form(actor: Actor) -> None:
    form = CREATE_USER
    with form.drawn():
        st.subheader("Create a user", anchor=False)
        username = st.text_input("Username", key=form.key("username"))
        full_name = st.text_input("Full name", key=form.key("full_name"))
        email = st.text_input("Email (optional)", key=form.key("email"))
        role = st.selectbox(
            "Role", list(Role), format_func=lambda r: r.value.title(), key=form.key("role")
        )
        if form.submitted("Create user", type="primary"):
            with acting("admin.create_user", "Creating the account…"):
                created = users.create_user(
                    unit_of_work(),
                    actor=actor,
                    username=username,
                    role=role or Role.MEMBER,
                    full_name=full_name,
                    email=email or None,
                )
                done(f"Created {created.user.username}.", created, form)


def manage_user(actor: Actor, people: list[UserView]) -> None:
    """One user at a time. The selector's value is the user's id and its label their
    username, neither of which a change here alters: after a deactivation or a role change
    the same person stays selected, and the buttons act on them."""
    by_id = {p.id: p for p in people}
    if st.session_state.get(CHOSEN_KEY) not in by_id:
        st.session_state.pop(CHOSEN_KEY, None)
    with st.container(border=True):
        st.subheader("Manage a user", anchor=False)
        chosen = by_id[
            st.selectbox(
                "User", list(by_id), key=CHOSEN_KEY, format_func=lambda i: by_id[i].username
            )
        ]
        state = "active" if chosen.is_active else "deactivated"
        st.caption(f"{chosen.role.value.title()} · {state} · last signed in {_signed_in(chosen)}")
        role_col, button_col = st.columns([2, 1], vertical_alignment="bottom")
        new_role = role_col.selectbox(
            "Role",
            list(Role),
            index=list(Role).index(chosen.role),
            format_func=lambda r: r.value.title(),
            key=f"role_of_{chosen.id}.{chosen.role.value}",
        )
        new_role = new_role or chosen.role
        if button_col.button("Change role", disabled=new_role == chosen.role):
            with acting("admin.set_role"):
                users.set_role(unit_of_work(), actor=actor, username=chosen.username, role=new_role)
                done(f"{chosen.username} is now {new_role.value}.")
        _deactivate_or_reactivate(actor, chosen)
        _reset_password(actor, chosen)
        if chosen.locked_until is not None and st.button(
            "Unlock sign-in", key=f"unlock.{chosen.id}", icon=":material/lock_open:"
        ):
            with acting("admin.unlock"):
                users.unlock(unit_of_work(), actor=actor, username=chosen.username)
                done(f"{chosen.username} can sign in again.")
        st.caption(
            "Deactivating or resetting a password signs the user out everywhere on their "
            "next click; a role change applies on their next click too."
        )


def _deactivate_or_reactivate(actor: Actor, chosen: UserView) -> None:
    # Deactivating and resetting sign the user out everywhere (and a reset loses their
    # password): both ask first, so a click on the wrong row costs nothing.
    name = chosen.username
    if not chosen.is_active:
        if st.button("Reactivate", key=f"reactivate.{chosen.id}", icon=":material/check:"):
            with acting("admin.set_active"):
                users.set_active(unit_of_work(), actor=actor, username=name, active=True)
                done(f"Reactivated {name}.")
        return
    if confirmed(
        f"deactivate:{chosen.id}",
        ask="Deactivate",
        icon=":material/block:",
        question=f"Deactivate {name}? They are signed out everywhere and cannot sign in "
        "until an admin reactivates them. Their tasks and time stay.",
        yes=f"Yes, deactivate {escape_markdown(name)}",  # a label reads Markdown
    ):
        with acting("admin.set_active"):
            users.set_active(unit_of_work(), actor=actor, username=name, active=False)
            done(f"Deactivated {name}.")


def _reset_password(actor: Actor, chosen: UserView) -> None:
    if confirmed(
        f"reset_password:{chosen.id}",
        ask="Reset password",
        icon=":material/lock_reset:",
        question=f"Reset the password of {chosen.username}? Their current password stops "
        "working and they are signed out everywhere; you pass on the temporary one, and they "
        "choose their own when they first sign in with it.",
        yes="Yes, reset the password",
    ):
        with acting("admin.reset_password", "Resetting…"):
            reset = users.reset_password(unit_of_work(), actor=actor, username=chosen.username)
            done(f"Reset the password of {chosen.username}.", reset)


def _first_audit_page() -> None:
    st.session_state["audit_page"] = 1


def audit_log(actor: Actor, people: list[UserView]) -> None:
    known_actions = load(audit.actions, unit_of_work(), actor=actor)
    # Whole families first ("task." matches every task action), then each action.
    families = sorted({a.split(".")[0] + "." for a in known_actions})
    who_col, what_col, page_col = st.columns([2, 2, 1])
    by_username = who_col.selectbox(
        "Actor",
        [None, *(p.username for p in people)],
        format_func=lambda n: n or "Anyone",
        key="audit_actor",
        on_change=_first_audit_page,
    )
    action = what_col.selectbox(
        "Action",
        [None, *families, *known_actions],
        format_func=lambda a: "Any action" if a is None else (f"{a}*" if a.endswith(".") else a),
        key="audit_action",
        on_change=_first_audit_page,
    )
    page_number = page_col.number_input("Page", min_value=1, step=1, key="audit_page")
    entries = load(
        audit.list_audit,
        unit_of_work(),
        actor=actor,
        by_username=by_username,
        action=action,
        page=page_number,
        per_page=AUDIT_PER_PAGE,
    )
    if not entries.items:
        st.info("No audit entries match these filters.")
        return
    table = pd.DataFrame(
        {
            "When": e.at,
            # No actor: the console operator, or a sign-in attempt for a name that
            # does not exist.
            "Actor": e.actor or ("(unknown)" if e.details.get("unknown") else "(console)"),
            "Action": e.action,
            "Target": e.target,
            "Details": json.dumps(e.details, sort_keys=True, default=str),
        }
        for e in entries.items
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "When": st.column_config.DatetimeColumn(
                format="YYYY-MM-DD HH:mm", timezone=get_settings().timezone
            )
        },
    )
    download_csv(table, "audit-log", "Download this page as CSV")
    st.caption(f"{entries.total} entries, page {entries.page} of {entries.pages}, newest first.")
