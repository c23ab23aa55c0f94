"""Focus hours on the Account page: a person's own setting for the day plan, in the real
Streamlit runtime against the real database."""

from __future__ import annotations

import pytest

from sprintsync.services import ai, preferences, tasks
from tests.ui.apptest_helpers import field, press, values


def test_a_member_sets_focus_hours_and_the_day_plan_uses_them(app, uow, member):
    tasks.create_task(uow(), actor=member, title="Review the onboarding PR", estimate="8h")
    at = app(member).run()
    at.switch_page("app_pages/account.py").run()
    assert field(at, "Focus hours a day").value == ""  # the default, 6 hours
    field(at, "Focus hours a day").input("4.5")
    at = press(at, "Save focus hours")
    assert not at.exception
    assert "Your day plan now fits 4.5 hours of focus." in values(at.toast)
    assert field(at, "Focus hours a day").value == "4.5"  # the new generation shows it
    assert preferences.get_focus(uow(), actor=member) == (270, True)
    assert ai.plan_day(uow(), actor=member).focus_minutes == 270

    field(at, "Focus hours a day").input("")
    at = press(at, "Save focus hours")
    assert preferences.get_focus(uow(), actor=member) == (360, False)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Could not read 'lots' as focus hours; try 5, 5.5 or 5h30m."),
        ("20", "Focus time must be between 0.5 and 16 hours a day."),
        ("0.1", "Focus time must be between 0.5 and 16 hours a day."),
    ],
)
def test_refused_focus_hours_say_why_and_change_nothing(app, uow, member, typed, message):
    at = app(member, "app_pages/account.py").run()
    field(at, "Focus hours a day").input(typed)
    at = press(at, "Save focus hours")
    assert values(at.error) == [message]
    assert field(at, "Focus hours a day").value == typed  # what was typed stays
    assert preferences.get_focus(uow(), actor=member) == (360, False)


@pytest.mark.parametrize(("typed", "minutes"), [("5", 300), ("5,5", 330), ("5h30m", 330)])
def test_focus_hours_are_read_as_people_type_them(uow, member, typed, minutes):
    assert preferences.set_focus_hours(uow(), actor=member, hours=typed) == minutes
