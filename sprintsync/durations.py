"""Durations as people type them (`90`, `45m`, `1h30m`, `1.5h`, `1:30`) and as they are shown.

Read by a scanner, not a regular expression: one pass over at most DURATION_INPUT_MAX
characters, so no input can make it backtrack (a pattern with runs of `\\s*` around optional
groups once took 13 s on 1,600 spaces, stalling every session of the process).
"""

from __future__ import annotations

import string

from sprintsync.errors import ValidationError

MINUTES_PER_ENTRY_MAX = 1440
ESTIMATE_MAX_MINUTES = 60 * 24 * 30
DURATION_INPUT_MAX = 64
DURATION_HINT = "try 90, 45m, 1h30m or 1.5h"
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset(string.ascii_letters)
_HOUR_UNITS = frozenset({"h", "hr", "hrs", "hour", "hours"})
_MINUTE_UNITS = frozenset({"m", "min", "mins", "minute", "minutes"})


def _duration_tokens(text: str) -> list[str] | None:
    """Numbers (ASCII digits, one optional . or , inside), unit words, ':' and '-', in order;
    None if anything else is there. Whitespace only separates."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in _DIGITS:
            j = i
            while j < n and (text[j] in _DIGITS or (text[j] in ".," and j + 1 < n)):
                j += 1
            tokens.append(text[i:j])
            i = j
        elif c in _LETTERS:
            j = i
            while j < n and text[j] in _LETTERS:
                j += 1
            tokens.append(text[i:j])
            i = j
        elif c in ":-":
            tokens.append(c)
            i += 1
        else:
            return None
    return tokens


def _number(token: str, *, whole_digits: int, decimals: int = 0) -> float | None:
    """The value of a number token, None if it is not one; OverflowError if it has more
    whole digits than allowed (a typo such as 999999 is "too large", not unreadable)."""
    whole, _, fraction = token.replace(",", ".").partition(".")
    if not whole or any(c not in _DIGITS for c in whole + fraction):
        return None
    if (fraction or "." in token.replace(",", ".")) and not (0 < len(fraction) <= decimals):
        return None
    if len(whole) > whole_digits:
        raise OverflowError
    return float(f"{whole}.{fraction}") if fraction else float(int(whole))


def _read_duration(tokens: list[str]) -> int | None:
    """Whole minutes from the tokens of one of the documented forms, or None."""
    if len(tokens) == 1:  # 90: minutes
        value = _number(tokens[0], whole_digits=5)
        return None if value is None or not value.is_integer() else int(value)
    if len(tokens) == 3 and tokens[1] == ":":  # 1:30
        hours = _number(tokens[0], whole_digits=3)
        if hours is None or not hours.is_integer() or len(tokens[2]) != 2:
            return None
        minutes = _number(tokens[2], whole_digits=2)
        if minutes is None or not minutes.is_integer() or minutes >= 60:
            return None
        return int(hours) * 60 + int(minutes)
    if len(tokens) not in (2, 4):
        return None
    pairs = [(tokens[k], tokens[k + 1].lower()) for k in range(0, len(tokens), 2)]
    hours = minutes = None
    for number, unit in pairs:
        if unit in _HOUR_UNITS and hours is None and minutes is None:
            hours = _number(number, whole_digits=3, decimals=2)
            if hours is None:
                return None
        elif unit in _MINUTE_UNITS and minutes is None:
            minutes = _number(number, whole_digits=5)
            if minutes is None or not minutes.is_integer():
                return None
        else:
            return None
    total = round((hours or 0) * 60) + int(minutes or 0)
    if hours is not None and minutes is not None and minutes >= 60:
        raise ValidationError(
            f"Minutes after hours must be under 60: write {format_duration(total)} instead."
        )
    return total


def parse_duration(value: str | int) -> int:
    """Whole minutes from `90`, `45m`, `1h30m`, `1h 30m`, `1.5h` or `1:30`."""
    if isinstance(value, bool):
        raise ValidationError("A duration must be a number of minutes or text such as 1h30m.")
    if isinstance(value, int):
        return value
    text = str(value)
    if len(text) > DURATION_INPUT_MAX:  # checked before anything reads it
        raise ValidationError(f"That is too long to be a duration; {DURATION_HINT}.")
    text = text.strip()
    if not text:
        raise ValidationError("Enter a duration such as 45m or 1h30m.")
    unreadable = ValidationError(
        f"Could not read {shorten(text)!r} as a duration; {DURATION_HINT}."
    )
    tokens = _duration_tokens(text)
    if not tokens:
        raise unreadable
    negative = tokens[0] == "-"
    try:
        minutes = _read_duration(tokens[1:] if negative else tokens)
    except OverflowError:
        raise ValidationError(
            f"{shorten(text)!r} is too large for a duration; {DURATION_HINT}."
        ) from None
    if minutes is None:
        raise unreadable
    if negative:
        raise ValidationError(f"A duration must be positive, not {shorten(text)!r}.")
    return minutes


def format_duration(minutes: int | None) -> str:
    if minutes is None:
        return "-"
    hours, mins = divmod(int(minutes), 60)
    if hours and mins:
        return f"{hours}h{mins:02d}m"
    return f"{hours}h" if hours else f"{mins}m"


def entry_minutes(value: str | int) -> int:
    """Minutes for one time entry: 1 to 1440."""
    minutes = parse_duration(value)
    if minutes < 1:
        raise ValidationError("A time entry must be positive: between 1 minute and 24 hours.")
    if minutes > MINUTES_PER_ENTRY_MAX:
        raise ValidationError(
            f"{shorten(format_duration(minutes))} is too large for one time entry: it must be "
            "between 1 minute and 24 hours."
        )
    return minutes


def estimate_minutes(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    minutes = parse_duration(value)
    if minutes < 1:
        raise ValidationError("An estimate must be positive: between 1 minute and 30 days.")
    if minutes > ESTIMATE_MAX_MINUTES:
        raise ValidationError(
            f"{shorten(format_duration(minutes))} is too large for an estimate: it must be between "
            "1 minute and 30 days."
        )
    return minutes


def shorten(text: str, width: int = 40) -> str:
    """At most `width` characters of what someone typed, for quoting it back in a message."""
    return text if len(text) <= width else text[: width - 1] + "…"
