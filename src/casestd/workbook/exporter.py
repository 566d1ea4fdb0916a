"""Write typed records into the registration workbook, in the template's layout.

`export` puts children, families (their members on the members sheet) and
services into one workbook that an office can edit and `casestd.workbook.read`
reads back to equal records. Codes are written as labels in the workbook's
language, unless a label would read back as another code (then the code);
full dates as Excel dates, partial ones as ``MM.YYYY`` or ``YYYY``; texts a
spreadsheet would take for formulas as quote-prefixed text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
from pydantic import BaseModel

from casestd import codes
from casestd.model import ENTITIES
from casestd.workbook import layout
from casestd.workbook.layout import KEY, PARENT, Column, Sheet, text
from casestd.workbook.writer import BOOLEAN_LIST, Options, write

#: The sheet that holds each entity's records (members go with their family).
SHEET_OF = {entry.entity: entry.name for entry in layout.sheets() if entry.part is None}
SEPARATOR = "; "


class ExportError(ValueError):
    """A record that does not fit the workbook; the message names fields, never values."""


def entities() -> tuple[str, ...]:
    """The entities the workbook holds."""
    return tuple(SHEET_OF)


def code_text(list_id: str, code: str, lang: str) -> str:
    """The label of ``code`` in ``lang``, or the code where the label would not read back.

    >>> code_text("sex", "female", "hy")
    'Իգական'
    """
    if list_id == BOOLEAN_LIST:
        return text("yes" if code == "true" else "no", lang)
    code_list = codes.get(list_id)
    label = code_list.label(code, lang)
    if ";" in label or code_list.lookup(label) != code:
        return code
    return label


def partial_date_cell(value: str) -> dt.date | str:
    """A partial date as written in the sheet: a date, ``MM.YYYY`` or ``YYYY``.

    >>> partial_date_cell("2012-05"), partial_date_cell("2012-05-03")
    ('05.2012', datetime.date(2012, 5, 3))
    """
    parts = value.split("-")
    if len(parts) == 3:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return f"{parts[1]}.{parts[0]}"
    return value


def _joined(items: Iterable[str], path: str) -> str:
    values = list(items)
    if any(";" in item for item in values):
        raise ExportError(f"{path}: a value holds ';', which separates values in a cell")
    return SEPARATOR.join(values)


def cell_value(column: Column, value: Any, lang: str) -> Any:
    """The value a cell of ``column`` holds for a field value (None: empty)."""
    if value is None or (isinstance(value, list) and not value):
        return None
    kind = column.kind
    if kind == "code":
        assert column.list_id is not None
        return code_text(column.list_id, value, lang)
    if kind == "codes":
        assert column.list_id is not None
        list_id = column.list_id
        return _joined((code_text(list_id, code, lang) for code in value), column.path)
    if kind == "texts":
        return _joined(value, column.path)
    if kind == "bool":
        return code_text(BOOLEAN_LIST, "true" if value else "false", lang)
    if kind == "partial_date":
        return partial_date_cell(value)
    if kind == "datetime":
        return value.isoformat()
    if kind in ("int", "number", "date"):
        return value
    return str(value)


def _get(data: Any, parts: Sequence[str]) -> Any:
    for part in parts:
        if data is None:
            return None
        if isinstance(data, list):
            index = int(part)
            data = data[index] if index < len(data) else None
        else:
            data = data.get(part)
    return data


def _check_fits(entry: Sheet, data: dict[str, Any]) -> None:
    counts: dict[str, int] = {}
    for column in entry.columns:
        if column.group is not None:
            name, number = column.group
            counts[name] = max(counts.get(name, 0), number + 1)
    for name, count in counts.items():
        found = _get(data, name.split("."))
        if isinstance(found, list) and len(found) > count:
            raise ExportError(f"{name}: {len(found)} entries; the sheet holds {count}")


@attrs.define
class _Writer:
    """Turns records into rows of each sheet, numbering rows as their No."""

    lang: str
    rows: dict[str, list[list[Any]]] = attrs.field(factory=dict)
    _sheets: dict[str, Any] = attrs.field(factory=dict)

    def row(self, entry: Sheet, data: dict[str, Any], key: str, parent: str | None) -> list[Any]:
        _check_fits(entry, data)
        values: list[Any] = []
        for column in entry.columns:
            if column.path == KEY:
                values.append(key)
            elif column.path == PARENT:
                values.append(parent)
            else:
                values.append(cell_value(column, _get(data, column.path.split(".")), self.lang))
        return values

    def add(self, record: BaseModel) -> None:
        entity = _entity_of(record)
        name = SHEET_OF[entity]
        entry = layout.sheet(name)
        data = record.model_dump(mode="python", exclude_none=True)
        rows = self.rows.setdefault(name, [])
        key = str(len(rows) + 1)
        members = []
        for part in (p for p in layout.sheets() if p.parent == name and p.part):
            for item in data.get(part.part or "", []):
                members.append((part, item))
        rows.append(self.row(entry, data, key, None))
        for part, item in members:
            part_rows = self.rows.setdefault(part.name, [])
            part_rows.append(self.row(part, item, str(len(part_rows) + 1), key))


def _entity_of(record: BaseModel) -> str:
    for name, model in ENTITIES.items():
        if type(record) is model:
            if name not in SHEET_OF:
                raise ExportError(f"the workbook does not hold {name} records")
            return name
    raise ExportError("not a casestd record")


def rows_of(records: Iterable[BaseModel], lang: str) -> dict[str, list[list[Any]]]:
    """The cell values of each sheet for ``records``; `ExportError` for one that does not fit."""
    writer = _Writer(lang)
    for record in records:
        writer.add(record)
    return writer.rows


def export(
    records: Iterable[BaseModel],
    target: str | Path | IO[bytes],
    *,
    lang: str = "hy",
    district: str | None = None,
    agency: str | None = None,
) -> str:
    """Write ``records`` (children, families, services) into a workbook at ``target``.

    Returns the workbook id. Raises `ExportError` for a record the workbook
    cannot hold (another entity, or more names, identifiers... than its
    column groups), naming the field but never its value.
    """
    options = Options(lang, district, agency)
    found = rows_of(records, lang)
    return write(target, options, found)
