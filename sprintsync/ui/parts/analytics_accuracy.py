"""Analytics: estimate accuracy by person and kind of work, one chart in the shape of the
others (ui/charts.py: the figure, its table a tab away and the CSV of that table), each
person in their own colour as on the other charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from sprintsync.services import analytics, unit_of_work
from sprintsync.services.ai.kinds import label
from sprintsync.services.views import Actor
from sprintsync.ui import charts
from sprintsync.ui.errors import show_errors

TITLE = "Estimate accuracy by person and kind of work"


def accuracy_table(frame: pd.DataFrame) -> pd.DataFrame:
    estimated = frame["estimate_minutes"].where(frame["estimate_minutes"] > 0)
    tasks = frame["tasks"].where(frame["tasks"] > 0)
    return pd.DataFrame(
        {
            "Person": frame["user"],
            "Kind of work": frame["kind"].map(label),
            "Finished tasks": frame["tasks"],
            "Estimated hours": charts.hours(frame["estimate_minutes"]),
            "Logged hours": charts.hours(frame["actual_minutes"]),
            "Logged ÷ estimate": (frame["actual_minutes"] / estimated).round(2),
            "Within 25%": (frame["within"] / tasks * 100).round(0),
            "Drafts kept": frame["drafts_kept"],
            "Drafts edited": frame["drafts_edited"],
            "Drafts discarded": frame["drafts_discarded"],
        }
    )


def accuracy_chart(frame: pd.DataFrame, palette: dict[str, str] | None = None) -> charts.Chart:
    table = accuracy_table(frame)
    drawn = table.dropna(subset=["Logged ÷ estimate"])
    figure = None
    if not drawn.empty:
        traces = charts.series(drawn, "Person", "Kind of work", "Logged ÷ estimate", palette)
        figure = charts.figure(
            "Kind of work",
            "Time logged ÷ estimate (1 = on estimate)",
            traces,
            barmode="group",
        )
        figure.add_hline(y=1, line_dash="dot", line_color="gray")
    return charts.Chart(
        "estimate-accuracy",
        TITLE,
        table,
        figure,
        "No task with an estimate and logged time was finished in this range.",
    )


def show_accuracy(
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None,
    people: dict[int, str],
) -> None:
    """The chart for the range and people chosen; an error is shown in its place, and the
    rest of the page stands."""
    with show_errors("analytics.accuracy"):
        frame = analytics.estimate_accuracy(
            unit_of_work(), actor=actor, start=start, end=end, user_ids=user_ids
        )
        palette = charts.colours(people[i] for i in sorted(people))
        charts.show(accuracy_chart(frame, palette))
