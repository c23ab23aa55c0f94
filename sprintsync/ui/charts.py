"""Plotly charts of time, as Analytics and My time draw them. Each chart is drawn from one
table, which is shown a click away and offered as a CSV of exactly that table (made safe to
open in a spreadsheet); time is shown in hours, never minutes."""

from __future__ import annotations

import datetime as dt
import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
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
# draws its "streamlit" Plotly theme, written into each figure's layout with theme=None: the
# browser then has no theme to work into each figure, a pass that was about a tenth of
# Analytics' time in the browser (docs/PERFORMANCE.md). Not as a template: see figure().
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
    # Plotly's default hides a tick label that crosses the chart's edge, measuring every label
    # once per label drawn; these axes' labels sit inside their margins.
    "ticklabeloverflow": "allow",
    "tickfont": {"color": _MUTED, "size": 12},
    "title": {"font": {"color": _MUTED, "size": 14}},
}
# A trace as Plotly's JSON has it ({"type": "bar", "x": [...], ...}). Figures are built from
# these plainly, without Plotly's checking of every property on every run (about 30 ms a
# chart of a team's weeks, a sixth of Analytics' run): tests/ui/test_charts.py builds every
# kind of chart with the checking on, so a misspelt property fails there.
Trace = dict[str, Any]

# Nor plotly.py's default template, which it would put into every figure: each of the app's
# figures is made here, with its look in its layout (and the copy costs the server a few ms).
pio.templates.default = None
LOOK = go.Layout(
    font={"family": _FONT, "size": 12, "color": "rgb(38, 39, 48)"},
    paper_bgcolor="#ffffff",
    plot_bgcolor="#ffffff",
    colorway=_CATEGORIES,
    xaxis={**_AXIS, "showgrid": False},
    yaxis=_AXIS,
    hoverlabel={"font": {"family": _FONT}},
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
FIXED_MARGINS = {"l": 70, "r": 20, "t": 30, "b": 50}


def figure(
    x: str,
    y: str,
    traces: Sequence[Trace],
    *,
    fixed_margins: bool = False,
    **layout: Any,
) -> go.Figure:
    """A chart of `traces` with axes titled `x` and `y`; untitled, as the chart's title is
    its subheader (charts.show) and its accessible name.

    `fixed_margins`: for charts whose axes show no names people typed. Plotly's automargin
    draws a chart a second time to fit its labels: in Chromium here, about a third of the
    time Analytics' two first charts took to draw (docs/PERFORMANCE.md). `layout` takes
    Plotly's names, as go.Layout does (yaxis_autorange="reversed").

    Streamlit's chart hands Plotly a copy of the figure once it is drawn, and Plotly draws
    the chart again unless the copy reads as unchanged: the look is in the layout itself (a
    template is an object Plotly does not compare, so any copy of one is a change) and
    `datarevision` names the data (without it, a copied array is new data)."""
    spec: dict[str, Any] = {
        "xaxis": {"title": {"text": x}},
        "yaxis": {"title": {"text": y}},
        "legend": {"title": {"text": ""}},
        "margin": FIXED_MARGINS if fixed_margins else {"t": 30, "b": 40},
        "datarevision": zlib.crc32(json.dumps(traces, default=str).encode()),
    }
    if fixed_margins:
        spec["xaxis"]["automargin"] = spec["yaxis"]["automargin"] = False
    for name, value in layout.items():
        _set(spec, name.split("_"), value)
    return go.Figure({"data": list(traces), "layout": _merged(_LOOK_SPEC, spec)}, _validate=False)


_LOOK_SPEC = LOOK.to_plotly_json()


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`base` with `over`'s values in place of its own, dicts merged at every depth."""
    merged = dict(base)
    for name, value in over.items():
        below = merged.get(name)
        if isinstance(below, dict) and isinstance(value, dict):
            value = _merged(below, value)
        merged[name] = value
    return merged


def _set(spec: dict[str, Any], path: list[str], value: Any) -> None:
    """Plotly's magic underscores: ["yaxis", "autorange"] sets spec["yaxis"]["autorange"];
    a dict value is merged into what is there (xaxis=date_axis(...) keeps the axis title)."""
    head, *rest = path
    if rest:
        _set(spec.setdefault(head, {}), rest, value)
    elif isinstance(value, dict) and isinstance(spec.get(head), dict):
        spec[head] = {**spec[head], **value}
    else:
        spec[head] = value


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
) -> list[Trace]:
    """One bar trace per value of `by`, in order of first appearance."""
    palette = palette or {}
    return [
        bar(labels(part[x]), part[y].tolist(), str(name), colour=colour(palette, str(name)))
        for name, part in table.groupby(by, sort=False)
    ]


def bar(x: list[Any], y: list[Any], name: str, *, colour: str | None = None) -> Trace:
    trace: Trace = {"type": "bar", "x": x, "y": y, "name": plotly_label(name)}
    if colour is not None:
        trace["marker"] = {"color": colour}
    return trace


def line(
    x: list[Any],
    y: list[Any],
    *,
    name: str | None = None,
    mode: str | None = "lines+markers",
    dash: str | None = None,
) -> Trace:
    """`mode` None: Plotly's choice (markers on lines of under twenty points)."""
    trace: Trace = {"type": "scatter", "x": x, "y": y}
    if name is not None:
        trace["name"] = plotly_label(name)
    if mode is not None:
        trace["mode"] = mode
    if dash is not None:
        trace["line"] = {"dash": dash}
    return trace


def labels(values: pd.Series) -> list[object]:
    return [plotly_label(v) for v in values.tolist()]


def columns(table: pd.DataFrame, x: str, names: list[str]) -> list[Trace]:
    """One bar trace per column in `names`, against column x."""
    return [bar(labels(table[x]), table[n].tolist(), n) for n in names]


def sideways(traces: list[Trace]) -> list[Trace]:
    return [{**trace, "x": trace["y"], "y": trace["x"], "orientation": "h"} for trace in traces]


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
                chart.figure,
                key=f"{chart.key}-chart",
                config=PLOTLY_CONFIG,
                theme=None,
                alt=chart.title,  # its name to a screen reader; seen above it as the subheader
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
