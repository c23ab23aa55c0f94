"""Reminders: who gets one, the banner's list and dismissal, and e-mail through a real SMTP
server on 127.0.0.1 (aiosmtpd) started by the test."""

from __future__ import annotations

import datetime as dt
import email
import socket

import pytest
from aiosmtpd.controller import Controller

from sprintsync import config, mail
from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.errors import PermissionDenied
from sprintsync.services import reminders, tasks, timelog, users, weeks
from sprintsync.services.views import CONSOLE

MONDAY = monday_of(today()) - dt.timedelta(days=7)


@pytest.fixture
def week(uow, member, other_member, manager, admin):
    """Mia logged 10h, Otto nothing, Manny submitted an empty week, Ada is expected nothing."""
    task = tasks.create_task(uow(), actor=member, title="Work")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="10h", spent_on=MONDAY)
    weeks.submit_week(uow(), actor=manager, week_start=MONDAY)
    weeks.set_expected_hours(uow(), actor=CONSOLE, username="ada", hours="0")
    users.update_profile(uow(), actor=member, full_name="Mia Lopez", email="mia@example.test")


def test_reminders_go_to_missing_and_short_weeks_not_submitted_ones(uow, week):
    found = reminders.remind_week(uow(), actor=CONSOLE, week_start=MONDAY)
    assert [(r.username, r.logged_minutes, r.expected_minutes, r.times) for r in found] == [
        ("mia", 600, 2400, 1),
        ("otto", 0, 2400, 1),
    ]
    again = reminders.remind_week(uow(), actor=CONSOLE, week_start=MONDAY)
    assert [r.times for r in again] == [2, 2]


def test_a_reminder_shows_until_dismissed_or_the_week_is_submitted(uow, week, member, other_member):
    reminders.remind_week(uow(), actor=CONSOLE, week_start=MONDAY)
    (mine,) = reminders.my_reminders(uow(), actor=member)
    with pytest.raises(PermissionDenied):
        reminders.dismiss_reminder(uow(), actor=other_member, reminder_id=mine.id)
    reminders.dismiss_reminder(uow(), actor=member, reminder_id=mine.id)
    assert reminders.my_reminders(uow(), actor=member) == []
    reminders.remind_week(uow(), actor=CONSOLE, week_start=MONDAY)  # reminded again: shown
    assert len(reminders.my_reminders(uow(), actor=member)) == 1
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    assert reminders.my_reminders(uow(), actor=member) == []
    assert len(reminders.my_reminders(uow(), actor=other_member)) == 1


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(env):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env(
        SPRINTSYNC_SMTP_HOST="127.0.0.1",
        SPRINTSYNC_SMTP_PORT=str(controller.port),
        SPRINTSYNC_SMTP_SECURITY="none",
        SPRINTSYNC_SMTP_FROM="timesheets@example.test",
    )
    yield inbox
    controller.stop()


def test_reminders_are_e_mailed_to_those_with_an_address(uow, week, smtp):
    found = reminders.remind_week(uow(), actor=CONSOLE, week_start=MONDAY)
    outcome = mail.send_reminders(found)
    assert (outcome.sent, outcome.failed, outcome.without_address) == (("mia",), (), ("otto",))
    ((to, message),) = smtp.messages
    assert to == ["mia@example.test"]
    assert message["From"] == "timesheets@example.test"
    assert message["To"] == "Mia Lopez <mia@example.test>"
    assert message["Subject"] == f"SprintSync: your timesheet for the week of {MONDAY:%a %d %b %Y}"
    assert "holds 10h of the 40h expected" in message.get_payload()


def test_a_mail_server_that_is_down_fails_the_mails_but_keeps_the_reminders(uow, week, env):
    env(
        SPRINTSYNC_SMTP_HOST="127.0.0.1",
        SPRINTSYNC_SMTP_PORT=str(_free_port()),
        SPRINTSYNC_SMTP_SECURITY="none",
    )
    found = reminders.remind_week(uow(), actor=CONSOLE, week_start=MONDAY)
    outcome = mail.send_reminders(found, config.get_settings())
    assert (outcome.sent, outcome.failed) == ((), ("mia",))
    assert outcome.error
    assert len(found) == 2
