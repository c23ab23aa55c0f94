"""What app.py draws around every page of a signed-in user: the toast of the last action, the
running timer and the timesheet reminders. Page tests draw it too (tests/ui/page_host.py), so
they see a page as it is served."""

from __future__ import annotations

from sprintsync.services.views import Actor
from sprintsync.ui import reminders, timer
from sprintsync.ui.actions import show_flash
from sprintsync.ui.errors import show_errors


def above_the_page(actor: Actor | None) -> None:
    show_flash()
    if actor is not None and not actor.must_change_password:
        with show_errors():  # a failure here must not keep the page from running
            timer.banner(actor)
        with show_errors():
            reminders.banner(actor)
