"""Admin: people (create, role, deactivate, reset password) and the audit log. Admins only:
the services refuse anyone else, and this page shows that refusal."""

import json

import pandas as pd
import streamlit as st

from sprintsync.config import get_settings
from sprintsync.domain import Role, format_duration
from sprintsync.services import audit, unit_of_work, users
from sprintsync.ui.actions import acting, ask, confirm, finish
from sprintsync.ui.errors import attempt
from sprintsync.ui.exports import download_csv
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.session import require_actor

SHOW_ONCE_KEY = "_admin_new_password"  # a password to show exactly once, after the rerun
AUDIT_PER_PAGE = 50
TIME_COLUMN = st.column_config.DatetimeColumn(
    format="YYYY-MM-DD HH:mm", timezone=get_settings().timezone
)

actor = require_actor()
st.title("Admin")

people = attempt(users.list_users, unit_of_work(), actor=actor)
if people is None:
    st.stop()


def done(message: str, credentials=None, *, forget: tuple[str, ...] = ()) -> None:
    """After a change: remember a new password to show once, confirm, and redraw."""
    if credentials is not None:
        st.session_state[SHOW_ONCE_KEY] = (credentials.user.username, credentials.password)
    finish(message, forget=forget)


def first_audit_page() -> None:
    st.session_state["audit_page"] = 1


secret = st.session_state.pop(SHOW_ONCE_KEY, None)
if secret:
    name, password = secret
    st.success(
        f"Temporary password for **{escape_markdown(name)}**. It is shown only this once: "
        "pass it on now; they should change it on their Account page.",
        icon=":material/key:",
    )
    st.code(password, language=None)

people_tab, audit_tab = st.tabs(["People", "Audit log"])

with people_tab:
    people_table = pd.DataFrame(
        {
            "Username": p.username,
            "Full name": p.full_name,
            "Role": p.role.value,
            "Active": p.is_active,
            "Locked until": p.locked_until,
            "Last sign-in": p.last_login_at,
            "Time logged": format_duration(p.total_minutes),
        }
        for p in people
    )
    st.dataframe(
        people_table,
        hide_index=True,
        column_config={"Last sign-in": TIME_COLUMN, "Locked until": TIME_COLUMN},
    )
    download_csv(people_table, "people")

    create_col, manage_col = st.columns(2)
    # Not clear_on_submit: a refused name must not empty the form. Cleared on success only.
    new_user_keys = ("new_user_name", "new_user_full_name", "new_user_email", "new_user_role")
    with create_col.form("create_user"):
        st.subheader("Create a user")
        username = st.text_input("Username", key="new_user_name")
        full_name = st.text_input("Full name", key="new_user_full_name")
        email = st.text_input("Email (optional)", key="new_user_email")
        role = st.selectbox(
            "Role", list(Role), format_func=lambda r: r.value.title(), key="new_user_role"
        )
        if st.form_submit_button("Create user", type="primary"):
            with acting("admin.create_user", "Creating the account…"):
                created = users.create_user(
                    unit_of_work(),
                    actor=actor,
                    username=username,
                    role=role,
                    full_name=full_name,
                    email=email or None,
                )
                done(f"Created {created.user.username}.", created, forget=new_user_keys)

    with manage_col.container(border=True):
        st.subheader("Manage a user")
        by_name = {p.username: p for p in people}
        chosen = by_name[
            st.selectbox(
                "User",
                list(by_name),
                key="admin_user",
                format_func=lambda n: (
                    f"{n} ({by_name[n].role.value}"
                    + ("" if by_name[n].is_active else ", deactivated")
                    + ")"
                ),
            )
        ]
        role_col, button_col = st.columns([2, 1], vertical_alignment="bottom")
        new_role = role_col.selectbox(
            "Role",
            list(Role),
            index=list(Role).index(chosen.role),
            format_func=lambda r: r.value.title(),
            key=f"role_of_{chosen.id}",
        )
        if button_col.button("Change role", disabled=new_role == chosen.role):
            with acting("admin.set_role"):
                users.set_role(unit_of_work(), actor=actor, username=chosen.username, role=new_role)
                done(f"{chosen.username} is now {new_role.value}.")
        active_col, reset_col = st.columns(2)
        # Deactivating and resetting sign the user out everywhere (and a reset loses their
        # password): both ask first, so a click on the wrong row costs nothing.
        deactivating, resetting = f"deactivate:{chosen.id}", f"reset_password:{chosen.id}"
        if chosen.is_active:
            active_col.button(
                "Deactivate", icon=":material/block:", on_click=ask, args=(deactivating,)
            )
        elif active_col.button("Reactivate"):
            with acting("admin.set_active"):
                users.set_active(unit_of_work(), actor=actor, username=chosen.username, active=True)
                done(f"Reactivated {chosen.username}.")
        reset_col.button(
            "Reset password", icon=":material/lock_reset:", on_click=ask, args=(resetting,)
        )
        if chosen.locked_until is not None and active_col.button("Unlock sign-in"):
            with acting("admin.unlock"):
                users.unlock(unit_of_work(), actor=actor, username=chosen.username)
                done(f"{chosen.username} can sign in again.")
        if confirm(
            deactivating,
            f"Deactivate {chosen.username}? They are signed out everywhere and cannot sign in "
            "until an admin reactivates them. Their tasks and time stay.",
            f"Yes, deactivate {escape_markdown(chosen.username)}",  # a label reads Markdown
        ):
            with acting("admin.set_active"):
                users.set_active(
                    unit_of_work(), actor=actor, username=chosen.username, active=False
                )
                done(f"Deactivated {chosen.username}.")
        if confirm(
            resetting,
            f"Reset the password of {chosen.username}? Their current password stops working "
            "and they are signed out everywhere; you pass on the temporary one.",
            "Yes, reset the password",
        ):
            with acting("admin.reset_password", "Resetting…"):
                reset = users.reset_password(unit_of_work(), actor=actor, username=chosen.username)
                done(f"Reset the password of {chosen.username}.", reset)
        st.caption(
            "Deactivating or resetting a password signs the user out everywhere on their "
            "next click; a role change applies on their next click too."
        )

with audit_tab:
    known_actions = attempt(audit.actions, unit_of_work(), actor=actor) or []
    # Whole families first ("task." matches every task action), then each action.
    families = sorted({a.split(".")[0] + "." for a in known_actions})
    who_col, what_col, page_col = st.columns([2, 2, 1])
    by_username = who_col.selectbox(
        "Actor",
        [None, *(p.username for p in people)],
        format_func=lambda n: n or "Anyone",
        key="audit_actor",
        on_change=first_audit_page,
    )
    action = what_col.selectbox(
        "Action",
        [None, *families, *known_actions],
        format_func=lambda a: "Any action" if a is None else (f"{a}*" if a.endswith(".") else a),
        key="audit_action",
        on_change=first_audit_page,
    )
    page_number = page_col.number_input("Page", min_value=1, step=1, key="audit_page")
    entries = attempt(
        audit.list_audit,
        unit_of_work(),
        actor=actor,
        by_username=by_username,
        action=action,
        page=page_number,
        per_page=AUDIT_PER_PAGE,
    )
    if entries is not None and entries.items:
        audit_table = pd.DataFrame(
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
        st.dataframe(audit_table, hide_index=True, column_config={"When": TIME_COLUMN})
        download_csv(audit_table, "audit-log", "Download this page as CSV")
        st.caption(
            f"{entries.total} entries, page {entries.page} of {entries.pages}, newest first."
        )
    elif entries is not None:
        st.info("No audit entries match these filters.")
