"""Write the registration workbook: instructions, data sheets, codes, properties.

`template` writes an empty workbook; `casestd.workbook.exporter` writes the
same workbook with rows. Everything comes from the layout (`layout.sheets`)
and the code lists, in one streaming pass (openpyxl's write-only mode), so a
register of a hundred thousand rows is written in bounded memory.

Per data sheet: row 1 holds the headers in the chosen language (required ones
marked ``*``, the other two languages and the field's description in the
cell note), row 2 (hidden) the machine path of each column, rows 3 onwards
the data. Header rows are locked and the sheet protected without a password
(protection against slips, not encryption); data cells stay open. Coded
columns get drop-downs from named ranges on the hidden codes sheet, date
columns date validation and the DD.MM.YYYY format, identifier and phone
columns an input message with the expected format.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence, Sized
from pathlib import Path
from typing import IO, Any

import attrs
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from casestd import codes
from casestd.version import STANDARD_VERSION
from casestd.workbook import layout
from casestd.workbook.layout import LANGUAGES, Column, Sheet, text
from casestd.workbook.safety import is_risky, text_cell

#: Rows 1 and 2 are the header and the hidden path row; data starts on row 3.
HEADER_ROW, PATH_ROW, FIRST_DATA_ROW = 1, 2, 3
#: Data validations and column formats reach this row (Excel's last).
LAST_ROW = 1_048_576
#: Custom document properties casestd writes and reads back.
PROPERTY_PREFIX = "casestd."
DATE_FORMAT = "DD.MM.YYYY"
BOOLEAN_LIST = "yes_no"
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_REQUIRED_FILL = PatternFill("solid", fgColor="F4B183")
_PATH_FONT = Font(color="808080", size=8)
_OPEN = Protection(locked=False)
_LOCKED = Protection(locked=True)


@attrs.frozen
class Options:
    """What a generated workbook is for: its language, district office and agency."""

    lang: str = "hy"
    district: str | None = None
    agency: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unsupported language {self.lang!r}; use one of {LANGUAGES}")
        if self.district is not None and self.district not in codes.get("yerevan_district"):
            raise ValueError("unknown district code; see the code list yerevan_district")

    @property
    def default_agency(self) -> str | None:
        """The agency rows take when their agency cell is empty."""
        if self.agency:
            return self.agency
        if self.district:
            return f"yerevan-{self.district.replace('_', '-')}-sso"
        return None


def range_name(list_id: str) -> str:
    """The workbook-level name of the drop-down range of a code list."""
    return f"codes_{list_id}"


def code_choices(list_id: str, lang: str) -> list[tuple[str, str]]:
    """(label in ``lang``, code) of the active codes of a list, for drop-downs."""
    if list_id == BOOLEAN_LIST:
        return [(text("yes", lang), "true"), (text("no", lang), "false")]
    code_list = codes.get(list_id)
    return [(code_list.label(code, lang), code) for code in code_list.active()]


def _lists_used() -> list[str]:
    """The code lists of single-valued coded columns (the ones with drop-downs)."""
    found: dict[str, None] = {}
    for entry in layout.sheets():
        for column in entry.columns:
            if column.list_id and column.kind == "code":
                found[column.list_id] = None
    return [*found, BOOLEAN_LIST]


def _note(column: Column, lang: str) -> Comment:
    others = [f"{code}: {column.header(code)}" for code in LANGUAGES if code != lang]
    lines = [f"{text('note.other_languages', lang)}:", *others]
    if column.description:
        lines += ["", column.description]
    if column.marked_required:
        lines.append(f"({text('required', lang)})")
    lines.append(f"{text('note.path', lang)}: {column.path}")
    note = Comment("\n".join(lines), "casestd")
    note.width, note.height = 320, 160
    return note


#: Column kinds whose input message is the text ``input.<kind>`` as it is.
_PLAIN_MESSAGES = frozenset(
    {"date", "partial_date", "datetime", "phone", "identifier", "texts", "reference", "key"}
)


def _input_message(column: Column, sheet: Sheet, lang: str) -> str | None:
    kind = column.kind
    message: str | None = None
    if kind in _PLAIN_MESSAGES:
        message = text(f"input.{kind}", lang)
    elif kind == "codes" and column.list_id:
        message = text("input.codes", lang, list=codes.get(column.list_id).title.get(lang, ""))
    elif kind == "parent" and sheet.parent:
        message = text("input.parent", lang, sheet=layout.sheet(sheet.parent).title(lang))
    if column.default is not None and column.list_id:
        label = codes.get(column.list_id).label(column.default, lang)
        default = text("input.default", lang, value=label)
        message = f"{message} {default}" if message else default
    return message[:255] if message else None


def _validation(column: Column, sheet: Sheet, lang: str, letter: str) -> DataValidation | None:
    cells = f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_ROW}"
    list_id = BOOLEAN_LIST if column.kind == "bool" else column.list_id
    message = _input_message(column, sheet, lang)
    if column.kind in ("code", "bool") and list_id:
        check = DataValidation(type="list", formula1=f"={range_name(list_id)}", allow_blank=True)
        check.error = text("input.codes", lang, list=list_id)[:225]
        check.errorStyle = "stop"
    elif column.kind == "date":
        check = DataValidation(
            type="date", operator="between", formula1="1", formula2="109574", allow_blank=True
        )  # 1 January 1900 to 31 December 2199
        check.error = text("input.date", lang)
        check.errorStyle = "stop"
    elif message:
        check = DataValidation(allow_blank=True)
    else:
        return None
    check.showErrorMessage = check.type is not None
    if message:
        check.prompt, check.showInputMessage = message, True
    check.add(cells)
    return check


def _width(column: Column, lang: str) -> float:
    base = float(layout.settings()["widths"].get(column.kind, 16))
    return max(base, min(40.0, len(column.header(lang)) * 1.1 + 2))


#: Width of the instructions column, in characters; rows are made tall enough to wrap.
_INSTRUCTIONS_WIDTH = 78


def _instructions(book: Workbook, options: Options, template: str) -> None:
    lang = options.lang
    sheet = book.create_sheet(text("sheet.instructions", lang))
    sheet.column_dimensions["A"].width = _INSTRUCTIONS_WIDTH
    sheet.sheet_properties.tabColor = "1F4E78"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    bold = Font(bold=True, size=12)
    wrap = Alignment(wrap_text=True, vertical="top")
    lines: list[tuple[str, Font | None]] = [
        (text("instructions.title", lang), Font(bold=True, size=16)),
        (text("instructions.standard", lang, version=STANDARD_VERSION, template=template), None),
    ]
    if options.district:
        district = codes.get("yerevan_district").label(options.district, lang)
        lines.append((text("instructions.district", lang, district=district), None))
    lines += [("", None), (text("instructions.sheets", lang), bold)]
    for entry in layout.sheets():
        lines.append((f"{entry.title(lang)}: {text(f'instructions.{entry.name}', lang)}", None))
    lines += [("", None), (text("instructions.how", lang), bold)]
    for key in ("required", "lists", "dates", "names", "phones", "columns"):
        lines.append(("• " + text(f"instructions.how.{key}", lang), None))
    lines += [("", None)]
    for key in ("import", "help", "privacy"):
        lines.append((text(f"instructions.{key}", lang), None))
    for number, (line, font) in enumerate(lines, start=1):
        size = (font.sz if font is not None and font.sz else 11) or 11
        wrapped = max(1, -(-len(line) * int(size) // (11 * (_INSTRUCTIONS_WIDTH - 8))))
        sheet.row_dimensions[number].height = wrapped * size * 1.45
    for line, font in lines:
        sheet.append([text_cell(sheet, line, font=font or Font(), alignment=wrap)])
    sheet.protection.sheet = True


def _codes_sheet(book: Workbook, lang: str) -> None:
    """The hidden sheet of drop-down choices: one block of rows per list, label in column C."""
    sheet = book.create_sheet(text("sheet.codes", lang))
    _declare_size(sheet, 3, 1 + sum(len(code_choices(i, lang)) for i in _lists_used()))
    sheet.sheet_state = "hidden"
    sheet.column_dimensions["C"].width = 40
    sheet.append(["list", "code", "label"])
    row = 2
    for list_id in _lists_used():
        choices = code_choices(list_id, lang)
        reference = f"{quote_sheetname(sheet.title)}!$C${row}:$C${row + len(choices) - 1}"
        book.defined_names[range_name(list_id)] = DefinedName(
            range_name(list_id), attr_text=reference
        )
        for label, code in choices:
            sheet.append([list_id, code, text_cell(sheet, label)])
        row += len(choices)
    sheet.protection.sheet = True


def _data_cell(sheet: Any, value: Any) -> Any:
    """A value as written: risky texts quote-prefixed, dates in the DD.MM.YYYY format."""
    if isinstance(value, str):
        return text_cell(sheet, value) if is_risky(value) else value
    if isinstance(value, dt.date):
        return text_cell(sheet, value, number_format=DATE_FORMAT)
    return value


def _declare_size(sheet: Any, columns: int, rows: int) -> None:
    """Write the sheet's ``<dimension>``, which streaming writers leave out.

    Without it, readers in streaming mode (openpyxl read-only) parse the whole
    sheet once more only to learn its size.
    """
    ref = f"A1:{get_column_letter(max(1, columns))}{max(1, rows)}"
    sheet.calculate_dimension = lambda: ref


def _data_sheet(book: Workbook, entry: Sheet, lang: str, rows: Iterable[Sequence[Any]]) -> None:
    sheet = book.create_sheet(entry.title(lang))
    if isinstance(rows, Sized):
        _declare_size(sheet, len(entry.columns), PATH_ROW + len(rows))
    sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
    for number, column in enumerate(entry.columns, start=1):
        letter = get_column_letter(number)
        dimension = sheet.column_dimensions[letter]
        dimension.width = _width(column, lang)
        dimension.hidden = column.hidden
        dimension.protection = _OPEN
        if column.kind in ("date", "partial_date"):
            dimension.number_format = DATE_FORMAT
        if column.kind in ("text", "texts", "identifier", "phone", "key", "parent", "reference"):
            dimension.number_format = "@"
        check = _validation(column, entry, lang, letter)
        if check is not None:
            sheet.data_validations.append(check)
    sheet.row_dimensions[PATH_ROW].hidden = True
    headers = []
    for column in entry.columns:
        label = column.header(lang) + (" *" if column.marked_required else "")
        headers.append(
            text_cell(
                sheet,
                label,
                font=Font(bold=True),
                fill=_REQUIRED_FILL if column.marked_required else _HEADER_FILL,
                alignment=Alignment(wrap_text=True, vertical="top"),
                protection=_LOCKED,
                comment=_note(column, lang),
            )
        )
    sheet.append(headers)
    sheet.append(
        [
            text_cell(sheet, column.path, font=_PATH_FONT, protection=_LOCKED)
            for column in entry.columns
        ]
    )
    for row in rows:
        sheet.append([_data_cell(sheet, value) for value in row])
    protection = sheet.protection
    protection.sheet = True
    for allowed in (
        "formatCells",
        "formatColumns",
        "formatRows",
        "insertRows",
        "deleteRows",
        "sort",
        "autoFilter",
    ):
        setattr(protection, allowed, False)


def _properties(book: Workbook, options: Options, template: str, workbook_id: str) -> None:
    book.properties.creator = "casestd"
    book.properties.title = text("instructions.title", options.lang)
    book.properties.subject = f"casestd {STANDARD_VERSION}"
    book.properties.keywords = template
    book.properties.created = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    values = {
        "standard_version": STANDARD_VERSION,
        "template_id": template,
        "layout_version": str(layout.settings()["layout_version"]),
        "workbook_id": workbook_id,
        "lang": options.lang,
        "district": options.district,
        "agency": options.default_agency,
    }
    for key, value in values.items():
        if value:
            prop = StringProperty(name=PROPERTY_PREFIX + key, value=value)
            book.custom_doc_props.append(prop)  # type: ignore[attr-defined]


RowSource = Mapping[str, Iterable[Sequence[Any]]]


def write(
    target: str | Path | IO[bytes],
    options: Options = Options(),
    rows: RowSource | None = None,
    *,
    workbook_id: str | None = None,
) -> str:
    """Write the workbook to ``target`` with ``rows`` per sheet name; returns its workbook id.

    ``rows`` maps a sheet name (``children``...) to its data rows, each a
    sequence of cell values in column order (see `casestd.workbook.exporter`).
    """
    book = Workbook(write_only=True)
    template = layout.template_id()
    identity = workbook_id or str(uuid.uuid4())
    _properties(book, options, template, identity)
    _instructions(book, options, template)
    for entry in layout.sheets():
        _data_sheet(book, entry, options.lang, (rows or {}).get(entry.name, ()))
    _codes_sheet(book, options.lang)
    book.save(target)
    return identity


def template(
    target: str | Path | IO[bytes],
    *,
    lang: str = "hy",
    district: str | None = None,
    agency: str | None = None,
) -> str:
    """Write an empty registration workbook to ``target``; returns its workbook id.

    ``lang`` is the language of headers, drop-downs and instructions (``hy``,
    ``ru`` or ``en``); ``district`` the district office it is for (a code of
    ``yerevan_district``), which also gives the default agency unless
    ``agency`` is given.
    """
    return write(target, Options(lang, district, agency))
