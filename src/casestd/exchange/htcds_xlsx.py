"""The HTCDS tables as one workbook, laid out as HTCDS's own Excel templates.

Each table is a sheet: row 1 (hidden) holds the field names, row 2 the labels,
data starts on row 3. Cells are written in one streaming pass (openpyxl's
write-only mode) through `casestd.workbook.safety.text_cell`, so that no text
becomes a formula. Needs the ``workbook`` extra.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from casestd.exchange.htcds import Table
from casestd.workbook.safety import text_cell

NAME_ROW, LABEL_ROW, FIRST_ROW = 1, 2, 3
_BOLD = Font(bold=True)
_GREY = Font(color="808080", size=8)


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, dt.date):
        return text_cell(sheet, value, number_format="YYYY-MM-DD")
    return text_cell(sheet, value)


def write_workbook(
    target: str | Path, tables: Sequence[tuple[Table, Iterable[list[Any]]]]
) -> dict[str, int]:
    """Write each (table, rows) as a sheet of ``target``; returns the rows per table."""
    book = Workbook(write_only=True)
    counts = {}
    for entry, rows in tables:
        sheet = book.create_sheet(entry.title)
        sheet.row_dimensions[NAME_ROW].hidden = True
        sheet.freeze_panes = f"A{FIRST_ROW}"
        for number in range(1, len(entry.columns) + 1):
            sheet.column_dimensions[_letter(number)].width = 22
        sheet.append([text_cell(sheet, name, font=_GREY) for name in entry.fields])
        sheet.append([text_cell(sheet, c.label, font=_BOLD) for c in entry.columns])
        count = 0
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
            count += 1
        counts[entry.name] = count
    book.save(target)
    return counts


def _letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))
