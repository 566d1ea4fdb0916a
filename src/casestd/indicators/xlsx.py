"""XLSX: a workbook of a published result, a contents sheet and one sheet per indicator.

Written with openpyxl (the ``workbook`` extra) in write-only mode, with the
registration workbook's cell writer (`casestd.workbook.safety.text_cell`):
every cell is a value, never a formula; a text that a spreadsheet would take
for one (it starts with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF) is a
text cell with Excel's quote prefix. A suppressed figure shows the mark
``c`` in its value cell and in the flag column, with the legend on every
sheet; never a zero or a blank.
"""

from __future__ import annotations

from typing import IO, Any

from casestd.indicators import catalogue
from casestd.indicators.compute import Figure, Result
from casestd.indicators.outputs import (
    SUPPRESSED_FLAG,
    category_label,
    legend,
    rounded,
)

_HEADINGS = {
    "en": ("Breakdown", "Category", "Value", "Numerator", "Denominator", "Status", "Flag"),
    "hy": ("Բաշխում", "Կատեգորիա", "Արժեք", "Համարիչ", "Հայտարար", "Կարգավիճակ", "Նշան"),
    "ru": ("Разбивка", "Категория", "Значение", "Числитель", "Знаменатель", "Статус", "Отметка"),
}
_WORDS = {
    "en": {"contents": "Contents", "period": "Period", "trend": "Quarterly trend",
           "indicator": "Indicator", "sheet": "Sheet", "unit": "Unit", "total": "Total",
           "catalogue": "Catalogue version"},
    "hy": {"contents": "Բովանդակություն", "period": "Ժամանակահատված",
           "trend": "Եռամսյակային դինամիկա", "indicator": "Ցուցանիշ", "sheet": "Թերթ",
           "unit": "Միավոր", "total": "Ընդամենը", "catalogue": "Կատալոգի տարբերակ"},
    "ru": {"contents": "Содержание", "period": "Период", "trend": "Поквартальная динамика",
           "indicator": "Показатель", "sheet": "Лист", "unit": "Единица", "total": "Всего",
           "catalogue": "Версия каталога"},
}  # fmt: skip


def _cell(sheet: Any, value: Any, bold: bool = False) -> Any:
    from openpyxl.styles import Font

    from casestd.workbook.safety import text_cell

    return text_cell(sheet, value, font=Font(bold=True)) if bold else text_cell(sheet, value)


def _row(sheet: Any, *values: Any, bold: bool = False) -> None:
    sheet.append([_cell(sheet, value, bold) for value in values])


def _value(figure: Figure, unit: str) -> Any:
    if figure.status == "suppressed":
        return SUPPRESSED_FLAG
    value = rounded(figure, unit)
    return "" if value is None else value


def write(result: Result, out: IO[bytes], lang: str = "en") -> None:
    """Write the workbook of a published result to a binary stream."""
    from openpyxl import Workbook

    words = _WORDS[lang]
    note = legend((result.suppression or {}).get("threshold"), lang)
    book = Workbook(write_only=True)
    contents = book.create_sheet(words["contents"][:31])
    _row(contents, words["period"], result.period.text, bold=True)
    _row(contents, words["catalogue"], catalogue.version())
    _row(contents, note)
    _row(contents)
    _row(contents, words["sheet"], words["indicator"], words["unit"], bold=True)
    for indicator in result.indicators:
        _row(contents, indicator.id, indicator.title(lang), indicator.unit)
        _indicator_sheet(book, result, indicator, lang, note)
    book.save(out)


def _indicator_sheet(
    book: Any, result: Result, indicator: catalogue.Indicator, lang: str, note: str
) -> None:
    words = _WORDS[lang]
    sheet = book.create_sheet(indicator.id[:31])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 36
    _row(sheet, indicator.title(lang), bold=True)
    _row(sheet, indicator.definition(lang))
    _row(sheet, words["period"], result.period.text)
    _row(sheet, words["unit"], catalogue.label("units", indicator.unit, lang))
    _row(sheet, note)
    _row(sheet)
    _row(sheet, *_HEADINGS[lang], bold=True)
    unit = indicator.unit
    for figure in result.figures:
        if figure.indicator != indicator.id or figure.period != result.period.text:
            continue
        breakdown = catalogue.breakdown(figure.breakdown).title(lang) if figure.breakdown else ""
        suppressed = figure.status == "suppressed"
        _row(
            sheet,
            breakdown or words["total"],
            category_label(figure, lang),
            _value(figure, unit),
            "" if figure.numerator is None else figure.numerator,
            "" if figure.denominator is None else figure.denominator,
            figure.status,
            SUPPRESSED_FLAG if suppressed else "",
        )
    trend = [f for f in result.figures if f.indicator == indicator.id and f.breakdown is None]
    trend = [f for f in trend if f.period in {p.text for p in result.trend}]
    if trend:
        _row(sheet)
        _row(sheet, words["trend"], bold=True)
        for figure in trend:
            flag = SUPPRESSED_FLAG if figure.status == "suppressed" else ""
            _row(sheet, figure.period, "", _value(figure, unit), "", "", figure.status, flag)
