"""The Timesheets page's parts: everyone's week state for a chosen week (missing, draft,
submitted, approved, sent back) and who is short, one person's week read-only with approve /
send back (and reopen for admins), and the detailed time report with its downloads. The
services refuse anyone without permission whatever is drawn."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.exports import entries_frame, entries_xlsx
from sprintsync.services import entry_report, projects, tags, timesheets, unit_of_work, users, weeks
from sprintsync.services.timesheet_views import WeekView
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.errors import load
from sprintsync.ui.exports import download_csv, download_xlsx
from sprintsync.ui.forms import Form
from sprintsync.ui.week_sheet import decided, timesheet
from sprintsync.workweek import WeekState, week_label

PERSON = "timesheets.person"


def team_table(found: list[WeekView]) -> None:
    counts = {state: sum(w.state == state for w in found) for state in WeekState}
    with st.container(horizontal=True):
        for state, n in counts.items():
            st.metric(state.label, n)
    table = pd.DataFrame(
        {
            "Person": [w.username for w in found],
            "Name": [w.full_name for w in found],
            "State": [w.state.label for w in found],
            "Logged": [format_duration(w.logged_minutes) for w in found],
            "Expected": [format_duration(w.expected_minutes) for w in found],
            "Short": ["short" if w.short else "" for w in found],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="timesheets.team")
    nothing = [w.username for w in found if not w.logged_minutes and w.expected_minutes]
    short = [w.username for w in found if w.short and w.logged_minutes]
    if nothing:
        st.warning("Logged nothing: " + ", ".join(nothing), icon=":material/person_off:")
    if short:
        st.info("Less than expected: " + ", ".join(short), icon=":material/hourglass_bottom:")


def pick_person(found: list[WeekView]) -> WeekView | None:
    by_id = {w.user_id: w for w in found}
    chosen = st.selectbox(
        "Person",
        list(by_id),
        index=None,
        key=PERSON,
        placeholder="Choose someone to see their week",
        format_func=lambda i: f"{by_id[i].username} · {by_id[i].state.label}",
    )
    return by_id.get(chosen) if chosen is not None else None


def person_week(actor: Actor, week: WeekView) -> None:
    """Their grid read-only, the state, and the decisions this actor may take."""
    sheet = load(
        timesheets.weekly_timesheet,
        unit_of_work(),
        actor=actor,
        week_start=week.week_start,
        user_id=week.user_id,
    )
    timesheet(sheet)
    st.text(f"{week.username}: {weeks.describe(week)}")
    if week.state in (WeekState.APPROVED, WeekState.RETURNED):
        st.caption(f"{week.state.label} {decided(week)}")
    if week.state == WeekState.SUBMITTED and week.user_id != actor.id:
        _decide(actor, week)
    elif week.state == WeekState.APPROVED and actor.is_admin:
        _reopen(actor, week)


def _decide(actor: Actor, week: WeekView) -> None:
    # The week's version is in the form's name: once it changes (decided in another tab, the
    # person withdrew it), the comment and the buttons drawn for the old state are gone.
    form = Form(f"decide.{week.user_id}.{week.week_start}.{week.version}")
    with form.drawn():
        comment = st.text_area("Comment (required to send back)", key=form.key("comment"))
        with st.container(horizontal=True):
            approve = form.submitted("Approve", type="primary", icon=":material/verified:")
            send_back = form.submitted("Send back", name="return", icon=":material/undo:")
    whose = f"{week.username}'s {week_label(week.week_start)}"
    for clicked, decide, action, busy, done in (
        (approve, weeks.approve_week, "week.approve", "Approving…", f"Approved {whose}."),
        (send_back, weeks.return_week, "week.return", "Sending back…", f"Sent {whose} back."),
    ):
        if clicked:
            with acting(action, busy):
                decide(
                    unit_of_work(),
                    actor=actor,
                    user_id=week.user_id,
                    week_start=week.week_start,
                    comment=comment,
                    expected_version=week.version,
                )
                finish(done, form=form)


def _reopen(actor: Actor, week: WeekView) -> None:
    form = Form(f"reopen.{week.user_id}.{week.week_start}.{week.version}")
    with form.drawn():
        reason = st.text_input(
            "Reason for reopening (kept in the audit log)", key=form.key("reason")
        )
        reopen = form.submitted("Reopen week", icon=":material/lock_open:")
    if reopen:
        with acting("week.reopen", "Reopening…"):
            weeks.reopen_week(
                unit_of_work(),
                actor=actor,
                user_id=week.user_id,
                week_start=week.week_start,
                reason=reason,
            )
            finish(f"Reopened {week.username}'s {week_label(week.week_start)}.", form=form)


def time_report(actor: Actor, monday: dt.date) -> None:
    """Filters, a preview and the CSV and XLSX downloads of the detailed time report."""
    left, right = st.columns(2)
    span = left.date_input(
        "Dates",
        value=(monday, monday + dt.timedelta(days=6)),
        key="report.dates",
        format="YYYY-MM-DD",
    )
    people = {p.id: p.username for p in users.directory(unit_of_work(), actor=actor)}
    chosen_people = right.multiselect(
        "People", list(people), format_func=people.__getitem__, key="report.people"
    )
    found = {
        p.id: f"{p.key} · {p.name}" for p in projects.list_projects(unit_of_work(), actor=actor)
    }
    chosen_projects = left.multiselect(
        "Projects", list(found), format_func=found.__getitem__, key="report.projects"
    )
    names = [t.name for t in tags.list_tags(unit_of_work(), actor=actor)]
    chosen_tags = right.multiselect("Tags", names, key="report.tags")
    if not isinstance(span, tuple) or len(span) != 2:
        st.caption("Choose a first and a last day.")
        return
    report = entry_report.time_entries_report(
        unit_of_work(),
        actor=actor,
        start=span[0],
        end=span[1],
        user_ids=chosen_people or None,
        project_ids=chosen_projects or None,
        tags=chosen_tags or None,
    )
    st.metric("Time in the report", format_duration(report.total_minutes))
    table = entries_frame(report)
    st.dataframe(table.head(500), hide_index=True, width="stretch", key="report.preview")
    if len(table) > 500:
        st.caption(f"The first 500 of {len(table):,} entries; the downloads hold them all.")
    name = f"time-entries-{span[0]:%Y%m%d}-{span[1]:%Y%m%d}"
    with st.container(horizontal=True):
        download_csv(table, name, "Download CSV")
        download_xlsx(lambda: entries_xlsx(report), name, "Download XLSX")
