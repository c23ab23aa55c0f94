"""For any entries and any range, every way of cutting the time adds up to the same total."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
