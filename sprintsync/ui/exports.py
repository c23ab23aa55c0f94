"""The one download button for tables: its CSV comes from sprintsync.exports, so no formula
typed into a task or a name runs when the file is opened in a spreadsheet. (Streamlit's own
table toolbar export is switched off in .streamlit/config.toml: it writes cells as typed.)"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st

from sprintsync.exports import csv_bytes


def download_csv(table: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    """A button serving `table` as `name`.csv, written only when it is clicked: written on
    every run, Team's one CSV was about a sixth of the page's time in the browser
    (docs/PERFORMANCE.md)."""
    st.download_button(
        label,
        data=functools.partial(csv_bytes, table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{name}-csv",
        on_click="ignore",
        icon=":material/download:",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_xlsx(make: Callable[[], bytes], name: str, label: str = "Download XLSX") -> None:
    """A button serving the workbook `make()` writes (sprintsync.exports) as `name`.xlsx,
    made only when it is clicked."""
    st.download_button(
        label,
        data=make,
        file_name=f"{name}.xlsx",
        mime=XLSX,
        key=f"{name}-xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
