"""The Projects page in the real Streamlit runtime: budgets with their warnings, the sprints'
figures and charts, and the managers' forms, each checked in the database."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.services import projects, sprints, tasks, timelog
from tests.ui.apptest_helpers import press, values
from tests.ui.page_runner import errors, open_page, toasts

TODAY = dt.date.today()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def work(uow, manager, member):
    """WEB (10 h budget, 9 h logged: near), OPS (2 h budget, 3 h logged: over), API (none);
    WEB has an active sprint holding two of mia's tasks, one done."""
    made = {
        key: projects.create_project(uow(), actor=manager, key=key, name=name, budget=budget)
        for key, name, budget in [
            ("WEB", "Website", "10h"),
            ("OPS", "Operations", "2h"),
            ("API", "API", None),
        ]
    }
    sprint = sprints.create_sprint(
        uow(), actor=manager, project_id=made["WEB"].id, name="Sprint 1", starts_on=day(-3),
        ends_on=day(10), goal="Search that finds things",
    )  # fmt: skip
    for title, estimate, logged, project in [
        ("Search box", "4h", "5h", "WEB"),
        ("Results page", "6h", "4h", "WEB"),
        ("Patch servers", None, "3h", "OPS"),
    ]:
        task = tasks.create_task(
            uow(), actor=member, title=title, estimate=estimate, project_id=made[project].id,
            sprint_id=sprint.id if project == "WEB" else None,
        )  # fmt: skip
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=logged)
        if title == "Search box":
            tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
            tasks.move_task(uow(), actor=member, task_id=task.id, to_status="done")
    return made | {"sprint": sprint}


def typed(at, form: str, name: str):
    """The one widget of the form `form` (any generation) named `name`, by its key."""
    found = [
        w
        for w in [*at.text_input, *at.text_area, *at.date_input]
        if w.key and w.key.startswith(f"{form}.{name}.")
    ]
    assert len(found) == 1, [w.key for w in found]
    return found[0]


def picker(at, label: str):
    [box] = [b for b in at.selectbox if b.label == label]
    return box


def choose(at, project_id: int):
    picker(at, "Project").select(project_id).run()
    assert not at.exception
    return at


def test_everyone_sees_the_projects_with_the_time_logged_against_their_budget(member, work):
    at = open_page("projects.py", member)
    table = at.dataframe[0].value
    assert list(table["Key"]) == ["GEN", "API", "OPS", "WEB"]
    rows = table.set_index("Key")
    assert rows.loc["WEB", "Logged (h)"] == 9 and rows.loc["WEB", "Budget (h)"] == 10
    assert rows.loc["WEB", "Budget used"] == pytest.approx(90)
    assert list(rows["Budget"]) == [
        "No budget",
        "No budget",
        "Over budget",
        "Near budget (80% or more)",
    ]


@pytest.mark.parametrize(
    ("key", "warned", "message"),
    [
        ("WEB", "warning", "Near budget: 90% of 10.0 h used."),
        ("OPS", "error", "Over budget: 1.0 h past the 2.0 h budget."),
    ],
)
def test_the_chosen_project_warns_near_its_budget_and_past_it(member, work, key, warned, message):
    at = choose(open_page("projects.py", member), work[key].id)
    assert message in values(getattr(at, warned))


def test_a_sprint_shows_planned_done_added_and_its_burndown_with_tables_and_csv(member, work):
    at = choose(open_page("projects.py", member), work["WEB"].id)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # Both tasks came in after the sprint's first day: added, not planned.
    assert metrics == {
        "Planned": "0.0 h",
        "Done": "4.0 h",
        "Added after start": "10.0 h",
        "Still open": "6.0 h",
    }
    assert "Goal: Search that finds things" in [t.value for t in at.text]
    assert [s.value for s in at.subheader][-2:] == [
        "Planned against done, per sprint (estimates)",
        "Burndown: Sprint 1",
    ]
    assert len(at.get("plotly_chart")) == 2
    # Only the open tab of a chart is drawn: open both tables.
    at.session_state[f"sprints-{work['WEB'].key}-tabs"] = "Table"
    at.session_state[f"burndown-{work['sprint'].id}-tabs"] = "Table"
    at.run()
    per_sprint, burndown = (d.value for d in at.dataframe[1:3])
    assert per_sprint.to_dict("records")[0] | {"Sprint": "Sprint 1"} == {
        "Sprint": "Sprint 1",
        "State": "Active",
        "Planned (h)": 0.0,
        "Added after start (h)": 10.0,
        "Done (h)": 4.0,
        "Carried over (h)": 0.0,
        "Planned tasks": 0,
        "Done tasks": 1,
    }
    today = burndown[burndown["Day"] == TODAY].iloc[0]
    assert (today["In the sprint (h)"], today["Done (h)"], today["Remaining (h)"]) == (10, 4, 6)
    assert len(burndown) == 14 and burndown["Remaining (h)"].isna().sum() == 10  # days to come
    downloads = [b for b in at.get("download_button")]
    assert len(downloads) == 2


def test_members_get_no_forms_for_projects_or_sprints(member, work):
    at = open_page("projects.py", member)
    assert [b.label for b in at.button] == []
    assert not at.toggle and not at.text_input


def test_a_manager_creates_a_project_and_the_form_comes_back_empty(uow, manager, work):
    at = open_page("projects.py", manager)
    typed(at, "new_project", "key").input("docs")
    typed(at, "new_project", "name").input("Documentation")
    typed(at, "new_project", "budget").input("40h")
    at = press(at, "Create project")
    assert not at.exception and errors(at) == []
    assert toasts(at) == ["Created project DOCS."]
    made = projects.find_project(uow(), actor=manager, key="DOCS")
    assert (made.name, made.budget_minutes) == ("Documentation", 40 * 60)
    assert picker(at, "Project").value == made.id
    fresh = [typed(at, "new_project", name) for name in ("key", "name", "budget", "description")]
    assert [w.value for w in fresh] == ["", "", "", ""]
    assert all(w.key.endswith(".1") for w in fresh)  # a new generation of the form


def test_a_refused_project_keeps_what_was_typed(uow, manager, work):
    at = open_page("projects.py", manager)
    typed(at, "new_project", "key").input("WEB")
    typed(at, "new_project", "name").input("Another website")
    at = press(at, "Create project")
    assert errors(at) == ["There is already a project with key WEB."]
    kept = (typed(at, "new_project", "key").value, typed(at, "new_project", "name").value)
    assert kept == ("WEB", "Another website")


def test_a_manager_adds_a_sprint_and_a_clash_is_refused_with_the_dates_kept(uow, manager, work):
    at = choose(open_page("projects.py", manager), work["WEB"].id)
    form = f"new_sprint.{work['WEB'].id}"
    typed(at, form, "name").input("Sprint 2")
    typed(at, form, "start").set_value(day(5))
    at = press(at, "Add sprint")
    assert errors(at) == [
        f"Those dates overlap sprint 'Sprint 1' ({day(-3)} to {day(10)}); sprints of one "
        "project never overlap."
    ]
    assert typed(at, form, "name").value == "Sprint 2"
    typed(at, form, "start").set_value(day(11))
    typed(at, form, "end").set_value(day(24))
    at = press(at, "Add sprint")
    assert toasts(at) == ["Added Sprint 2 to WEB."] and errors(at) == []
    plan = sprints.list_sprints(uow(), actor=manager, project_id=work["WEB"].id)
    assert [(s.name, s.starts_on, s.ends_on) for s in plan] == [
        ("Sprint 1", day(-3), day(10)),
        ("Sprint 2", day(11), day(24)),
    ]
    assert picker(at, "Sprint").value == plan[1].id


def test_a_manager_edits_and_archives_a_project_after_confirming(uow, manager, work):
    at = choose(open_page("projects.py", manager), work["API"].id)
    typed(at, f"edit_project.{work['API'].id}.1", "budget").input("25h")
    at = press(at, "Save project")
    assert toasts(at) == ["Saved project API."]
    assert (
        projects.get_project(uow(), actor=manager, project_id=work["API"].id).budget_minutes == 1500
    )
    at = press(at, "Archive project")
    assert projects.get_project(uow(), actor=manager, project_id=work["API"].id).archived is False
    at = press(at, "Yes, archive API")
    assert toasts(at) == ["Archived project API."]
    assert projects.get_project(uow(), actor=manager, project_id=work["API"].id).archived
    assert "API" not in list(at.dataframe[0].value["Key"])  # archived ones are hidden by default
    at.toggle(key="projects.show_archived").set_value(True).run()
    assert "API" in list(at.dataframe[0].value["Key"])
