"""Roles, task statuses and their transitions, durations and the rules for user input."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import Enum, StrEnum
from typing import Final

from sprintsync.errors import ValidationError

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
NOTE_MAX = 2_000
FULL_NAME_MAX = 120
EMAIL_MAX = 254
SKILLS_MAX = 1_000
MINUTES_PER_ENTRY_MAX = 1440
ESTIMATE_MAX_MINUTES = 60 * 24 * 30
# A timer running longer than this is not logged as it is: its user corrects it first.
TIMER_LIMIT = dt.timedelta(hours=12)
PASSWORD_MIN, PASSWORD_MAX = 8, 128
USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,32}")
# Every date a user may name (time logged, weeks, report ranges): nothing is logged before
# DATE_MIN, and arithmetic on days near datetime.date's own ends would overflow.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class Unset(Enum):
    """Marks an argument the caller did not pass, where None is a real value ("no
    estimate"). An enum member, so a type checker narrows `x is not UNSET` to the rest."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


class Role(StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    ADMIN = "admin"

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise ValidationError(f"Unknown role {value!r}; choose one of {choices}.") from None

    @property
    def sees_everyone(self) -> bool:
        return self in (Role.MANAGER, Role.ADMIN)


class Status(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @classmethod
    def parse(cls, value: str) -> Status:
        key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValidationError(f"Unknown status {value!r}; choose one of {choices}.") from None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {Status.TODO: "To do", Status.IN_PROGRESS: "In progress", Status.DONE: "Done"}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.TODO: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.DONE, Status.TODO}),
    Status.DONE: frozenset({Status.IN_PROGRESS}),
}

# What a button offering each move says.
TRANSITION_VERBS = {
    (Status.TODO, Status.IN_PROGRESS): "Start",
    (Status.IN_PROGRESS, Status.DONE): "Done",
    (Status.IN_PROGRESS, Status.TODO): "Back to to-do",
    (Status.DONE, Status.IN_PROGRESS): "Reopen",
}


def allowed_moves(current: Status) -> list[Status]:
    return sorted(TRANSITIONS[current], key=list(Status).index)


def check_transition(current: Status, target: Status) -> None:
    if target == current:
        raise ValidationError(f"The task is already {current.label.lower()}.")
    if target not in TRANSITIONS[current]:
        options = " or ".join(s.label.lower() for s in allowed_moves(current))
        raise ValidationError(
            f"A task that is {current.label.lower()} cannot move to {target.label.lower()}; "
            f"it can move to {options}."
        )


_DURATION_RE = re.compile(
    r"""^(?:
        (?P<hm_h>\d{1,4}):(?P<hm_m>[0-5]\d)                                  # 1:30
      | (?P<plain>\d{1,9})                                                   # 90 (minutes)
      | (?:(?P<h>\d{1,9}(?:[.,]\d{1,2})?)\s*h(?:ours?|rs?)?)?\s*
        (?:(?P<m>\d{1,9})\s*m(?:in(?:ute)?s?)?)?                             # 1h30m, 1.5h, 45m
    )$""",
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
# Longer text is no duration: refused before the regex reads it.
DURATION_TEXT_MAX = 40
DURATION_HINT = "try 90, 45m, 1h30m or 1.5h"


def shorten(text: str, width: int = 40) -> str:
    """At most `width` characters of what someone typed, for quoting it back in a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_duration(value: str | int) -> int:
    """Whole minutes from `90`, `45m`, `1h30m`, `1h 30m`, `1.5h` or `1:30`; every refusal says
    what is wrong (empty, negative, unreadable, minutes past the hour)."""
    if isinstance(value, bool):
        raise ValidationError("A duration must be a number of minutes or text such as 1h30m.")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        raise ValidationError(f"Enter a duration; {DURATION_HINT}.")
    if len(text) > DURATION_TEXT_MAX:
        raise ValidationError(f"{shorten(text)!r} is too long for a duration; {DURATION_HINT}.")
    negative = text.startswith("-")
    match = _DURATION_RE.match(text[1:].lstrip() if negative else text)
    if not match or not any(match.groupdict().values()):
        raise ValidationError(f"Could not read {text!r} as a duration; {DURATION_HINT}.")
    if negative:
        raise ValidationError(f"A duration must be positive, not {text!r}.")
    parts = match.groupdict()
    if parts["hm_h"] is not None:
        return int(parts["hm_h"]) * 60 + int(parts["hm_m"])
    if parts["plain"] is not None:
        return int(parts["plain"])
    minutes = int(parts["m"]) if parts["m"] else 0
    if parts["h"] and minutes >= 60:
        raise ValidationError(
            f"In {text!r} the minutes after the hours must be under 60; {DURATION_HINT}."
        )
    hours = float(parts["h"].replace(",", ".")) if parts["h"] else 0.0
    return round(hours * 60) + minutes


def format_duration(minutes: int | None) -> str:
    if minutes is None:
        return "-"
    hours, mins = divmod(int(minutes), 60)
    if hours and mins:
        return f"{hours}h{mins:02d}m"
    return f"{hours}h" if hours else f"{mins}m"


def _in_bounds(value: str | int, *, what: str, most: int, span: str) -> int:
    minutes = parse_duration(value)
    if minutes < 1:
        raise ValidationError(
            f"{what} must be positive: between 1 minute and {span} (got {shorten(str(value))})."
        )
    if minutes > most:
        raise ValidationError(
            f"{shorten(str(value).strip())} is too large: {what.lower()} must be between "
            f"1 minute and {span}."
        )
    return minutes


def entry_minutes(value: str | int) -> int:
    """Minutes for one time entry: 1 to 1440."""
    return _in_bounds(value, what="A time entry", most=MINUTES_PER_ENTRY_MAX, span="24 hours")


def estimate_minutes(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _in_bounds(value, what="An estimate", most=ESTIMATE_MAX_MINUTES, span="30 days")


def _has_control_chars(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text)


def clean_text(value: str | None, *, field: str, max_len: int, required: bool = False) -> str:
    """Trimmed text, or a ValidationError that says what is wrong with it."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"{field} is required.")
    if len(text) > max_len:
        raise ValidationError(f"{field} must be at most {max_len} characters (got {len(text)}).")
    if "\x00" in text:
        raise ValidationError(f"{field} contains a NUL character, which cannot be stored.")
    if not _is_unicode(text):
        raise ValidationError(f"{field} contains bytes that are not valid text (UTF-8).")
    return text


def _is_unicode(text: str) -> bool:
    """False for lone surrogates: what Python makes of undecodable bytes in command-line
    arguments, which PostgreSQL (and bcrypt's UTF-8) cannot take."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def search_text(value: str | None, max_len: int = 200) -> str:
    """What a search box may hold: anything, minus what cannot be stored or sent (NUL, lone
    surrogates), trimmed and cut to max_len. Searching never fails on odd input."""
    text = (value or "").replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")
    return text.strip()[:max_len]


def clean_line(value: str | None, *, field: str, max_len: int, required: bool = False) -> str:
    """Trimmed single-line text without control characters: what a terminal prints as it is
    (a name with an escape sequence in it could rewrite an operator's screen)."""
    text = clean_text(value, field=field, max_len=max_len, required=required)
    if _has_control_chars(text) or "\n" in text or "\t" in text:
        raise ValidationError(f"{field} must be a single line without control characters.")
    return text


def clean_title(value: str | None) -> str:
    return clean_line(value, field="Title", max_len=TITLE_MAX, required=True)


def clean_full_name(value: str | None) -> str:
    return clean_line(value, field="Full name", max_len=FULL_NAME_MAX)


def check_day(day: dt.date, what: str = "The date") -> dt.date:
    """`day` if it lies between DATE_MIN and DATE_MAX, else a ValidationError naming it."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            f"{what} must be between {DATE_MIN:%Y-%m-%d} and {DATE_MAX:%Y-%m-%d}, "
            f"not {day:%Y-%m-%d}."
        )
    return day


def check_range(start: dt.date, end: dt.date, *, max_days: int, span: str) -> None:
    """start..end (inclusive) within the calendar we keep and at most max_days long; `span`
    names that limit for people ("one year")."""
    check_day(start, "The start date")
    check_day(end, "The end date")
    if end < start:
        raise ValidationError("The end date must not be before the start date.")
    if (end - start).days >= max_days:
        raise ValidationError(f"Choose a range of at most {span}.")


def monday_of(day: dt.date) -> dt.date:
    """The Monday of day's week: weeks run Monday to Sunday everywhere in SprintSync."""
    return day - dt.timedelta(days=day.weekday())


def clean_username(value: str | None) -> str:
    name = (value or "").strip()
    if not USERNAME_RE.fullmatch(name):
        raise ValidationError(
            "Username must be 3 to 32 characters of letters, digits, dot, underscore or dash."
        )
    return name


def clean_password(value: str | None) -> str:
    password = value or ""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ValidationError(f"Password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long.")
    if "\x00" in password:
        raise ValidationError("Password cannot contain a NUL character.")
    if not _is_unicode(password):
        raise ValidationError("Password contains bytes that are not valid text (UTF-8).")
    return password


def clean_email(value: str | None) -> str | None:
    email = clean_text(value, field="Email", max_len=EMAIL_MAX)
    if not email:
        return None
    if not EMAIL_RE.fullmatch(email) or _has_control_chars(email):
        raise ValidationError(f"{email!r} does not look like an email address.")
    return email


def format_day(day: dt.date, today: dt.date) -> str:
    """A day as people read it in a message: `Mon 01 Dec`, with the year when it is not this
    year's (`Sun 01 Dec 2019`)."""
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"
