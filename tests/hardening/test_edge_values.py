"""Values at the edges of what the types allow: ids beyond the integer columns, page numbers
beyond any listing, dates near the ends of the calendar, tokens with absurd expiries. Each is a
domain error with a clear message (NotFound, ValidationError, a refused token), never a
database error or an overflow that would reach the user as an incident id."""

import datetime as dt

import pytest

from sprintsync.config import session_secret
from sprintsync.domain import DATE_MAX, DATE_MIN, monday_of
from sprintsync.errors import NotFound, ValidationError
from sprintsync.services import analytics, audit, session_token, tasks, timelog, timers, timesheets

TOO_BIG = [2**31, 2**40, 10**20]  # beyond PostgreSQL's integer (int4), int8, and both
FAR_FUTURE = dt.date(9999, 12, 30)
FAR_PAST = dt.date(1, 1, 3)

ID_CALLS = {
    "get_task": lambda u, a, n: tasks.get_task(u(), actor=a, task_id=n),
    "move_task": lambda u, a, n: tasks.move_task(u(), actor=a, task_id=n, to_status="done"),
    "update_task": lambda u, a, n: tasks.update_task(
        u(), actor=a, task_id=n, expected_version=1, title="x"
    ),
    "delete_task": lambda u, a, n: tasks.delete_task(u(), actor=a, task_id=n),
    "task_history": lambda u, a, n: tasks.task_history(u(), actor=a, task_id=n),
    "list_tasks(assignee)": lambda u, a, n: tasks.list_tasks(u(), actor=a, assignee_id=n),
    "create_task(assignee)": lambda u, a, n: tasks.create_task(
        u(), actor=a, title="x", assignee_id=n
    ),
    "log_time": lambda u, a, n: timelog.log_time(u(), actor=a, task_id=n, duration="1h"),
    "task_entries": lambda u, a, n: timelog.task_entries(u(), actor=a, task_id=n),
    "edit_entry": lambda u, a, n: timelog.edit_entry(u(), actor=a, entry_id=n, note="x"),
    "delete_entry": lambda u, a, n: timelog.delete_entry(u(), actor=a, entry_id=n),
    "user_entries": lambda u, a, n: timelog.user_entries(
        u(), actor=a, user_id=n, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2)
    ),
    "start_timer": lambda u, a, n: timers.start_timer(u(), actor=a, task_id=n),
    "weekly_timesheet": lambda u, a, n: timesheets.weekly_timesheet(u(), actor=a, user_id=n),
    "minutes_by(user_ids)": lambda u, a, n: analytics.minutes_by(
        u(), actor=a, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 2), user_ids=[n]
    ),
}


@pytest.mark.parametrize("number", [0, -1, *TOO_BIG])
@pytest.mark.parametrize("call", sorted(ID_CALLS))
def test_an_id_no_row_can_have_is_not_found(uow, admin, call, number):
    with pytest.raises(NotFound, match=f"#{number} does not exist"):
        ID_CALLS[call](uow, admin, number)


@pytest.mark.parametrize(
    "listing",
    [
        lambda u, a, page: tasks.list_tasks(u(), actor=a, page=page),
        lambda u, a, page: audit.list_audit(u(), actor=a, page=page),
    ],
    ids=["tasks", "audit"],
)
@pytest.mark.parametrize("page", TOO_BIG)
def test_a_page_number_beyond_any_listing_is_refused_clearly(uow, admin, listing, page):
    with pytest.raises(ValidationError, match="Page must be between 1 and"):
        listing(uow, admin, page)


def test_the_last_allowed_page_is_simply_empty(uow, admin):
    assert tasks.list_tasks(uow(), actor=admin, page=1_000_000).items == []


def _range(start: dt.date, end: dt.date):
    return {"start": start, "end": end}


DATE_CALLS = {
    "dashboard": lambda u, a, d: analytics.dashboard(u(), actor=a, **_range(d, d)),
    "headline": lambda u, a, d: analytics.headline(u(), actor=a, **_range(d, d)),
    "minutes_by": lambda u, a, d: analytics.minutes_by(u(), actor=a, **_range(d, d)),
    "time_per_user": lambda u, a, d: analytics.time_per_user(u(), actor=a, **_range(d, d)),
    "team_per_day": lambda u, a, d: analytics.team_per_day(u(), actor=a, **_range(d, d)),
    "time_in_status": lambda u, a, d: analytics.time_in_status(u(), actor=a, **_range(d, d)),
    "tasks_by_status": lambda u, a, d: analytics.tasks_by_status(u(), actor=a, **_range(d, d)),
    "top_users": lambda u, a, d: analytics.top_users(u(), actor=a, week_of=d),
    "my_week": lambda u, a, d: analytics.my_week(u(), actor=a, today=d),
    "week_by_day": lambda u, a, d: analytics.week_by_day(u(), actor=a, today=d),
    "week_by_task": lambda u, a, d: analytics.week_by_task(u(), actor=a, today=d),
    "dashboard(today)": lambda u, a, d: analytics.dashboard(
        u(), actor=a, **_range(dt.date(2026, 1, 1), dt.date(2026, 1, 2)), today=d
    ),
    "weekly_timesheet": lambda u, a, d: timesheets.weekly_timesheet(u(), actor=a, week_start=d),
    "default_start": lambda u, a, d: analytics.default_start(d),
}


@pytest.mark.parametrize("day", [FAR_PAST, FAR_FUTURE, dt.date.min, dt.date.max])
@pytest.mark.parametrize("call", sorted(DATE_CALLS))
def test_a_date_near_the_ends_of_the_calendar_is_refused_clearly(uow, admin, call, day):
    with pytest.raises(ValidationError, match=f"between {DATE_MIN} and {DATE_MAX}"):
        DATE_CALLS[call](uow, admin, day)


# What each call answers for day `d` in a workspace with no time and no tasks: the answer is
# about that day (or its week), and empty, not merely "no exception".
EMPTY_ANSWERS = {
    "dashboard": lambda a, d: (a.start, a.end, a.is_empty) == (d, d, True),
    "headline": lambda a, d: (a.total_minutes, a.active_people, a.tasks_done) == (0, 0, 0),
    "minutes_by": lambda a, d: a.empty and list(a.columns) == ["user", "minutes"],
    "time_per_user": lambda a, d: a.empty,
    "team_per_day": lambda a, d: a.to_dict("records") == [{"day": d, "minutes": 0}],
    "time_in_status": lambda a, d: a.empty,
    "tasks_by_status": lambda a, d: a.empty,
    "top_users": lambda a, d: a.empty,
    "my_week": lambda a, d: a.monday == monday_of(d) and a.is_empty,
    "week_by_day": lambda a, d: len(a) == 7 and not a[["this_week", "last_week"]].any().any(),
    "week_by_task": lambda a, d: a.empty,
    "dashboard(today)": lambda a, d: a.week == monday_of(d) and a.is_empty,
    "weekly_timesheet": lambda a, d: (a.week_start, a.rows) == (monday_of(d), ()),
    "default_start": lambda a, d: a == monday_of(d) - dt.timedelta(weeks=4),
}


def test_every_date_call_has_its_expected_answer():
    assert set(EMPTY_ANSWERS) == set(DATE_CALLS)


@pytest.mark.parametrize("call", sorted(DATE_CALLS))
def test_days_near_both_ends_of_the_allowed_window_are_answered(uow, admin, call):
    # Two weeks in: the week views reach a week either side of the day they are given.
    fortnight = dt.timedelta(days=14)
    for day in (DATE_MIN + fortnight, DATE_MAX - fortnight):
        answer = DATE_CALLS[call](uow, admin, day)
        assert EMPTY_ANSWERS[call](answer, day), (call, day, answer)


@pytest.mark.parametrize("expires", [10**12, 10**20])  # year 33658; beyond time_t
def test_a_genuinely_signed_token_with_an_absurd_expiry_is_refused_not_a_crash(expires):
    import jwt

    secret = session_secret()
    claims = {
        "sub": "1",
        "ver": 0,
        "iat": 0,
        "exp": expires,
        "aud": session_token.AUDIENCE,
        "iss": session_token.ISSUER,
    }
    token = jwt.encode(claims, secret, algorithm=session_token.ALGORITHM)
    assert session_token.read(token, secret=secret) is None
