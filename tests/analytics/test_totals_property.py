"""For any entries and any range, every way of cutting the time adds up to the same total."""

from __future__ import annotations

import contextlib
import datetime as dt
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from sprintsync.services import analytics

FIRST = dt.date(2025, 2, 24)  # a Monday
DAYS = 45

entries = st.lists(
    st.tuples(
        st.integers(0, 2),  # which person
        st.integers(0, DAYS - 1),  # day offset
        st.integers(1, 1440),  # minutes
    ),
    max_size=40,
)
ranges = st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1)).map(sorted)
subsets = st.sets(st.integers(0, 2))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(entries=entries, bounds=ranges, chosen=subsets)
def test_per_user_totals_sum_to_the_team_total_for_any_range(
    uow, work, member, other_member, manager, entries, bounds, chosen
):
    people = [member, other_member, manager]
    task = work.task(member)
    for who, offset, minutes in entries:
        work.time(people[who], task, ((FIRST + dt.timedelta(days=offset)).isoformat(), minutes))
    start, end = (FIRST + dt.timedelta(days=b) for b in bounds)
    user_ids = [people[i].id for i in sorted(chosen)] or None
    expected = sum(
        minutes
        for who, offset, minutes in entries
        if bounds[0] <= offset <= bounds[1] and (user_ids is None or people[who].id in user_ids)
    )
    window = {"start": start, "end": end, "user_ids": user_ids}
    try:
        board = analytics.dashboard(uow(), actor=manager, by="day", **window)
        per_user = analytics.minutes_by(uow(), actor=manager, by="user", **window)
        per_week = analytics.time_per_user(uow(), actor=manager, by="week", top=1, **window)
        assert per_user["minutes"].sum() == expected
        assert per_week["minutes"].sum() == expected
        assert board.per_user["minutes"].sum() == expected
        assert board.team_per_day["minutes"].sum() == expected
        assert board.headline.total_minutes == expected
        assert len(board.team_per_day) == (end - start).days + 1
    finally:
        work.forget_time()


# The per-project and per-tag rollups (migration 0006) against the raw entries, through every
# kind of write: entries logged (one at a time and in bulk), edited, moved to another day,
# deleted; tasks moved between projects and sprints, retagged, deleted with their entries.
RAW = {
    "project_day_totals": (
        "SELECT t.project_id, t.sprint_id, e.user_id, e.spent_on, sum(e.minutes), count(*) "
        "FROM time_entries e JOIN tasks t ON t.id = e.task_id GROUP BY 1, 2, 3, 4",
        "SELECT project_id, sprint_id, user_id, spent_on, minutes, entries FROM project_day_totals",
    ),
    "tag_day_totals": (
        "SELECT g.tag_id, t.project_id, t.sprint_id, e.user_id, e.spent_on, sum(e.minutes), "
        "count(*) FROM time_entries e JOIN tasks t ON t.id = e.task_id "
        "JOIN task_tags g ON g.task_id = t.id GROUP BY 1, 2, 3, 4, 5",
        "SELECT tag_id, project_id, sprint_id, user_id, spent_on, minutes, entries "
        "FROM tag_day_totals",
    ),
}

TASKS, PLACES = 4, 5  # places: (project, sprint) pairs a task can be in, see planning_world
days = st.integers(0, DAYS - 1)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("log"), st.integers(0, TASKS - 1), st.integers(0, 2), days, st.integers(1, 600)
        ),
        st.tuples(
            st.just("bulk"),
            st.lists(
                st.tuples(st.integers(0, TASKS - 1), st.integers(0, 2), days),
                min_size=1,
                max_size=6,
            ),
        ),
        st.tuples(st.just("edit"), st.integers(0, 99), st.integers(1, 600), days),
        st.tuples(st.just("unlog"), st.integers(0, 99)),
        st.tuples(st.just("move"), st.integers(0, TASKS - 1), st.integers(0, PLACES - 1)),
        st.tuples(st.just("tag"), st.integers(0, TASKS - 1), st.sets(st.integers(0, 2))),
        st.tuples(st.just("drop"), st.integers(0, TASKS - 1)),
    ),
    max_size=25,
)


@contextmanager
def example(db_session_factory):
    """One hypothesis example inside a savepoint of the test's connection, rolled back after:
    the sessions (and services) in it commit savepoints of their own inside this one."""
    with db_session_factory() as probe:
        connection = probe.get_bind()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()


def planning_world(s, people) -> tuple[list[tuple[int, int | None]], list[int], list[int]]:
    """(places, task ids, tag ids): WEB with two sprints, API with one, GEN; four tasks."""

    def one(sql: str, **values):
        return s.execute(text(sql), values).scalar_one()

    web = one("INSERT INTO projects (key, name) VALUES ('WEB', 'Web') RETURNING id")
    api = one("INSERT INTO projects (key, name) VALUES ('API', 'Api') RETURNING id")
    general = one("SELECT id FROM projects WHERE is_default")
    sprint = (
        "INSERT INTO sprints (project_id, name, starts_on, ends_on) "
        "VALUES (:p, :n, :a, :b) RETURNING id"
    )
    w1 = one(sprint, p=web, n="W1", a=FIRST, b=FIRST + dt.timedelta(days=13))
    w2 = one(
        sprint, p=web, n="W2", a=FIRST + dt.timedelta(days=14), b=FIRST + dt.timedelta(days=27)
    )
    a1 = one(sprint, p=api, n="A1", a=FIRST, b=FIRST + dt.timedelta(days=20))
    places = [(general, None), (web, w1), (web, w2), (web, None), (api, a1)]
    task_ids = [
        one(
            "INSERT INTO tasks (title, created_by_id, project_id, sprint_id) "
            "VALUES ('T', :u, :p, :s) RETURNING id",
            u=people[0].id,
            p=places[i % PLACES][0],
            s=places[i % PLACES][1],
        )
        for i in range(TASKS)
    ]
    tag_ids = [
        one("INSERT INTO tags (name) VALUES (:n) RETURNING id", n=f"tag{i}") for i in range(3)
    ]
    for i, task in enumerate(task_ids[:3]):  # tagged from the start, so retagging takes tags off
        s.execute(text("INSERT INTO task_tags VALUES (:t, :g)"), {"t": task, "g": tag_ids[i]})
    return places, task_ids, tag_ids


def apply(s, op, people, places, task_ids, tag_ids) -> None:
    kind, *args = op
    live = [
        t
        for t in task_ids
        if s.execute(text("SELECT 1 FROM tasks WHERE id = :t"), {"t": t}).first()
    ]
    entries = s.scalars(text("SELECT id FROM time_entries ORDER BY id")).all()
    on = lambda offset: FIRST + dt.timedelta(days=offset)  # noqa: E731
    log = "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) VALUES (:t, :u, :m, :d)"
    if kind == "log" and task_ids[args[0]] in live:
        s.execute(
            text(log),
            {"t": task_ids[args[0]], "u": people[args[1]].id, "m": args[3], "d": on(args[2])},
        )
    elif kind == "bulk":
        rows = [
            {"t": task_ids[t], "u": people[u].id, "m": 30 + t, "d": on(d)}
            for t, u, d in args[0]
            if task_ids[t] in live
        ]
        if rows:  # one statement for all of them, as COPY and multi-row inserts write
            s.execute(text(log), rows)
    elif kind == "edit" and entries:
        s.execute(
            text("UPDATE time_entries SET minutes = :m, spent_on = :d WHERE id = :e"),
            {"m": args[1], "d": on(args[2]), "e": entries[args[0] % len(entries)]},
        )
    elif kind == "unlog" and entries:
        s.execute(
            text("DELETE FROM time_entries WHERE id = :e"), {"e": entries[args[0] % len(entries)]}
        )
    elif kind == "move" and task_ids[args[0]] in live:
        project, sprint = places[args[1]]
        s.execute(
            text("UPDATE tasks SET project_id = :p, sprint_id = :s WHERE id = :t"),
            {"p": project, "s": sprint, "t": task_ids[args[0]]},
        )
    elif kind == "tag" and task_ids[args[0]] in live:
        task = task_ids[args[0]]
        s.execute(text("DELETE FROM task_tags WHERE task_id = :t"), {"t": task})
        for i in sorted(args[1]):
            s.execute(
                text("INSERT INTO task_tags (task_id, tag_id) VALUES (:t, :g)"),
                {"t": task, "g": tag_ids[i]},
            )
    elif kind == "drop" and task_ids[args[0]] in live:
        s.execute(text("DELETE FROM time_entries WHERE task_id = :t"), {"t": task_ids[args[0]]})
        s.execute(text("DELETE FROM tasks WHERE id = :t"), {"t": task_ids[args[0]]})


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations, bounds=ranges)
def test_project_and_tag_rollups_equal_the_raw_entries_through_any_writes(
    uow, db_session_factory, member, other_member, manager, ops, bounds
):
    people = [member, other_member, manager]
    with example(db_session_factory):
        with db_session_factory() as s:
            places, task_ids, tag_ids = planning_world(s, people)
            for op in ops:
                apply(s, op, people, places, task_ids, tag_ids)
            s.commit()
        with db_session_factory() as s:
            for table, (raw, rollup) in RAW.items():
                expected = set(s.execute(text(raw)).all())
                assert set(s.execute(text(rollup)).all()) == expected, table
            start, end = (FIRST + dt.timedelta(days=b) for b in bounds)
            window = {"a": start, "b": end}
            by_project = dict(s.execute(text(RAW_BY_PROJECT), window).all())
            by_tag = dict(s.execute(text(RAW_BY_TAG), window).all())
        seen = analytics.minutes_by(uow(), actor=manager, start=start, end=end, by="project")
        assert dict(zip(seen["project"], seen["minutes"], strict=True)) == by_project
        tagged = analytics.minutes_by(uow(), actor=manager, start=start, end=end, by="tag")
        assert dict(zip(tagged["tag"], tagged["minutes"], strict=True)) == by_tag
        sprints = analytics.minutes_by(uow(), actor=manager, start=start, end=end, by="sprint")
        assert sprints["minutes"].sum() == sum(by_project.values())


RAW_BY_PROJECT = (
    "SELECT p.key, sum(e.minutes) FROM time_entries e JOIN tasks t ON t.id = e.task_id "
    "JOIN projects p ON p.id = t.project_id WHERE e.spent_on BETWEEN :a AND :b GROUP BY 1"
)
RAW_BY_TAG = (
    "SELECT g.name, sum(e.minutes) FROM time_entries e "
    "JOIN task_tags x ON x.task_id = e.task_id JOIN tags g ON g.id = x.tag_id "
    "WHERE e.spent_on BETWEEN :a AND :b GROUP BY 1"
)


# The week grid (services/timesheet_grid.py) is a writer of entries too: whatever is typed,
# each saved cell then holds what was typed, every task's total is the sum of its entries,
# and the rollups equal the raw entries.
GRID_WEEK = dt.date(2025, 3, 3)  # a Monday, every day of it in the past
grid_saves = st.lists(
    st.lists(
        st.tuples(
            st.integers(0, 2),  # task
            st.integers(0, 6),  # day
            st.one_of(st.just(""), st.integers(1, 300).map(str), st.sampled_from(["1h", "45m"])),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda c: (c[0], c[1]),
    ),
    max_size=6,
)
timed = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 6), st.integers(0, 20)), max_size=4)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(saves=grid_saves, spans=timed)
def test_grid_saves_keep_cells_task_totals_and_rollups_exact(
    uow, db_session_factory, member, saves, spans
):
    from sprintsync.errors import ValidationError
    from sprintsync.services import tasks, timelog, timesheets
    from sprintsync.services.timesheet_grid import cell_minutes, save_grid
    from sprintsync.services.timesheet_views import GridCell

    with example(db_session_factory):
        ids = [tasks.create_task(uow(), actor=member, title=f"T{i}").id for i in range(3)]
        for task, day, hour in spans:  # timed entries the grid may not cut (overlaps refused)
            with contextlib.suppress(ValidationError):
                timelog.log_time(
                    uow(),
                    actor=member,
                    task_id=ids[task],
                    start=f"{hour}:00",
                    end=f"{hour + 1}:00",
                    spent_on=GRID_WEEK + dt.timedelta(days=day),
                )
        for cells in saves:
            try:
                save_grid(
                    uow(),
                    actor=member,
                    week_start=GRID_WEEK,
                    cells=[GridCell(ids[t], d, typed) for t, d, typed in cells],
                )
            except ValidationError:
                continue  # a cut of timed time or a full day: nothing saved at all
            sheet = timesheets.weekly_timesheet(uow(), actor=member, week_start=GRID_WEEK)
            held = {(r.task_id, d): m for r in sheet.rows for d, m in enumerate(r.minutes)}
            for t, d, typed in cells:
                assert held.get((ids[t], d), 0) == cell_minutes(typed)
        with db_session_factory() as s:
            for table, (raw, rollup) in RAW.items():
                assert set(s.execute(text(rollup)).all()) == set(s.execute(text(raw)).all()), table
            days = set(s.execute(text("SELECT user_id, spent_on, minutes FROM user_day_totals")))
            assert days == set(
                s.execute(
                    text("SELECT user_id, spent_on, sum(minutes) FROM time_entries GROUP BY 1, 2")
                )
            )
            totals = s.execute(
                text(
                    "SELECT t.id, t.total_minutes, coalesce(sum(e.minutes), 0) FROM tasks t "
                    "LEFT JOIN time_entries e ON e.task_id = t.id GROUP BY t.id"
                )
            ).all()
            assert all(total == summed for _, total, summed in totals)
