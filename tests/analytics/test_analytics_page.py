"""The Analytics page and the member's charts, run in the real Streamlit runtime (AppTest)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import analytics
from sprintsync.ui import charts
from sprintsync.ui.parts import analytics as parts
from tests.ui.page_runner import open_tables

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "analytics.py")
CHART_KEYS = [
    "time-per-person",
    "team-per-day",
    "time-in-status",
    "tasks-by-status",
]


def served_csv(button, downloads) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(downloads.of(button)))


THIS_MONDAY = monday_of(today())
LAST_MONDAY = THIS_MONDAY - dt.timedelta(days=7)


def day(monday: dt.date, offset: int = 0, hour: str = "") -> str:
    return (monday + dt.timedelta(days=offset)).isoformat() + (f"T{hour}" if hour else "")


@pytest.fixture
def recent(work, member, other_member):
    """Last week and this Monday (always within the default range): mia 2h + 1.5h and a task
    done in 48 hours, otto 1h."""
    docs = work.task(
        member,
        [
            ("todo", day(LAST_MONDAY, 0, "09:00")),
            ("in_progress", day(LAST_MONDAY, 0, "10:00")),
            ("done", day(LAST_MONDAY, 2, "10:00")),
        ],
        title="Docs",
    )
    work.time(member, docs, (day(LAST_MONDAY), 120), (day(THIS_MONDAY), 90))
    work.time(other_member, work.task(other_member), (day(LAST_MONDAY, 1), 60))


def page(actor, section: str | None = None) -> AppTest:
    """The page after its first run; `section` opens that section's tab first."""
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["actor"] = actor
    if section is not None:
        at.session_state[parts.SECTION_KEY] = section
    return at.run()


def charts_drawn(actor, section: str) -> list[str]:
    """The chart titles the section shows (a chart with nothing to draw keeps its title)."""
    at = page(actor, section)
    assert not at.exception
    return [subheader.value for subheader in at.subheader]


def test_a_manager_sees_headline_charts_tables_and_downloads(recent, manager, downloads):
    at = page(manager)
    assert not at.exception
    assert not at.error
    assert at.date_input(key="dates").value == analytics.default_range()
    assert [m.value for m in at.metric] == ["4.5 h", "2", "1", "48.0 h"]
    # The first section: the team's time in two charts and this week's ranking, drawn alone.
    assert len(at.get("plotly_chart")) == 2
    assert [tab.label for tab in at.tabs].count("Chart") == 2
    assert len(at.dataframe) == 0  # a chart's table is drawn when its tab is opened
    [ranking] = at.table
    assert ranking.value.to_dict("records") == [{"#": 1, "Person": "mia", "Hours": "1.5 h"}]
    opened = open_tables(page(manager))
    assert len(opened.dataframe) == 2
    assert not opened.get("plotly_chart")
    for chart in at.get("plotly_chart"):  # our look, sent with the figure: nothing for the
        assert chart.proto.theme == ""  # browser to work in (it would, for theme="streamlit")
        layout = json.loads(chart.proto.spec)["layout"]
        assert layout["font"]["family"] == '"Source Sans", sans-serif'
        assert layout["plot_bgcolor"] == "#ffffff"
        assert "template" not in layout  # see charts.figure
    buttons = {b.proto.deferred_file_id: b for b in at.get("download_button")}
    assert len(buttons) == 3  # each made when clicked, from its own table
    per_person = served_csv(at.get("download_button")[0], downloads)
    assert per_person.to_dict("records") == [
        {"Week starting": day(LAST_MONDAY), "Person": "mia", "Hours": 2.0},
        {"Week starting": day(LAST_MONDAY), "Person": "otto", "Hours": 1.0},
        {"Week starting": day(THIS_MONDAY), "Person": "mia", "Hours": 1.5},
    ]
    top = served_csv(at.get("download_button")[2], downloads)
    assert top.to_dict("records") == [{"Person": "mia", "Hours": 1.5}]
    for table, button in zip(opened.dataframe, opened.get("download_button")[:2], strict=True):
        shown = table.value.reset_index(drop=True)
        assert served_csv(button, downloads).shape == shown.shape


def test_filters_change_the_figures_and_the_csv(recent, manager, member, downloads):
    at = page(manager)
    at.multiselect(key="people").set_value([member.id]).run()
    at.radio(key="by").set_value("day").run()
    assert not at.exception
    assert at.metric[0].value == "3.5 h"
    per_person = served_csv(at.get("download_button")[0], downloads)
    assert per_person.to_dict("records") == [
        {"Day": day(LAST_MONDAY), "Person": "mia", "Hours": 2.0},
        {"Day": day(THIS_MONDAY), "Person": "mia", "Hours": 1.5},
    ]
    at.date_input(key="dates").set_value((LAST_MONDAY, LAST_MONDAY + dt.timedelta(days=6))).run()
    assert at.metric[0].value == "2.0 h"
    team = served_csv(at.get("download_button")[1], downloads)
    assert team.to_dict("list") == {
        "Day": [day(LAST_MONDAY, n) for n in range(7)],
        "Hours": [2.0, 0, 0, 0, 0, 0, 0],
    }


@pytest.mark.parametrize(
    ("section", "titles"),
    [
        ("Team time", ["Time per person per week", "Team hours per day", "Top 5 this week"]),
        (
            "Tasks and estimates",
            [
                "Average time in each status before done",
                "Tasks by status per person",
                "Estimate accuracy by person and kind of work",
            ],
        ),
        (
            "Projects and sprints",
            [
                "Time per project per week",
                "Time per person per project",
                "Estimate against time logged by project",
                "Estimate against time logged by sprint",
                "Velocity of GEN: estimate done per sprint",
            ],
        ),
    ],
)
def test_each_section_draws_its_own_charts_and_no_other(recent, manager, section, titles):
    drawn = charts_drawn(manager, section)
    assert [t.split(" (")[0] for t in drawn] == titles


def test_charts_are_titled_with_axes_in_hours(recent, manager):
    served = [chart for s in parts.SECTIONS for chart in page(manager, s).get("plotly_chart")]
    figures = [json.loads(chart.proto.spec) for chart in served]
    titles = [chart.proto.alt for chart in served]  # each chart's name, its subheader's text
    assert titles[0] == "Time per person per week"
    assert "hours" in figures[0]["layout"]["yaxis"]["title"]["text"]
    assert all(title for title in titles)
    assert all(
        "hours" in (f["layout"]["xaxis"]["title"]["text"] + f["layout"]["yaxis"]["title"]["text"])
        or "Tasks" in f["layout"]["xaxis"]["title"]["text"]
        for f in figures
    )


def test_every_figure_served_passes_plotlys_checking_unchanged(recent, manager):
    # The app builds figures without Plotly's checking (ui/charts.py): a misspelt property
    # or a wrong value fails here, and the checked figure is the one that was sent.
    for section in parts.SECTIONS:
        for chart in page(manager, section).get("plotly_chart"):
            served = json.loads(chart.proto.spec)
            checked = go.Figure(served).to_plotly_json()  # raises on anything invalid
            assert json.loads(pio.to_json(checked)) == served


@pytest.mark.parametrize("section", ["Team time", "Tasks and estimates"])
def test_an_empty_range_shows_a_helpful_message_and_no_chart(manager, section):
    at = page(manager, section)
    at.date_input(key="dates").set_value((dt.date(2020, 1, 6), dt.date(2020, 1, 12))).run()
    assert not at.exception
    assert not at.error
    assert not at.get("plotly_chart")
    assert "Try a wider date range" in at.info[0].value


def test_open_tasks_alone_leave_the_team_time_empty_and_fill_tasks_by_status(work, manager, member):
    work.task(member, [("todo", day(THIS_MONDAY, 0, "09:00"))], title="Not started")
    team = page(manager)
    assert not team.exception
    assert "no time was logged and no task finished for these people" in team.info[0].value
    assert not team.get("plotly_chart")
    tasks_section = page(manager, "Tasks and estimates")
    assert not tasks_section.exception
    assert "Tasks by status per person" in [s.value for s in tasks_section.subheader]
    [by_status] = [
        served
        for served in tasks_section.get("plotly_chart")
        if "Tasks by status" in served.proto.alt
    ]
    bars = json.loads(by_status.proto.spec)["data"]
    assert {b["name"]: b["x"] for b in bars} == {
        "To do": [1],
        "In progress": [0],
        "Done in range": [0],
    }


def test_a_half_picked_range_asks_for_the_end_date(manager):
    at = page(manager)
    at.date_input(key="dates").set_value((dt.date(2025, 3, 3),)).run()
    assert not at.exception
    assert "last day" in at.info[0].value


def test_a_member_reaching_the_page_is_told_it_is_for_managers(recent, member):
    at = page(member)
    assert not at.exception
    assert "managers and admins" in at.error[0].value
    assert not at.get("plotly_chart")


def test_the_page_without_a_signed_in_user_asks_to_sign_in():
    at = AppTest.from_file(PAGE, default_timeout=30).run()
    assert not at.exception
    assert "sign in" in at.warning[0].value


def test_each_chart_table_is_exactly_the_csv_it_offers(recent, uow, manager):
    board = analytics.dashboard(uow(), actor=manager, start=LAST_MONDAY, end=THIS_MONDAY)
    by_status = analytics.tasks_by_status(
        uow(), actor=manager, start=LAST_MONDAY, end=THIS_MONDAY, top=analytics.NAMED_PEOPLE
    )
    palette = charts.colours([])
    drawn = parts.dashboard_charts(board, by_status, palette)
    for chart in drawn:
        assert pd.read_csv(io.BytesIO(chart.csv())).equals(
            pd.read_csv(io.StringIO(chart.table.to_csv(index=False)))
        )
        assert chart.figure is not None
    assert [c.key for c in drawn] == CHART_KEYS


def my_time_script():
    import datetime as dt

    import streamlit as st

    from sprintsync.services import analytics, unit_of_work
    from sprintsync.ui.parts import my_time

    actor = st.session_state["actor"]
    my_time.show_week(analytics.my_week(unit_of_work(), actor=actor, today=dt.date(2025, 3, 12)))


# The script shows the week of Wednesday 12 March 2025: a past week, named by its Monday.
THIS, LAST = "Week of Mon 10 Mar", "Week of Mon 3 Mar"


def test_my_time_charts_show_this_week_against_last_and_by_task(work, member, downloads):
    docs = work.task(member, title="Docs")
    work.time(member, docs, ("2025-03-04", 60), ("2025-03-11", 90))
    at = AppTest.from_function(my_time_script, default_timeout=30)
    at.session_state["actor"] = member
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    by_day = served_csv(at.get("download_button")[0], downloads)
    assert by_day.iloc[:2].to_dict("records") == [
        {"Day": "Mon", THIS: 0.0, LAST: 0.0},
        {"Day": "Tue", THIS: 1.5, LAST: 1.0},
    ]
    by_task = served_csv(at.get("download_button")[1], downloads)
    assert by_task.to_dict("records") == [{"Task": f"#{docs} Docs", THIS: 1.5, LAST: 1.0}]


def test_my_time_charts_without_time_say_so(member):
    at = AppTest.from_function(my_time_script, default_timeout=30)
    at.session_state["actor"] = member
    at.run()
    assert not at.exception
    assert not at.get("plotly_chart")
    assert [i.value for i in at.info] == [
        "You have not logged time these two weeks.",
        "No time on any task these two weeks.",
    ]
