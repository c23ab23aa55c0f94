import datetime as dt
import re

import pytest

from sprintsync.domain import (
    Role,
    Status,
    allowed_moves,
    check_transition,
    clean_password,
    clean_title,
    clean_username,
    counted,
    entry_minutes,
    estimate_minutes,
    format_day,
    format_duration,
    parse_duration,
)
from sprintsync.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90", 90),
        ("45m", 45),
        ("45 min", 45),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("2h", 120),
        ("2 hours", 120),
        ("1:30", 90),
        ("  15m  ", 15),
        ("0.25h", 15),
        (90, 90),
    ],
)
def test_durations_are_read_in_every_documented_form(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["abc", "1h-30m", "m", "h", "1.5", "5x", "1:75", "--5m"])
def test_unreadable_durations_are_refused_with_a_hint(text):
    with pytest.raises(ValidationError, match=r"^Could not read .* as a duration; try 90, 45m"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a duration such as 45m or 1h30m."),
        ("   ", "Enter a duration such as 45m or 1h30m."),
        ("1h60m", "Minutes after hours must be under 60: write 2h instead."),
        ("2h75m", "Minutes after hours must be under 60: write 3h15m instead."),
        ("-5", "A duration must be positive, not '-5'."),
        ("-1h", "A duration must be positive, not '-1h'."),
        ("9999h", "'9999h' is too large for a duration; try 90, 45m, 1h30m or 1.5h."),
        ("1" * 50, f"'{'1' * 39}…' is too large for a duration; try 90, 45m, 1h30m or 1.5h."),
        ("soon", "Could not read 'soon' as a duration; try 90, 45m, 1h30m or 1.5h."),
        (" " * 1600 + "x", "That is too long to be a duration; try 90, 45m, 1h30m or 1.5h."),
    ],
)
def test_a_refused_duration_says_what_to_type(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_duration(text)
    assert refused.value.message == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "A time entry must be positive: between 1 minute and 24 hours."),
        (0, "A time entry must be positive: between 1 minute and 24 hours."),
        (-3, "A time entry must be positive: between 1 minute and 24 hours."),
        ("25h", "25h is too large for one time entry: it must be between 1 minute and 24 hours."),
    ],
)
def test_a_time_entry_out_of_range_is_called_positive_or_too_large(value, message):
    with pytest.raises(ValidationError) as refused:
        entry_minutes(value)
    assert refused.value.message == message


@pytest.mark.timeout(10)
@pytest.mark.parametrize("n", [1_600, 100_000])
def test_no_duration_takes_long_to_refuse(n):
    for text in (" " * n + "x", "1" + " " * n + "hx", "1h" + " " * n + "x", "9" * n):
        with pytest.raises(ValidationError):
            parse_duration(text)


@pytest.mark.parametrize("value", ["0", "0m", "1441", "25h", 0, -3, 100000])
def test_a_time_entry_is_between_one_minute_and_a_day(value):
    with pytest.raises(ValidationError, match="between 1 minute and 24 hours"):
        entry_minutes(value)


def test_an_estimate_too_large_says_so():
    with pytest.raises(
        ValidationError, match=re.escape("999h is too large for an estimate: it must")
    ):
        estimate_minutes("999h")


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2025, 12, 1), "Mon 01 Dec"), (dt.date(2019, 12, 1), "Sun 01 Dec 2019")],
)
def test_a_day_in_a_message_names_its_year_unless_it_is_this_one(day, text):
    assert format_day(day, dt.date(2025, 6, 30)) == text


def test_an_empty_estimate_means_no_estimate():
    assert estimate_minutes("") is None
    assert estimate_minutes(None) is None
    assert estimate_minutes("2h") == 120


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(None, "-"), (0, "0m"), (45, "45m"), (60, "1h"), (90, "1h30m"), (605, "10h05m")],
)
def test_durations_format_for_people(minutes, text):
    assert format_duration(minutes) == text


LEGAL = {
    (Status.TODO, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Status.DONE),
    (Status.IN_PROGRESS, Status.TODO),
    (Status.DONE, Status.IN_PROGRESS),
}


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_only_the_four_documented_transitions_are_legal(current, target):
    if (current, target) in LEGAL:
        check_transition(current, target)
        assert target in allowed_moves(current)
    else:
        with pytest.raises(ValidationError):
            check_transition(current, target)
        assert target not in allowed_moves(current)


def test_a_refused_transition_says_where_the_task_can_go():
    with pytest.raises(ValidationError, match="cannot move to done; it can move to in progress"):
        check_transition(Status.TODO, Status.DONE)


@pytest.mark.parametrize("name", ["abc", "a.b-c_d", "X" * 32, "user123"])
def test_valid_usernames_pass(name):
    assert clean_username(name) == name


@pytest.mark.parametrize("name", ["ab", "X" * 33, "has space", "émile", "a/b", "", None])
def test_invalid_usernames_are_refused(name):
    with pytest.raises(ValidationError, match="3 to 32 characters"):
        clean_username(name)


@pytest.mark.parametrize("password", ["short", "x" * 129, "", None])
def test_passwords_must_be_8_to_128_characters(password):
    with pytest.raises(ValidationError, match="8 to 128"):
        clean_password(password)


@pytest.mark.parametrize(
    ("title", "error"),
    [
        ("", "required"),
        ("   ", "required"),
        ("x" * 201, "at most 200"),
        ("a\nb", "single line"),
        ("bell\x07", "control"),
        ("nul\x00", "NUL"),
    ],
)
def test_titles_are_one_trimmed_line_of_1_to_200_characters(title, error):
    with pytest.raises(ValidationError, match=error):
        clean_title(title)


def test_titles_keep_markup_verbatim_after_trimming():
    assert clean_title("  <script>alert(1)</script> **bold**  ") == (
        "<script>alert(1)</script> **bold**"
    )


@pytest.mark.parametrize(("text", "value"), [("Member", Role.MEMBER), (" admin ", Role.ADMIN)])
def test_roles_parse_case_insensitively(text, value):
    assert Role.parse(text) is value


def test_unknown_roles_and_statuses_list_the_choices():
    with pytest.raises(ValidationError, match="member, manager, admin"):
        Role.parse("boss")
    with pytest.raises(ValidationError, match="todo, in_progress, done"):
        Status.parse("blocked")


@pytest.mark.parametrize(
    ("n", "noun", "plural", "said"),
    [
        (0, "task", "", "0 tasks"),
        (1, "task", "", "1 task"),
        (2, "second", "", "2 seconds"),
        (1, "draft or plan", "drafts and plans", "1 draft or plan"),
        (3, "draft or plan", "drafts and plans", "3 drafts and plans"),
    ],
)
def test_a_count_reads_as_people_write_it(n, noun, plural, said):
    assert counted(n, noun, plural) == said
