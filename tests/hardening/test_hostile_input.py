"""Whatever a user types: a clear ValidationError and no change, or stored exactly as typed."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sprintsync.errors import AuthError, NotFound, ValidationError
from sprintsync.models import AuditLog, Task, TimeEntry
from sprintsync.services import audit, auth, tasks, timelog, users
from sprintsync.services.views import CONSOLE

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NASTY = [
    "'; DROP TABLE tasks; --",
    "<script>alert(1)</script>",
    "**bold** _it_ `code`",
    "Robert'); DELETE FROM users;--",
    "%_\\",
    "\u202eevil",
    "e\u0301\u0301",
    "🧨💥",
    "\t",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "line\nbreak",
    "\x07bell",
    "nul\x00byte",
    " " * 5,
]
texts = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=190, max_size=210),
    st.just("x" * 100_000),
    st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=20)),
)


def _counts(session_factory):
    with session_factory() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) for t in (Task, TimeEntry, AuditLog)
        )


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Target")


@SETTINGS
@given(title=texts, description=texts)
def test_task_titles_and_descriptions_are_refused_clearly_or_kept_verbatim(
    uow, member, db_session_factory, title, description
):
    before = _counts(db_session_factory)
    try:
        created = tasks.create_task(uow(), actor=member, title=title, description=description)
    except ValidationError as error:
        assert error.message and "Traceback" not in error.message
        assert _counts(db_session_factory) == before
        return
    assert created.title == title.strip()
    assert created.description == description.strip()
    stored = tasks.get_task(uow(), actor=member, task_id=created.id)
    assert (stored.title, stored.description) == (title.strip(), description.strip())


@SETTINGS
@given(note=texts)
def test_notes_are_refused_clearly_or_kept_verbatim(uow, member, task, db_session_factory, note):
    before = _counts(db_session_factory)
    try:
        entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="5m", note=note)
    except ValidationError as error:
        assert error.message
        assert _counts(db_session_factory) == before
        return
    assert entry.note == note.strip()


durations = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(max_size=30),
    st.sampled_from(
        [
            "-5",
            "0",
            "0m",
            "1441",
            "24h1m",
            "1e3",
            "NaN",
            "inf",
            "1h-30m",
            "١٢",
            "１２",
            "99999999999999999999",
            "1.5.5h",
            "h",
            "m",
            "1:99",
            "--1",
        ]
    ),
    st.builds(lambda h, m: f"{h}h{m}m", st.integers(-5, 30), st.integers(-5, 200)),
    st.floats(allow_nan=True),
)


@SETTINGS
@given(duration=durations)
def test_durations_either_log_whole_minutes_within_a_day_or_are_refused(
    uow, member, task, db_session_factory, duration
):
    before = _counts(db_session_factory)
    total_before = tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes
    try:
        entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration)
    except ValidationError as error:
        assert error.message
        assert _counts(db_session_factory) == before
        return
    assert 1 <= entry.minutes <= 1440
    after = tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes
    assert after == total_before + entry.minutes


@SETTINGS
@given(
    day=st.one_of(
        st.dates(),
        st.text(max_size=15),
        st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "yesterday"]),
    )
)
def test_dates_far_away_or_malformed_are_refused(uow, member, task, db_session_factory, day):
    before = _counts(db_session_factory)
    try:
        entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1m", spent_on=day)
    except ValidationError as error:
        assert error.message
        assert _counts(db_session_factory) == before
        return
    assert dt.date(2000, 1, 1) <= entry.spent_on <= dt.date.today() + dt.timedelta(days=1)


@SETTINGS
@given(search=texts)
def test_any_search_text_is_a_search_not_sql(uow, member, task, search):
    page = tasks.list_tasks(uow(), actor=member, search=search)
    wanted = search.replace("\x00", "").strip()[:200].lower()
    for found in page.items:
        assert wanted in (found.title + found.description).lower()


@SETTINGS
@given(username=texts, password=texts)
def test_sign_in_with_anything_typed_is_a_plain_refusal(uow, member, username, password):
    with pytest.raises(AuthError) as caught:
        auth.authenticate(uow(), username=username, password=password)
    assert caught.value.message in {auth.INVALID, auth.LOCKED}


@SETTINGS
@given(name=texts)
def test_looking_up_any_username_is_found_or_not_found(uow, admin, name):
    with pytest.raises(NotFound):
        users.get_user(uow(), actor=admin, username=name + "-x")
    audit.list_audit(uow(), actor=admin, by_username=name, action=name)


ESCAPES = ["\x1b[2J\x1b[31mred", "bell\x07", "two\nlines", "tab\there", "\x9bcsi", "\udcff"]


@pytest.mark.parametrize("text", ESCAPES)
@pytest.mark.parametrize(
    "change",
    [
        lambda u, me, text: users.update_profile(u(), actor=me, full_name=text, email=None),
        lambda u, me, text: users.update_profile(
            u(), actor=me, full_name="Mia", email=f"mia{text}@example.com"
        ),
        lambda u, me, text: users.create_user(
            u(), actor=CONSOLE, username="newbie", full_name=text
        ),
    ],
    ids=["own full name", "own email", "new user's full name"],
)
def test_names_and_emails_that_would_drive_a_terminal_are_refused(
    uow, member, db_session_factory, change, text
):
    """`sprintsync users list` prints full names to an operator's terminal as they are."""
    before = _counts(db_session_factory)
    with pytest.raises(ValidationError) as refused:
        change(uow, member, text)
    assert "\x1b" not in refused.value.message
    assert _counts(db_session_factory) == before


@pytest.mark.parametrize("field", ["title", "description"])
def test_text_that_is_not_unicode_is_refused_not_a_database_error(uow, member, field):
    """Undecodable bytes in a command-line argument reach Python as lone surrogates."""
    values = {"title": "Fine", field: "caf\udce9"}
    with pytest.raises(ValidationError, match="not valid text"):
        tasks.create_task(uow(), actor=member, **values)


def test_a_search_that_is_not_unicode_finds_by_the_rest(uow, member, task):
    assert [t.id for t in tasks.list_tasks(uow(), actor=member, search="Tar\udcffget").items] == [
        task.id
    ]


def test_an_empty_password_from_the_operator_is_refused_not_replaced_by_a_secret_one(
    uow, db_session_factory
):
    before = _counts(db_session_factory)
    with pytest.raises(ValidationError, match="Password must be"):
        users.create_user(uow(), actor=CONSOLE, username="newbie", password="")
    assert _counts(db_session_factory) == before


def test_sign_ins_with_huge_unknown_usernames_keep_only_a_digest(uow, db_session_factory):
    from sprintsync.models import SignInFailure

    for n in range(3):
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username=f"{n}" + "x" * 100_000, password="whatever")
    with db_session_factory() as s:
        keys = s.scalars(select(SignInFailure.name_key)).all()
    assert len(keys) == 3
    assert all(len(key) == 32 for key in keys)  # a digest, never the typed name
