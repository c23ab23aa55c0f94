"""Reminder e-mails over SMTP (the standard library's smtplib): one connection for a run,
sent only when SPRINTSYNC_SMTP_HOST is set, after the reminders were committed, so a mail
server that is down never holds a transaction or loses an in-app reminder."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr

from sprintsync.config import Settings, get_settings
from sprintsync.domain import format_duration
from sprintsync.services.timesheet_views import ReminderView
from sprintsync.workweek import week_label

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MailOutcome:
    sent: tuple[str, ...] = ()  # usernames
    failed: tuple[str, ...] = ()
    without_address: tuple[str, ...] = ()
    error: str | None = None  # why nothing could be sent at all
    configured: bool = True
    skipped: tuple[str, ...] = field(default=())


def reminder_message(reminder: ReminderView, sender: str) -> EmailMessage:
    assert reminder.email is not None
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((reminder.full_name or reminder.username, reminder.email))
    message["Subject"] = f"SprintSync: your timesheet for the {week_label(reminder.week_start)}"
    message.set_content(
        f"Hello {reminder.full_name or reminder.username},\n\n"
        f"Your timesheet for the {week_label(reminder.week_start)} holds "
        f"{format_duration(reminder.logged_minutes)} of the "
        f"{format_duration(reminder.expected_minutes)} expected. Please fill it in on "
        "My time and submit it.\n\n-- SprintSync\n"
    )
    return message


def _connect(settings: Settings) -> smtplib.SMTP:
    assert settings.smtp_host is not None
    timeout = settings.smtp_timeout_seconds
    if settings.smtp_security == "ssl":
        context = ssl.create_default_context()
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
        )
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        if settings.smtp_security == "starttls":
            server.starttls(context=ssl.create_default_context())
    if settings.smtp_username:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
        server.login(settings.smtp_username, password)
    return server


def send_reminders(
    reminders: Sequence[ReminderView], settings: Settings | None = None
) -> MailOutcome:
    """E-mail each reminded person who has an address; report who got one."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        return MailOutcome(configured=False, skipped=tuple(r.username for r in reminders))
    with_address = [r for r in reminders if r.email]
    without = tuple(r.username for r in reminders if not r.email)
    if not with_address:
        return MailOutcome(without_address=without)
    sent: list[str] = []
    failed: list[str] = []
    try:
        with _connect(settings) as server:
            for reminder in with_address:
                try:
                    server.send_message(reminder_message(reminder, settings.smtp_from))
                    sent.append(reminder.username)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    log.warning("reminder to %s refused: %s", reminder.username, error)
                    failed.append(reminder.username)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("could not send reminder e-mails: %s", error)
        done = set(sent)
        rest = tuple(r.username for r in with_address if r.username not in done)
        return MailOutcome(tuple(sent), (*failed, *rest), without, error=str(error)[:200])
    return MailOutcome(tuple(sent), tuple(failed), without)
