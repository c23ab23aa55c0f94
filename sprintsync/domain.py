"""Roles, task statuses and their transitions, durations and the rules for user input."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import Enum, StrEnum
from typing import Final

from sprintsync.durations import DURATION_INPUT_MAX as DURATION_INPUT_MAX
from sprintsync.durations import ESTIMATE_MAX_MINUTES as ESTIMATE_MAX_MINUTES
from sprintsync.durations import MINUTES_PER_ENTRY_MAX as MINUTES_PER_ENTRY_MAX
from sprintsync.durations import entry_minutes as entry_minutes
from sprintsync.durations import estimate_minutes as estimate_minutes
from sprintsync.durations import format_duration as format_duration
from sprintsync.durations import parse_duration as parse_duration
from sprintsync.durations import shorten as shorten
from sprintsync.errors import ValidationError

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
NOTE_MAX = 2_000
FULL_NAME_MAX = 120
EMAIL_MAX = 254
SKILLS_MAX = 1_000
# A timer running longer than this is not logged as it is: its user corrects it first.
TIMER_LIMIT = dt.timedelta(hours=12)
PASSWORD_MIN, PASSWORD_MAX = 8, 128
USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,32}")
# Every date a user may name (time logged, weeks, report ranges): nothing is logged before
# DATE_MIN, and arithmetic on days near datetime.date's own ends would overflow.
# Surrounding whitespace a field may carry beyond its length (trimmed before it is kept).
TRIM_SLACK = 100
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)


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
            return cls(str(value)[:32].strip().lower())
        except ValueError:
            choices = ", ".join(r.value for r in cls)
            raise ValidationError(
                f"Unknown role {shorten(str(value))!r}; choose one of {choices}."
            ) from None

    @property
    def sees_everyone(self) -> bool:
        return self in (Role.MANAGER, Role.ADMIN)


class Status(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @classmethod
    def parse(cls, value: str) -> Status:
        key = str(value)[:32].strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValidationError(
                f"Unknown status {shorten(str(value))!r}; choose one of {choices}."
            ) from None

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


def counted(n: int, noun: str, plural: str = "") -> str:
    """`n` with its noun as people write it: "1 task", "2 tasks" (`plural` when not noun+s)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


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


def _has_control_chars(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text)


# Characters that make text read differently than it is: direction overrides, embeddings and
# isolates reorder what follows them ("Trojan Source"); refused in every text field.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# ZWJ and ZWNJ are part of how some scripts and emoji are written; tag characters spell
# subdivision flags. Every other invisible format character (zero-width space, soft hyphen,
# direction marks, BOM) and the line and paragraph separators are refused in one-line text:
# a name or title must look like what it is.
_VISIBLE_FORMAT = frozenset({"\u200c", "\u200d"})


def _is_invisible(c: str) -> bool:
    if c in _VISIBLE_FORMAT or "\U000e0020" <= c <= "\U000e007f":
        return False
    return unicodedata.category(c) in ("Cf", "Zl", "Zp")


def clean_text(value: str | None, *, field: str, max_len: int, required: bool = False) -> str:
    """Trimmed text, or a ValidationError that says what is wrong with it."""
    raw = value or ""
    # The bound holds before anything reads the text: what is typed may carry some spaces
    # around it, not a megabyte of them.
    if len(raw) > max_len + TRIM_SLACK:
        raise ValidationError(f"{field} must be at most {max_len} characters (got {len(raw)}).")
    text = raw.strip()
    if required and not text:
        raise ValidationError(f"{field} is required.")
    if len(text) > max_len:
        raise ValidationError(f"{field} must be at most {max_len} characters (got {len(text)}).")
    if "\x00" in text:
        raise ValidationError(f"{field} contains a NUL character, which cannot be stored.")
    if not _is_unicode(text):
        raise ValidationError(f"{field} contains bytes that are not valid text (UTF-8).")
    if any(c in BIDI_CONTROLS for c in text):
        raise ValidationError(
            f"{field} contains invisible characters that change the direction of text, "
            "which could make it read differently than it is."
        )
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
    text = (value or "")[: 4 * max_len + TRIM_SLACK]  # nothing beyond could be searched for
    text = text.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")
    return text.strip()[:max_len]


def clean_line(value: str | None, *, field: str, max_len: int, required: bool = False) -> str:
    """Trimmed single-line text without control characters: what a terminal prints as it is
    (a name with an escape sequence in it could rewrite an operator's screen)."""
    text = clean_text(value, field=field, max_len=max_len, required=required)
    if _has_control_chars(text) or "\n" in text or "\t" in text:
        raise ValidationError(f"{field} must be a single line without control characters.")
    if any(_is_invisible(c) for c in text):
        raise ValidationError(
            f"{field} contains invisible characters (such as zero-width spaces, direction "
            "marks or line separators); type it without them."
        )
    return text


def clean_title(value: str | None) -> str:
    return clean_line(value, field="Title", max_len=TITLE_MAX, required=True)


def clean_full_name(value: str | None) -> str:
    return clean_line(value, field="Full name", max_len=FULL_NAME_MAX)


DATE_INPUT_MAX = 32


def parse_day(text: str) -> dt.date:
    """A YYYY-MM-DD date as typed (surrounding spaces allowed), or a ValidationError."""
    if len(text) > DATE_INPUT_MAX:  # checked before anything reads it
        raise ValidationError(f"{shorten(text.strip())!r} is not a date; use YYYY-MM-DD.")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{shorten(text.strip())!r} is not a date; use YYYY-MM-DD.") from None


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
    name = (value or "")[: 32 + TRIM_SLACK + 1].strip()
    if len(name) > 32 or not USERNAME_RE.fullmatch(name):
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
    if not _looks_like_email(email):
        raise ValidationError(f"{shorten(email)!r} does not look like an email address.")
    return email


def _looks_like_email(text: str) -> bool:
    """name@domain.tld: one @, no spaces, control or invisible characters, and a dot inside
    the domain. Plain string checks, so it runs in one pass whatever is typed."""
    local, at, domain = text.partition("@")
    if not (at and local and domain) or "@" in domain:
        return False
    if any(c.isspace() or _is_invisible(c) for c in text) or _has_control_chars(text):
        return False
    name, dot, tld = domain.rpartition(".")
    return bool(dot and name and tld)


def format_day(day: dt.date, today: dt.date) -> str:
    """A day as people read it in a message: `Mon 01 Dec`, with the year when it is not this
    year's (`Sun 01 Dec 2019`)."""
    return f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"
