"""What requests may send: pydantic models that refuse unknown fields and wrong types (422),
with lengths capped before any service reads them. The services then apply the product's own
rules (title length, durations, dates) and say what is wrong in their words."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from sprintsync.domain import DESCRIPTION_MAX, NOTE_MAX, TITLE_MAX
from sprintsync.services.timesheet_grid import CELLS_MAX
from sprintsync.workweek import COMMENT_MAX

# A little over each service's own limit: the service's message names the real one.
SLACK = 100
Id = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Version = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Title = Annotated[StrictStr, Field(max_length=TITLE_MAX + SLACK)]
Text = Annotated[StrictStr, Field(max_length=DESCRIPTION_MAX + SLACK)]
Note = Annotated[StrictStr, Field(max_length=NOTE_MAX + SLACK)]
Short = Annotated[StrictStr, Field(max_length=200)]
# "1h30m", "90", "1.5h" or a number of minutes.
Duration = Annotated[StrictStr, Field(max_length=32)] | Annotated[StrictInt, Field(ge=0, le=10**6)]
Comment = Annotated[StrictStr, Field(max_length=COMMENT_MAX + SLACK)]
Tag = Annotated[StrictStr, Field(max_length=64)]
Priority = Literal["urgent", "high", "normal", "low"]
Status = Literal["todo", "in_progress", "done"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewTask(Body):
    title: Title
    description: Text = ""
    estimate: Duration | None = None
    assignee_id: Id | None = None
    project_id: Id | None = None
    sprint_id: Id | None = None
    priority: Priority = "normal"
    due: dt.date | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] = []


class TaskChanges(Body):
    """Only the fields sent change; `version` is the one read, for optimistic locking."""

    version: Version
    title: Title | None = None
    description: Text | None = None
    estimate: Duration | None = None
    assignee_id: Id | None = None
    project_id: Id | None = None
    sprint_id: Id | None = None
    priority: Priority | None = None
    due: dt.date | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] | None = None


class TaskMove(Body):
    status: Status


class TaskSprint(Body):
    sprint_id: Id | None


class NewEntry(Body):
    task_id: Id
    duration: Duration
    spent_on: dt.date | None = None
    note: Note = ""


class EntryChanges(Body):
    duration: Duration | None = None
    spent_on: dt.date | None = None
    note: Note | None = None


class TimerStart(Body):
    task_id: Id


class TimerStop(Body):
    duration: Duration | None = None
    note: Note = ""


class NewProject(Body):
    key: Annotated[StrictStr, Field(max_length=32)]
    name: Short
    description: Text = ""
    budget: Duration | None = None


class ProjectChanges(Body):
    version: Version
    name: Short | None = None
    description: Text | None = None
    budget: Duration | None = None


class ProjectArchive(Body):
    archived: StrictBool = True


class NewSprint(Body):
    name: Short
    starts_on: dt.date
    ends_on: dt.date
    goal: Text = ""


class SprintChanges(Body):
    version: Version
    name: Short | None = None
    goal: Text | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class Cell(Body):
    """A task on a day of the week (0 Monday .. 6 Sunday): what it should hold (a duration;
    empty or 0 empties it) and, to catch a change made elsewhere, what you last read there."""

    task_id: Id
    day: Annotated[StrictInt, Field(ge=0, le=6)]
    duration: Duration | None
    was: Annotated[StrictInt, Field(ge=0, le=24 * 60)] | None = None


class Cells(Body):
    cells: Annotated[list[Cell], Field(min_length=1, max_length=CELLS_MAX)]


class WeekDecision(Body):
    """A manager's decision on someone's submitted week; `version` is the one read."""

    user_id: Id
    comment: Comment = ""
    version: Version | None = None
