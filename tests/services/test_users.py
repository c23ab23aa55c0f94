import pytest
from sqlalchemy import text

from sprintsync.domain import Role
from sprintsync.errors import AuthError, Conflict, PermissionDenied, ValidationError
from sprintsync.services import audit, auth, bootstrap, users
from sprintsync.services.views import CONSOLE
from tests.conftest import PASSWORD


def test_sign_up_creates_a_member_who_can_sign_in(uow):
    user = users.register(
        uow(),
        username="newbie",
        password="a-good-password",
        full_name="New Bie",
        email="nb@example.com",
    )
    assert (user.role, user.is_active, user.full_name) == (Role.MEMBER, True, "New Bie")
    assert auth.authenticate(uow(), username="newbie", password="a-good-password").id == user.id


def test_usernames_are_unique_case_insensitively(uow, member):
    with pytest.raises(Conflict, match="already taken"):
        users.register(uow(), username="MIA", password="a-good-password")


@pytest.mark.parametrize(
    ("username", "password", "error"),
    [
        ("ab", "a-good-password", "3 to 32"),
        ("ok-name", "short", "8 to 128"),
        ("bad name", "a-good-password", "3 to 32"),
        ("ok-name", "x" * 129, "8 to 128"),
    ],
)
def test_bad_sign_ups_are_refused_and_change_nothing(uow, admin, username, password, error):
    before = len(users.list_users(uow(), actor=admin))
    with pytest.raises(ValidationError, match=error):
        users.register(uow(), username=username, password=password)
    assert len(users.list_users(uow(), actor=admin)) == before


def test_admin_creates_a_user_with_a_generated_password_shown_once(uow, admin):
    created = users.create_user(uow(), actor=admin, username="temp", role="manager")
    assert created.user.role == Role.MANAGER and len(created.password) >= 12
    assert "password" not in repr(created)
    assert auth.authenticate(uow(), username="temp", password=created.password)


@pytest.mark.parametrize(
    "call",
    [
        lambda uow, me: users.create_user(uow, actor=me, username="x-user"),
        lambda uow, me: users.set_role(uow, actor=me, username="otto", role="admin"),
        lambda uow, me: users.set_active(uow, actor=me, username="otto", active=False),
        lambda uow, me: users.reset_password(uow, actor=me, username="otto"),
        lambda uow, me: users.list_users(uow, actor=me),
    ],
    ids=["create", "set_role", "deactivate", "reset_password", "list"],
)
@pytest.mark.parametrize("role", ["member", "manager"])
def test_only_admins_manage_users(uow, make_user, other_member, call, role):
    me = make_user("someone", role)
    with pytest.raises(PermissionDenied, match="Only admins"):
        call(uow(), me)


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(uow, admin, make_user):
    with pytest.raises(ValidationError, match="at least one active admin"):
        users.set_role(uow(), actor=CONSOLE, username="ada", role="member")
    with pytest.raises(ValidationError, match="at least one active admin"):
        users.set_active(uow(), actor=CONSOLE, username="ada", active=False)
    make_user("second", Role.ADMIN)
    assert users.set_role(uow(), actor=admin, username="second", role="member").role == "member"


def test_an_admin_cannot_deactivate_themselves(uow, admin, make_user):
    make_user("second", Role.ADMIN)
    with pytest.raises(ValidationError, match="your own account"):
        users.set_active(uow(), actor=admin, username="ada", active=False)


def test_deactivated_users_are_refused_by_every_service_and_reactivation_restores(
    uow, admin, member
):
    users.set_active(uow(), actor=admin, username="mia", active=False)
    with pytest.raises(AuthError):
        users.directory(uow(), actor=member)
    users.set_active(uow(), actor=admin, username="mia", active=True)
    assert auth.authenticate(uow(), username="mia", password=PASSWORD)


def test_reset_password_gives_a_working_temporary_password_and_lifts_a_lockout(uow, admin, member):
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username="mia", password="wrong-password")
    creds = users.reset_password(uow(), actor=admin, username="mia")
    assert auth.authenticate(uow(), username="mia", password=creds.password).id == member.id
    with pytest.raises(AuthError):
        auth.authenticate(uow(), username="mia", password=PASSWORD)


def test_changing_own_password_needs_the_current_one(uow, member):
    with pytest.raises(AuthError, match="current password"):
        users.change_password(
            uow(), actor=member, current_password="nope-nope", new_password="another-password"
        )
    me = users.change_password(
        uow(), actor=member, current_password=PASSWORD, new_password="another-password"
    )
    assert me.token_version == member.token_version + 1
    assert auth.authenticate(uow(), username="mia", password="another-password")


def test_the_first_admin_is_bootstrapped_only_when_there_is_none(uow, member):
    created = bootstrap.bootstrap_admin(uow(), username="root", password="root-password")
    assert created is not None and created.role == Role.ADMIN
    assert bootstrap.bootstrap_admin(uow(), username="root2", password="root-password") is None


def test_bootstrap_never_touches_an_existing_account(uow, member):
    assert bootstrap.bootstrap_admin(uow(), username="mia", password="hijack-password") is None
    assert auth.authenticate(uow(), username="mia", password=PASSWORD).role == Role.MEMBER


def test_user_management_is_audited(uow, admin, other_member):
    users.set_role(uow(), actor=admin, username="otto", role="manager")
    users.reset_password(uow(), actor=admin, username="otto")
    page = audit.list_audit(uow(), actor=admin, action="user.")
    assert [e.action for e in page.items][:2] == ["user.reset_password", "user.set_role"]
    assert page.items[1].details == {"old": "member", "new": "manager"}
    assert page.items[1].actor == "ada" and page.items[1].target == "user:otto"


def test_the_users_list_shows_time_logged(uow, admin, member, db_session_factory):
    from sprintsync.services import tasks, timelog

    t = tasks.create_task(uow(), actor=member, title="Work")
    timelog.log_time(uow(), actor=member, task_id=t.id, duration="2h")
    listed = {u.username: u for u in users.list_users(uow(), actor=admin)}
    assert listed["mia"].total_minutes == 120 and listed["ada"].total_minutes == 0


def test_the_database_refuses_a_duplicate_name_even_without_the_service(db_session_factory, member):
    from sqlalchemy.exc import IntegrityError

    with db_session_factory() as s, pytest.raises(IntegrityError):
        s.execute(text("INSERT INTO users (username, password_hash) VALUES ('MIA', 'x')"))


def test_a_member_sees_names_and_roles_in_the_directory_but_no_email_sign_in_or_lockout(
    uow, member, other_member, db_session_factory
):
    import dataclasses

    with db_session_factory() as s:
        s.execute(
            text(
                "UPDATE users SET email = 'otto@example.com', last_login_at = now()"
                " WHERE username = 'otto'"
            )
        )
        s.commit()
    for _ in range(auth.MAX_FAILED_LOGINS):  # otto is locked out
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username="otto", password="wrong-password")
    people = {p.username: p for p in users.directory(uow(), actor=member)}
    assert dataclasses.asdict(people["otto"]) == {
        "id": other_member.id,
        "username": "otto",
        "full_name": "Otto",
        "role": Role.MEMBER,
        "is_active": True,
    }
    assert "otto@example.com" not in repr(people["otto"])


def test_wrong_current_passwords_count_towards_the_lockout(uow, member):
    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthError, match="current password is not correct"):
            users.change_password(
                uow(), actor=member, current_password="guess", new_password="a-new-passphrase"
            )
    with pytest.raises(AuthError, match="Too many failed"):
        users.change_password(
            uow(), actor=member, current_password="guess", new_password="a-new-passphrase"
        )
    with pytest.raises(AuthError, match="Too many failed"):  # even with the right one now
        users.change_password(
            uow(), actor=member, current_password=PASSWORD, new_password="a-new-passphrase"
        )
    with pytest.raises(AuthError, match="Too many failed"):
        auth.authenticate(uow(), username=member.username, password=PASSWORD)


def test_a_password_an_admin_set_must_be_replaced_at_the_next_sign_in(uow, admin):
    created = users.create_user(uow(), actor=admin, username="newbie")
    first = auth.authenticate(uow(), username="newbie", password=created.password)
    assert first.must_change_password
    assert auth.resume_session(uow(), user_id=first.id, token_version=0).must_change_password

    fresh = users.change_password(
        uow(), actor=first, current_password=created.password, new_password="my-own-passphrase"
    )
    assert not fresh.must_change_password
    again = auth.authenticate(uow(), username="newbie", password="my-own-passphrase")
    assert not again.must_change_password

    reset = users.reset_password(uow(), actor=CONSOLE, username="newbie")
    assert auth.authenticate(uow(), username="newbie", password=reset.password).must_change_password


def test_passwords_people_chose_themselves_need_no_change(uow, member):
    users.register(uow(), username="signed-up", password="a-good-password")
    assert not auth.authenticate(
        uow(), username="signed-up", password="a-good-password"
    ).must_change_password
    bootstrap.bootstrap_admin(uow(), username="root-admin", password="an admin passphrase")
    assert not auth.authenticate(
        uow(), username="root-admin", password="an admin passphrase"
    ).must_change_password
