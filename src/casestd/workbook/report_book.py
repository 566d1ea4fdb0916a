"""Write the cross-district report as a workbook, with a live bar chart of cost by district.

Sheets: a summary, the beneficiaries registered in several districts (row
references and matched keys; names only when asked), the services given twice,
the budget table, and the cost by district, whose figures are ``SUMIFS``
formulas over the budget table and whose bar chart is a native Excel chart: it
follows when an officer edits the budget table.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from casestd import codes
from casestd.workbook.layout import text
from casestd.workbook.reporter import SMALL_COUNT, UNKNOWN, Report
from casestd.workbook.safety import is_risky

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="D9D9D9")


def _label(list_id: str, code: str, lang: str) -> str:
    if code == UNKNOWN or code not in codes.get(list_id):
        return text("report.unknown", lang)
    return codes.get(list_id).label(code, lang)


def _put(sheet: Any, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if is_risky(value):
        cell.value, cell.data_type, cell.quotePrefix = value, "s", True


def _table(sheet: Any, headers: list[str], rows: list[list[Any]]) -> None:
    for number, header in enumerate(headers, start=1):
        _put(sheet, 1, number, header)
        sheet.cell(row=1, column=number).font = _BOLD
        sheet.cell(row=1, column=number).fill = _HEAD
        sheet.column_dimensions[get_column_letter(number)].width = max(12, len(header) + 4)
    for offset, values in enumerate(rows, start=2):
        for number, value in enumerate(values, start=1):
            _put(sheet, offset, number, value)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _headers(keys: list[str], lang: str) -> list[str]:
    return [text(f"report.column.{key}", lang) for key in keys]


def _summary(book: Workbook, report: Report, lang: str) -> None:
    sheet: Any = book.active
    sheet.title = text("report.sheet.summary", lang)
    sheet.column_dimensions["A"].width = 70
    sheet.column_dimensions["B"].width = 14
    lines = [
        (text("report.title", lang), None),
        (text("report.records", lang), report.records),
        (text("report.invalid", lang), report.invalid),
        (text("report.duplicates", lang), len(report.duplicates)),
        (text("report.services", lang), sum(item.cross_district for item in report.services)),
        (text("report.budget_total", lang), sum(row.cost_amd for row in report.budget)),
    ]
    for offset, (label, value) in enumerate(lines, start=1):
        _put(sheet, offset, 1, label)
        if value is not None:
            sheet.cell(row=offset, column=2, value=value)
    sheet["A1"].font = Font(bold=True, size=14)
    notes = [text("report.note.refs", lang)]
    if report.suppressed:
        notes.append(text("report.note.suppressed", lang, small=SMALL_COUNT))
    for offset, note in enumerate(notes, start=len(lines) + 2):
        _put(sheet, offset, 1, note)


def _duplicates(book: Workbook, report: Report, lang: str, show_names: bool) -> None:
    sheet = book.create_sheet(text("report.sheet.duplicates", lang))
    keys = ["group", "districts", "file", "sheet", "row", "district", "keys"]
    rows: list[list[Any]] = []
    for number, item in enumerate(report.duplicates, start=1):
        districts = ", ".join(_label("yerevan_district", d, lang) for d in item.districts)
        for index, ref in enumerate(item.rows):
            district = _label("yerevan_district", ref.district or UNKNOWN, lang)
            entry: list[Any] = [number, districts, ref.file, ref.sheet, ref.row, district]
            entry.append(", ".join(item.keys))
            if show_names:
                entry.append(item.names[index] if index < len(item.names) else "")
            rows.append(entry)
    headers = _headers(keys + (["names"] if show_names else []), lang)
    _table(sheet, headers, rows)


def _services(book: Workbook, report: Report, lang: str) -> None:
    sheet = book.create_sheet(text("report.sheet.services", lang))
    keys = ["group", "service_type", "start", "end", "districts", "total_amd"]
    keys += ["file", "sheet", "row"]
    rows: list[list[Any]] = []
    for number, item in enumerate(report.services, start=1):
        overlap = item.overlap
        districts = ", ".join(_label("yerevan_district", d, lang) for d in item.districts)
        for ref in item.rows or ():
            rows.append(
                [
                    number,
                    _label("service_type", overlap.service_type, lang),
                    overlap.start,
                    overlap.end,
                    districts,
                    overlap.total_amd,
                    ref.file,
                    ref.sheet,
                    ref.row,
                ]
            )
    _table(sheet, _headers(keys, lang), rows)
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "DD.MM.YYYY"


def _budget(book: Workbook, report: Report, lang: str) -> str:
    sheet = book.create_sheet(text("report.sheet.budget", lang))
    keys = ["district", "service_type", "funding_source", "month", "cost_amd", "services"]
    keys += ["beneficiaries", "per_beneficiary"]
    rows: list[list[Any]] = []
    for row in report.budget:
        rows.append(
            [
                _label("yerevan_district", row.district, lang),
                _label("service_type", row.service_type, lang),
                _label("funding_source", row.funding_source, lang),
                row.month,
                row.cost_amd,
                row.services,
                row.beneficiaries if row.beneficiaries is not None else text("report.small", lang),
                None,
            ]
        )
    _table(sheet, _headers(keys, lang), rows)
    for offset in range(2, len(rows) + 2):
        # casestd's own formula: cost per beneficiary, live when the table is edited
        per = f'=IF(ISNUMBER(G{offset}),ROUND(E{offset}/G{offset},0),"")'
        sheet.cell(row=offset, column=8, value=per)
        for column in (5, 8):
            sheet.cell(row=offset, column=column).number_format = "#,##0"
    return str(sheet.title)


def _by_district(book: Workbook, budget_title: str, lang: str) -> None:
    sheet = book.create_sheet(text("report.sheet.by_district", lang))
    districts = [c for c in codes.get("yerevan_district").active()]
    headers = _headers(["district", "cost_amd"], lang)
    _table(sheet, headers, [])
    source = quote_sheetname(budget_title)
    for offset, code in enumerate(districts, start=2):
        _put(sheet, offset, 1, _label("yerevan_district", code, lang))
        sheet.cell(
            row=offset,
            column=2,
            value=f"=SUMIFS({source}!$E:$E,{source}!$A:$A,A{offset})",
        ).number_format = "#,##0"
    chart = BarChart()
    chart.type = "col"
    chart.title = text("report.chart", lang)
    chart.y_axis.title = "AMD"
    chart.legend = None
    last = len(districts) + 1
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.width, chart.height = 24, 12
    sheet.add_chart(chart, "D2")


def write_report(
    report: Report,
    target: str | Path | IO[bytes],
    *,
    lang: str = "en",
    show_names: bool = False,
) -> None:
    """Write ``report`` as a workbook; names only with ``show_names``."""
    book = Workbook()
    _summary(book, report, lang)
    _duplicates(book, report, lang, show_names)
    _services(book, report, lang)
    title = _budget(book, report, lang)
    _by_district(book, title, lang)
    book.properties.creator = "casestd"
    book.properties.title = text("report.title", lang)
    book.save(target)
