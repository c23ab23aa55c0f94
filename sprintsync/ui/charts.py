"""Plotly charts of time, as Analytics and My time draw them. Each chart is drawn from one
table, which is shown a click away and offered as a CSV of exactly that table (made safe to
open in a spreadsheet); time is shown in hours, never minutes."""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseTraceType
from plotly.colors import qualitative

from sprintsync.exports import csv_bytes
from sprintsync.services.analytics import OTHERS
from sprintsync.ui.exports import download_csv
from sprintsync.ui.literal import escape_markdown, plotly_label

HOURS = "Hours"
DAY_MS = 86_400_000
# Enough distinct colours for a team; past that they repeat, still one per person.
PALETTE = qualitative.Plotly + qualitative.D3[1::2] + qualitative.Safe
OTHERS_COLOUR = "#9ca3af"
# No mode bar: a row of buttons per chart that nobody here uses, drawn on every chart.
PLOTLY_CONFIG = {"displayModeBar": False}
# Streamlit's chart look for this app's light theme (.streamlit/config.toml), as the browser
# draws its "streamlit" Plotly theme, sent as the figures' own template with theme=None: the
# browser then has no theme to work into each figure, a pass that was about a tenth of
# Analytics' time in the browser (docs/PERFORMANCE.md).
_FONT = '"Source Sans", sans-serif'
_MUTED = "rgb(128, 132, 149)"
# Streamlit's categorical colours (light theme), for the charts that do not colour by person.
_CATEGORIES = ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700",
               "#ffd16a", "#6d3fc0", "#d5dae5"]  # fmt: skip
_AXIS = {
    "gridcolor": "rgb(230, 234, 241)",
    "zeroline": False,
    "showline": False,
    "ticks": "",
    "automargin": True,
    "tickfont": {"color": _MUTED, "size": 12},
    "title": {"font": {"color": _MUTED, "size": 14}},
}
LOOK = go.layout.Template(
    layout={
        "font": {"family": _FONT, "size": 12, "color": "rgb(38, 39, 48)"},
        "title": {
            "x": 0,
            "xanchor": "left",
            "font": {"size": 16, "color": "rgb(31, 41, 55)", "weight": 600},
        },
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "colorway": _CATEGORIES,
        "xaxis": {**_AXIS, "showgrid": False},
        "yaxis": _AXIS,
        "hoverlabel": {"font": {"family": _FONT}},
    }
)


def hours(minutes: pd.Series) -> pd.Series:
    return (minutes / 60).round(2)


def short(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True)
class Chart:
    key: str  # names its widgets and its CSV file
    title: str
    table: pd.DataFrame  # what the figure draws, the Table tab shows and the CSV holds
    figure: go.Figure | None  # None when there is nothing to draw
    empty: str  # what to say instead of an empty chart

    def csv(self) -> bytes:
        return csv_bytes(self.table)


def colours(people: Iterable[str]) -> dict[str, str]:
    """A colour per person that does not depend on the range or filter shown: `people` is the
    whole team in a fixed order (by user id), so each keeps their colour on every chart."""
    found = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(people)}
    found[OTHERS] = OTHERS_COLOUR
    return found


def colour(palette: dict[str, str], name: str) -> str:
    """`name`'s colour; someone not in the palette (no longer in the directory) still gets
    one of their own, from their name."""
    return palette.get(name) or PALETTE[zlib.crc32(name.encode()) % len(PALETTE)]


# Margins for a chart whose tick labels are all short (dates, hours, statuses): room for
# them and the axis titles, as Plotly's automargin would find, without its second drawing.
FIXED_MARGINS = {"l": 70, "r": 20, "t": 60, "b": 50}


def figure(
    title: str,
    x: str,
    y: str,
    traces: Sequence[BaseTraceType],
    *,
    fixed_margins: bool = False,
    **layout: Any,
) -> go.Figure:
    """`fixed_margins`: for charts whose axes show no names people typed. Plotly's automargin
    draws a chart a second time to fit its labels: in Chromium here, about a third of the
    time Analytics' two first charts took to draw (docs/PERFORMANCE.md)."""
    # graph_objects, not plotly.express: express takes ~5x longer per figure.
    chart = go.Figure(
        data=traces,
        layout=go.Layout(
            title=title,
            xaxis_title=x,
            yaxis_title=y,
            legend_title_text="",
            margin=FIXED_MARGINS if fixed_margins else {"t": 60, "b": 40},
            template=LOOK,
            **layout,
        ),
    )
    if fixed_margins:
        chart.update_xaxes(automargin=False)
        chart.update_yaxes(automargin=False)
    return chart


def date_axis(first: dt.date, last: dt.date, *, step_days: int) -> dict[str, Any]:
    """An axis of days (step 1) or weeks (step 7) that labels dates, never times of day (a
    one-week range otherwise gets an hourly axis reading 00:00:00), about a dozen ticks."""
    count = (last - first).days // step_days + 1
    every = max(1, math.ceil(count / 12)) * step_days
    half = dt.timedelta(days=step_days / 2)
    return {
        "type": "date",
        "tick0": first.isoformat(),
        "dtick": every * DAY_MS,
        "tickformat": "%d %b" if first.year == last.year else "%d %b %Y",
        "range": [(first - half).isoformat(), (last + half).isoformat()],
    }


def series(
    table: pd.DataFrame, by: str, x: str, y: str, palette: dict[str, str] | None = None
) -> list[go.Bar]:
    """One bar trace per value of `by`, in order of first appearance."""
    palette = palette or {}
    return [
        go.Bar(
            x=labels(part[x]),
            y=part[y].tolist(),
            name=plotly_label(str(name)),
            marker_color=colour(palette, str(name)),
        )
        for name, part in table.groupby(by, sort=False)
    ]


def labels(values: pd.Series) -> list[object]:
    return [plotly_label(v) for v in values.tolist()]


def columns(table: pd.DataFrame, x: str, names: list[str]) -> list[go.Bar]:
    """One bar trace per column in `names`, against column x."""
    return [go.Bar(x=labels(table[x]), y=table[n].tolist(), name=plotly_label(n)) for n in names]


def sideways(traces: list[go.Bar]) -> list[go.Bar]:
    for trace in traces:
        trace.update(x=trace.y, y=trace.x, orientation="h")
    return traces


@st.fragment
def show(chart: Chart) -> None:
    """The chart under its title, its table in the next tab, and a CSV download of that
    table; an empty table shows the chart's empty-state message instead.

    Only the open tab is drawn, and switching tabs reruns this chart alone (a fragment):
    a page of five charts would otherwise draw five tables nobody looked at on every run."""
    st.subheader(chart.title, anchor=False)
    if chart.figure is None:
        st.info(chart.empty, icon=":material/info:")
        return
    drawn, listed = st.tabs(["Chart", "Table"], key=f"{chart.key}-tabs", on_change="rerun")
    if listed.open:
        with listed:
            st.dataframe(chart.table, hide_index=True)
    else:
        with drawn:
            st.plotly_chart(
                chart.figure, key=f"{chart.key}-chart", config=PLOTLY_CONFIG, theme=None
            )
    download_csv(chart.table, chart.key)


def show_ranked(chart: Chart, *, value: str) -> None:
    """A short list ranked first to last, as a table under its title with its CSV. Five
    names with their figures read at a glance as well as five bars do, and a table costs
    the browser almost nothing, where Plotly spends tens of milliseconds drawing each chart
    (docs/PERFORMANCE.md). `value` is the column shown in hours."""
    st.subheader(chart.title, anchor=False)
    if chart.table.empty:
        st.info(chart.empty, icon=":material/info:")
        return
    shown = pd.DataFrame(
        {
            "#": range(1, len(chart.table) + 1),
            **{  # st.table reads Markdown in its cells: names are shown as written
                name: (column.map(_in_hours) if name == value else column.map(escape_markdown))
                for name, column in chart.table.items()
            },
        }
    )
    st.table(shown, border="horizontal", hide_index=True, width="content")
    download_csv(chart.table, chart.key)


def _in_hours(hours: float) -> str:
    return f"{hours:,.1f} h"
