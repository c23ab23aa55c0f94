"""CSV that a spreadsheet opens safely: a cell it would read as a formula (=, +, -, @ and
the like) is escaped by defusedcsv, whatever a user typed into a name or a tag."""

from __future__ import annotations

import io

import pandas as pd
from defusedcsv import csv


def csv_text(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow(["" if v is None or v is pd.NA or v != v else v for v in row])
    return out.getvalue()
