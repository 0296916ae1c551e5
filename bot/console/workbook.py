"""Results as an Excel workbook: the CSV's rows and labels on a sheet "Results", and a
sheet "How it was suppressed" that says in plain English what the labels mean.

Pure: `Results` in, the .xlsx file's bytes out. Every cell is text except a shown count,
which is a number so a spreadsheet can add it up; a hidden count is its label ("fewer
than N", "hidden to protect a small group"), never a number. Text is stored as text,
never as a formula, whatever it starts with.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from conversations import results as summary

__all__ = ["EXPLANATION_SHEET", "MEDIA_TYPE", "RESULTS_SHEET", "to_xlsx"]

RESULTS_SHEET = "Results"
EXPLANATION_SHEET = "How it was suppressed"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_WIDTHS = {"A": 22, "B": 50, "C": 30, "D": 24, "E": 24}


def to_xlsx(results: summary.Results) -> bytes:
    """The workbook of `results`: the rows of `to_rows`, then how they were suppressed."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = RESULTS_SHEET
    rows = summary.to_rows(results)
    for index, row in enumerate(rows):
        last = len(row) - 1
        sheet.append(
            [_cell(text, number=index > 0 and column == last) for column, text in enumerate(row)]
        )
    _as_text(sheet)
    sheet.freeze_panes = "A2"
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet(EXPLANATION_SHEET)
    for line in explanation(results):
        notes.append([line])
    _as_text(notes)
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def explanation(results: summary.Results) -> list[str]:
    """What the second sheet says: the threshold and the two labels, in plain words."""
    n = results.min_count
    scope = f"round {results.round_id}" if results.round_id else "every round"
    return [
        f"How the results of {results.title} ({results.consultation_id}) were suppressed",
        "",
        f"These results cover {scope}. Small numbers are hidden so that nobody can be "
        "picked out from their answers.",
        f"The threshold is {n}: any count from 1 to {n - 1} is not shown.",
        "",
        f"“fewer than {n}”: between 1 and {n - 1} people gave this answer. The exact "
        "number is not shown.",
        "“hidden to protect a small group”: this count is hidden so that a small count "
        "elsewhere can't be worked out by adding or taking away the numbers shown. It "
        "can be any size, 0 too.",
        "",
        "A 0 is shown as 0 unless it has to be hidden to protect a small group. A median "
        "or quartile that reads “suppressed” had too few answers to show. Free-text "
        "answers are listed only once enough people answered, with personal details "
        "taken out.",
        "The same cells are hidden in the console, the CSV file and this workbook.",
    ]


def _cell(text: str, *, number: bool) -> str | int | float:
    if number and _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _as_text(sheet: Worksheet) -> None:
    # openpyxl reads a string starting with "=" as a formula: keep every string a string.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
