"""Admin: people (create, role, deactivate, reset password) and the audit log. Admins only:
the services refuse anyone else, and this page shows that refusal."""

import streamlit as st

from sprintsync.services import unit_of_work, users
from sprintsync.ui.errors import load
from sprintsync.ui.parts import admin
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Admin")
people = load(users.list_users, unit_of_work(), actor=actor)
admin.new_password_once()

# Only the open tab is drawn: the audit log is read when someone looks at it.
people_tab, audit_tab = st.tabs(["People", "Audit log"], key=admin.TABS, on_change="rerun")
if audit_tab.open:
    with audit_tab:
        admin.audit_log(actor, people)
else:
    with people_tab:
        admin.people_table(people)
        create_col, manage_col = st.columns(2)
        with create_col:
            admin.create_user_form(actor)
        with manage_col:
            admin.manage_user(actor, people)
