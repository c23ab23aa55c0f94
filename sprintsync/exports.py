"""Every file SprintSync hands out for a spreadsheet (the app's CSV downloads, the CLI's
`--format csv`) is written here, and nowhere else (tests/test_codebase.py keeps it so).

A cell a spreadsheet would read as a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, or a tab or
carriage return in front, full-width look-alikes included) is written with a leading
apostrophe, which spreadsheets take as "this is text": a task title typed as a formula stays
the text it was instead of running when a manager opens the export (OWASP, CSV injection).
Numbers are numbers and are left alone; negative ones included.

XLSX files are written with openpyxl, every text cell stored as text (a string cell is never
evaluated, whatever it starts with: openpyxl would otherwise store `=...` as a formula), dates
as dates, durations as durations, and no formulas at all: a totals row holds its values.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

if TYPE_CHECKING:
    from sprintsync.services.timesheet_views import EntryReport

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def spreadsheet_safe(value: Any) -> Any:
    """`value`, or for text a spreadsheet would evaluate, the same text marked as text."""
    if isinstance(value, str):
        first = value.lstrip(" ")[:1]
        if first and first in FORMULA_STARTS:
            return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and column name spreadsheet-safe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(spreadsheet_safe)
    safe.columns = [spreadsheet_safe(str(c)) for c in safe.columns]
    return safe


def csv_text(frame: pd.DataFrame) -> str:
    # CRLF line ends (RFC 4180): a cell holding a lone carriage return is then quoted too.
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return csv_text(frame).encode("utf-8")


ENTRY_COLUMNS = [
    "Person",
    "Name",
    "Project",
    "Sprint",
    "Task ID",
    "Task",
    "Date",
    "Start",
    "End",
    "Minutes",
    "Hours",
    "Note",
    "Week state",
]


def entries_frame(report: EntryReport) -> pd.DataFrame:
    """The detailed time report as a table: one row per entry (dates as YYYY-MM-DD)."""
    return pd.DataFrame(
        [
            [
                r.username,
                r.full_name,
                r.project_key,
                r.sprint or "",
                r.task_id,
                r.task_title,
                r.spent_on.isoformat(),
                r.start,
                r.end,
                r.minutes,
                round(r.minutes / 60, 2),
                r.note,
                r.week_state.label,
            ]
            for r in report.rows
        ],
        columns=ENTRY_COLUMNS,
    )


def _text(cell: Any, value: str) -> None:
    """A cell that holds `value` as text, never as a formula."""
    cell.value = value
    cell.data_type = "s"


def entries_xlsx(report: EntryReport) -> bytes:
    """The detailed time report as an XLSX workbook: a header, one row per entry (real date,
    time-of-day and duration cells) and a totals row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Time entries"
    columns = [
        "Person",
        "Name",
        "Project",
        "Sprint",
        "Task ID",
        "Task",
        "Date",
        "Start",
        "End",
        "Duration",
        "Minutes",
        "Note",
        "Week state",
    ]
    for col, name in enumerate(columns, start=1):
        _text(sheet.cell(row=1, column=col), name)
        sheet.cell(row=1, column=col).font = Font(bold=True)
    for n, r in enumerate(report.rows, start=2):
        for col, text in enumerate([r.username, r.full_name, r.project_key, r.sprint or ""], 1):
            _text(sheet.cell(row=n, column=col), text)
        sheet.cell(row=n, column=5, value=r.task_id)
        _text(sheet.cell(row=n, column=6), r.task_title)
        sheet.cell(row=n, column=7, value=r.spent_on).number_format = "yyyy-mm-dd"
        for col, minute in ((8, r.start_minute), (9, r.end_minute)):
            if minute is not None:
                # 24:00 (an entry ending at midnight) is a whole day, as spreadsheets count it.
                cell = sheet.cell(row=n, column=col, value=dt.timedelta(minutes=minute))
                cell.number_format = "[hh]:mm"
        sheet.cell(row=n, column=10, value=dt.timedelta(minutes=r.minutes)).number_format = "[h]:mm"
        sheet.cell(row=n, column=11, value=r.minutes)
        _text(sheet.cell(row=n, column=12), r.note)
        _text(sheet.cell(row=n, column=13), r.week_state.label)
    total_row = len(report.rows) + 2
    _text(sheet.cell(row=total_row, column=1), "Total")
    total = sheet.cell(row=total_row, column=10, value=dt.timedelta(minutes=report.total_minutes))
    total.number_format = "[h]:mm"
    sheet.cell(row=total_row, column=11, value=report.total_minutes)
    for col in range(1, len(columns) + 1):
        sheet.cell(row=total_row, column=col).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
