"""The chart helpers: colours that follow a person, date axes that name dates, CSVs a
spreadsheet opens as text."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from sprintsync.exports import safe_frame
from sprintsync.services.analytics import OTHERS
from sprintsync.ui import charts


def test_a_person_keeps_their_colour_whoever_else_is_shown():
    team = ["ada", "bob", "cy", "dee"]
    palette = charts.colours(team)
    bars = charts.series(
        pd.DataFrame({"Person": ["dee", "bob"], "Day": ["Mon", "Mon"], "Hours": [1.0, 2.0]}),
        "Person",
        "Day",
        "Hours",
        palette,
    )
    assert [b["marker"]["color"] for b in bars] == [palette["dee"], palette["bob"]]
    assert len({palette[name] for name in team}) == len(team)
    assert palette[OTHERS] == charts.OTHERS_COLOUR
    # Someone not in the directory still gets the same colour every time.
    assert charts.colour(palette, "gone") == charts.colour(charts.colours(["x"]), "gone")


@pytest.mark.parametrize(
    ("first", "last", "step", "tick_days"),
    [
        (dt.date(2025, 11, 24), dt.date(2025, 11, 24), 7, 7),  # one week: a date, not 00:00
        (dt.date(2025, 1, 1), dt.date(2025, 1, 31), 1, 3),
        (dt.date(2025, 1, 6), dt.date(2025, 12, 29), 7, 35),
    ],
)
def test_a_date_axis_ticks_on_whole_days_and_names_them(first, last, step, tick_days):
    axis = charts.date_axis(first, last, step_days=step)
    assert axis["type"] == "date"
    assert axis["dtick"] == tick_days * charts.DAY_MS
    assert axis["tickformat"] == "%d %b"  # no time of day
    assert axis["tick0"] == first.isoformat()


def test_a_csv_cell_that_starts_like_a_formula_opens_as_text():
    frame = pd.DataFrame(
        {"Person": ["-2+3", "=cmd", "@sum", "ada", "+1"], "Hours": [-1.5, 1.0, 2.0, 3.0, 4.0]}
    )
    safe = safe_frame(frame)
    assert list(safe["Person"]) == ["'-2+3", "'=cmd", "'@sum", "ada", "'+1"]
    assert list(safe["Hours"]) == [-1.5, 1.0, 2.0, 3.0, 4.0]  # numbers stay numbers
    assert frame["Person"].iloc[0] == "-2+3"  # the table on screen is left as it is


def ranked_script():
    import pandas as pd

    from sprintsync.ui import charts

    table = pd.DataFrame({"Person": ["*ada*", "bob_x_"], "Hours": [12.25, 1.0]})
    charts.show_ranked(charts.Chart("top", "Top 2", table, None, "Nobody."), value="Hours")
    charts.show_ranked(charts.Chart("none", "Top 0", table.head(0), None, "Nobody."), value="Hours")


def test_a_ranking_lists_names_as_written_busiest_first_with_its_csv():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(ranked_script, default_timeout=30).run()
    assert not at.exception
    [table] = at.table
    shown = table.value
    assert list(shown["#"]) == [1, 2]
    # st.table reads Markdown: the escaped names render as the names themselves.
    assert list(shown["Person"]) == [r"\*ada\*", r"bob\_x\_"]
    assert list(shown["Hours"]) == ["12.2 h", "1.0 h"]
    [button] = at.get("download_button")  # the empty ranking offers none
    assert button.proto.label == "Download CSV"
    assert [s.value for s in at.subheader] == ["Top 2", "Top 0"]
    assert at.info[0].value == "Nobody."


def test_fixed_margins_turn_automargin_off_and_other_charts_keep_it():
    bars = [charts.bar(["To do"], [1.5], "Average hours")]
    fixed = charts.figure("Status", "Hours", bars, fixed_margins=True)
    assert fixed.layout.xaxis.automargin is False
    assert fixed.layout.yaxis.automargin is False
    assert fixed.layout.margin.l == charts.FIXED_MARGINS["l"]
    named = charts.figure("Tasks", "Person", bars).to_dict()["layout"]
    # the look's automargin holds for axes of names (long ones would be cut otherwise)
    assert named["xaxis"]["automargin"] is True
    assert named["yaxis"]["automargin"] is True


def test_a_figure_copied_reads_as_unchanged_and_new_data_as_changed():
    """Streamlit's chart hands Plotly a copy of each figure once drawn: Plotly draws it again
    for a template in the layout (an object it does not compare) or, without a
    datarevision, for any copied array. The look is in the layout itself, the data named."""

    def served(hours: list[float]) -> dict:
        bars = [charts.bar(["To do", "Done"], hours, "Average hours")]
        figure = charts.figure("Status", "Hours", bars, fixed_margins=True)
        return json.loads(pio.to_json(figure, validate=False))["layout"]

    layout = served([1.5, 2.0])
    assert "template" not in layout
    assert layout["font"]["family"] == '"Source Sans", sans-serif'  # the look, in the layout
    assert layout["xaxis"]["gridcolor"] == "rgb(230, 234, 241)"
    assert "title" not in layout  # its subheader titles it (charts.show)
    assert served([1.5, 2.0])["datarevision"] == layout["datarevision"]
    assert served([1.5, 2.5])["datarevision"] != layout["datarevision"]


def test_figures_built_unchecked_pass_plotlys_checking_unchanged():
    table = pd.DataFrame({"Person": ["ada", "bob"], "To do": [1, 2], "Done": [3, 0]})
    figures = [
        charts.figure("Tasks", "Person",
            charts.sideways(charts.columns(table, "Person", ["To do", "Done"])),
            barmode="stack", yaxis_autorange="reversed", showlegend=False,
        ),
        charts.figure("Day", "Hours", [charts.line(["2025-01-06", "2025-01-07"], [1.5, 2.0])],
            xaxis=charts.date_axis(dt.date(2025, 1, 6), dt.date(2025, 1, 7), step_days=1),
            fixed_margins=True,
        ),
    ]  # fmt: skip
    for figure in figures:
        served = figure.to_dict()
        assert go.Figure(served).to_dict() == served  # raises on a misspelt property
    layout = figures[0].to_dict()["layout"]
    assert layout["yaxis"]["autorange"] == "reversed"
    assert layout["yaxis"]["title"] == {
        "text": "Person",
        "font": {"color": "rgb(128, 132, 149)", "size": 14},
    }
    assert figures[0].to_dict()["data"][0]["orientation"] == "h"
    axis = figures[1].to_dict()["layout"]["xaxis"]
    assert axis["title"]["text"] == "Day" and axis["type"] == "date"  # merged, not replaced
