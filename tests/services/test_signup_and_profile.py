"""Self sign-up obeys SPRINTSYNC_ALLOW_SIGNUP; saving a profile keeps what it was not given."""

from __future__ import annotations

import pytest

from sprintsync.errors import PermissionDenied
from sprintsync.models import User
from sprintsync.services import users


def test_sign_up_creates_a_member_while_it_is_open(uow, env):
    env(SPRINTSYNC_ALLOW_SIGNUP="true")
    assert users.register(uow(), username="newt", password="long enough!").role.value == "member"


def test_sign_up_is_refused_when_it_is_closed(uow, env, admin):
    env(SPRINTSYNC_ALLOW_SIGNUP="false")
    with pytest.raises(PermissionDenied, match="Sign-up is closed"):
        users.register(uow(), username="newt", password="long enough!")
    assert [u.username for u in users.list_users(uow(), actor=admin)] == ["ada"]


def test_saving_name_and_email_keeps_the_skills(uow, member, db_session_factory):
    users.update_profile(uow(), actor=member, full_name="Mia", email=None, skills="python, sql")
    users.update_profile(uow(), actor=member, full_name="Mia M", email="mia@example.com")
    with db_session_factory() as s:
        assert s.get(User, member.id).skills == "python, sql"
