"""The registration form as an XLSForm, for KoboToolbox and ODK Collect, offline.

`xlsform` writes the ``survey``, ``choices`` and ``settings`` sheets of one
data sheet of the workbook (children by default) from the same layout: one
question per column, named after its path (``names_0_given``, see
`casestd.workbook.reading.xlsform_name`), labels and hints in Armenian,
Russian and English (``label::Armenian (hy)``...), choice lists from the code
lists, and constraints for the formats (dates, phones, identifiers per type,
numbers within the model's bounds). pyxform converts it to an ODK XForm
without errors or warnings, and `casestd.workbook.read` reads the CSV or XLSX
that KoboToolbox or ODK Central exports of it (codes in cells) back into
records, with the same findings as a workbook.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from casestd.model.types import TEXT_PATTERNS
from casestd.normalise.formats import identifier_formats
from casestd.version import STANDARD_VERSION
from casestd.workbook import layout
from casestd.workbook.layout import LANGUAGES, Column, Sheet, text
from casestd.workbook.reading import xlsform_name
from casestd.workbook.safety import is_risky
from casestd.workbook.writer import BOOLEAN_LIST, code_choices

#: Lists longer than this (languages) go to a CSV file beside the form, not in ``choices``.
MAX_INLINE_CHOICES = 400
#: How each language is named in the XLSForm's column headers.
LANGUAGE_NAMES = {"hy": "Armenian (hy)", "ru": "Russian (ru)", "en": "English (en)"}
_TYPES = {
    "key": "text",
    "text": "text",
    "texts": "text",
    "identifier": "text",
    "phone": "text",
    "uuid": "text",
    "reference": "text",
    "datetime": "text",
    "partial_date": "text",
    "int": "integer",
    "number": "decimal",
    "date": "date",
}
_PHONE = r"^(\+[1-9][0-9]{6,14}|0[0-9]{8})$"
_PARTIAL = r"^([0-9]{1,2}\.)?([0-9]{1,2}\.)?[0-9]{4}$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_UUID = TEXT_PATTERNS["uuid"]


def _identifier_patterns() -> dict[str, str]:
    return {kind: spec["pattern"] for kind, spec in identifier_formats().items()}


def _quoted(pattern: str) -> str:
    return "'" + pattern.replace("'", "&apos;") + "'"


def _identifier_constraint(column: Column) -> str:
    kind_field = xlsform_name(column.path.rsplit(".", 1)[0] + ".type")
    condition = "true()"
    for kind, pattern in reversed(list(_identifier_patterns().items())):
        condition = f"if(${{{kind_field}}} = '{kind}', regex(., {_quoted(pattern)}), {condition})"
    return condition


def _bounds(column: Column, sheet: Sheet) -> str | None:
    model = sheet.model
    field = model.model_fields.get(column.path.rsplit(".", 1)[-1])
    if field is None:
        return None
    parts = []
    for meta in field.metadata:
        for attr, op in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(meta, attr, None)
            if value is not None:
                parts.append(f". {op} {value}")
    return " and ".join(parts) or None


def _constraint(column: Column, sheet: Sheet) -> tuple[str | None, str | None]:
    """(constraint, key of its message) of a column."""
    if column.kind == "phone":
        return f"regex(., {_quoted(_PHONE)})", "input.phone"
    if column.kind == "identifier":
        return _identifier_constraint(column), "input.identifier"
    if column.kind == "partial_date":
        return f"regex(., {_quoted(_PARTIAL)})", "input.partial_date"
    if column.kind in ("uuid",):
        return f"regex(., {_quoted(_UUID)})", "input.reference"
    if column.kind == "date":
        return ". >= date('1900-01-01') and . <= today()", "input.date"
    if column.kind in ("int", "number"):
        bounds = _bounds(column, sheet)
        return (bounds, None) if bounds else (None, None)
    return None, None


def _hint_key(column: Column) -> str | None:
    hints = {
        "partial_date": "input.partial_date",
        "phone": "input.phone",
        "identifier": "input.identifier",
        "texts": "input.texts",
        "reference": "input.reference",
        "key": "input.key",
    }
    return hints.get(column.kind)


def _question(column: Column, sheet: Sheet) -> dict[str, Any] | None:
    if column.hidden or column.filled or column.kind == "parent":
        return None
    if column.kind in ("code", "codes", "bool"):
        list_id = BOOLEAN_LIST if column.kind == "bool" else column.list_id
        assert list_id is not None
        kind = "select_multiple" if column.kind == "codes" else "select_one"
        if len(code_choices(list_id, "en")) > MAX_INLINE_CHOICES:
            question_type = f"{kind}_from_file {list_id}.csv"
        else:
            question_type = f"{kind} {list_id}"
    else:
        question_type = _TYPES[column.kind]
    row: dict[str, Any] = {"type": question_type, "name": xlsform_name(column.path)}
    for lang in LANGUAGES:
        row[f"label::{LANGUAGE_NAMES[lang]}"] = column.header(lang)
    hint = _hint_key(column)
    constraint, message = _constraint(column, sheet)
    for lang in LANGUAGES:
        if hint:
            row[f"hint::{LANGUAGE_NAMES[lang]}"] = text(hint, lang)
        if constraint and message:
            row[f"constraint_message::{LANGUAGE_NAMES[lang]}"] = text(message, lang)
    if constraint:
        row["constraint"] = constraint
    if column.marked_required:
        row["required"] = "yes"
    if column.kind == "codes":
        row["appearance"] = "minimal"
    if column.default is not None:
        row["default"] = column.default
    if column.group is not None and column.group[1] > 0:
        name, number = column.group
        previous = xlsform_name(f"{name}.{number - 1}.{column.path.rsplit('.', 1)[-1]}")
        row["relevant"] = f"${{{previous}}} != ''"
    return row


def _choices(lists: list[str]) -> list[dict[str, Any]]:
    rows = []
    for list_id in lists:
        labelled = {lang: code_choices(list_id, lang) for lang in LANGUAGES}
        for index, (_, code) in enumerate(labelled["en"]):
            row: dict[str, Any] = {"list_name": list_id, "name": code}
            for lang in LANGUAGES:
                row[f"label::{LANGUAGE_NAMES[lang]}"] = labelled[lang][index][0]
            rows.append(row)
    return rows


def _sheet_rows(book: Workbook, title: str, rows: list[dict[str, Any]]) -> None:
    sheet = book.create_sheet(title)
    headers: list[str] = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    sheet.append(headers)
    for row in rows:
        values = [row.get(header) for header in headers]
        sheet.append(values)
        for number, value in enumerate(values, start=1):
            if is_risky(value) and title != "survey":
                cell = sheet.cell(row=sheet.max_row, column=number)
                cell.data_type, cell.quotePrefix = "s", True


def form_rows(name: str = "children") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``survey`` and ``choices`` rows of the form of data sheet ``name``."""
    entry = layout.sheet(name)
    if entry.part is not None:
        raise ValueError(f"{name}: a form is made of a sheet of whole records")
    survey = [q for q in (_question(c, entry) for c in entry.columns) if q is not None]
    lists: dict[str, None] = {}
    for question in survey:
        kind, _, list_id = question["type"].partition(" ")
        if kind in ("select_one", "select_multiple"):
            lists[list_id] = None
    return survey, _choices(list(lists))


def choice_files(name: str = "children") -> dict[str, list[dict[str, Any]]]:
    """File name -> rows of the CSV choice files the form of sheet ``name`` needs."""
    survey, _ = form_rows(name)
    files = {}
    for question in survey:
        kind, _, file = question["type"].partition(" ")
        if kind.endswith("_from_file"):
            files[file] = _choices([file.removesuffix(".csv")])
    return files


def xlsform(target: str | Path, *, sheet: str = "children", lang: str = "hy") -> list[Path]:
    """Write the XLSForm of data sheet ``sheet`` to ``target``; returns the files written.

    Long choice lists (languages) are written as CSV files beside ``target``,
    to be attached to the form as media files. ``lang`` is the form's default
    language.
    """
    survey, choices = form_rows(sheet)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _sheet_rows(book, "survey", survey)
    _sheet_rows(book, "choices", choices)
    form_id = f"casestd_{sheet}"
    version = layout.template_id().rsplit("-", 1)[-1]
    settings = {
        "form_title": f"{text('instructions.title', lang)} — {text(f'sheet.{sheet}', lang)}",
        "form_id": form_id,
        "version": f"{STANDARD_VERSION}-{version}",
        "default_language": LANGUAGE_NAMES[lang],
        "style": "pages",
    }
    _sheet_rows(book, "settings", [settings])
    book.save(target)
    written = [Path(target)]
    for file, rows in choice_files(sheet).items():
        path = Path(target).parent / file
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written
