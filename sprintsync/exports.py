"""Every file SprintSync hands out for a spreadsheet (the app's CSV downloads, the CLI's
`--format csv`) is written here, and nowhere else (tests/test_codebase.py keeps it so).

A cell a spreadsheet would read as a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, or a tab or
carriage return in front, full-width look-alikes included) is written with a leading
apostrophe, which spreadsheets take as "this is text": a task title typed as a formula stays
the text it was instead of running when a manager opens the export (OWASP, CSV injection).
Numbers are numbers and are left alone; negative ones included.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

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
