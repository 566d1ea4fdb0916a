"""Read one cell back into a field value: labels to codes, dates, phones, lists.

`read_cell` turns what an officer typed (or what casestd wrote) into the
value the model expects, and nothing more: a code or a label in any of the
three languages becomes its code (`CodeList.lookup`); an Excel date, or a
text ``DD.MM.YYYY``, ``D.M.YYYY`` or ISO date, becomes an ISO date; a phone
as written in Armenia becomes E.164; a ``;``-separated cell becomes a list;
text is put in Unicode NFC form with its spaces collapsed. A cell that cannot
be read as its kind is passed on as it was, so that validation reports it at
its field (without its value); nothing is guessed.

>>> from casestd.workbook.layout import sheet
>>> children = sheet("children")
>>> read_cell(children.column("sex"), "  Արական ")
'male'
>>> read_cell(children.column("registration_date"), "5.3.2024")
'2024-03-05'
>>> read_cell(children.column("birth_date.value"), "03.2012")
'2012-03'
>>> read_cell(children.column("citizenships"), "Հայաստան; RU")
['AM', 'RU']
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from casestd import codes
from casestd.normalise import name, partial_date, phone
from casestd.workbook.layout import Column, strings

_INTEGER = re.compile(r"^[+-]?\d[\d\s\u00a0\u202f]*$")
_NUMBER = re.compile(r"^[+-]?\d[\d\s\u00a0\u202f]*([.,]\d+)?$")


def clean_text(value: str) -> str:
    """NFC form, spaces (of any kind) collapsed, ends trimmed; line breaks kept.

    >>> clean_text("  Ani\\u00a0 Petrosyan ")
    'Ani Petrosyan'
    """
    lines = value.replace("\r\n", "\n").split("\n")
    return "\n".join(name.compact(line) for line in lines).strip()


def is_empty(value: Any) -> bool:
    """True for a cell that holds nothing (None, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates as ISO."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return clean_text(str(value))


def _iso_date(text: str, *, partial: bool) -> str:
    """The ISO text of a date written as `casestd.normalise.partial_date` reads it (a full
    date unless ``partial``), else ``text`` as it was."""
    try:
        value = partial_date.validate(text)
    except ValueError:
        return text
    return value if partial or len(value) == len("YYYY-MM-DD") else text


def read_date(value: Any) -> Any:
    """An Excel date, or ``DD.MM.YYYY``, ``D.M.YYYY``, ``DD/MM/YYYY`` or ISO text, as ISO."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return _iso_date(clean_text(value), partial=False)
    return value


def read_partial_date(value: Any) -> Any:
    """A date as `read_date`, or a year (``2012``) or month (``03.2012``, ``2012-03``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value)
    if isinstance(value, str):
        return _iso_date(clean_text(value), partial=True)
    return read_date(value)


def _boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = as_text(value).casefold()
    for key, answer in (("yes", True), ("no", False)):
        if text in {label.casefold() for label in strings()[key].values()}:
            return answer
    if text in ("true", "false"):
        return text == "true"
    return as_text(value)


def _code(list_id: str, value: Any) -> Any:
    text = as_text(value)
    found = codes.get(list_id).lookup(text)
    return found if found is not None else text


def split_values(value: Any, separator: str | None = ";") -> list[str]:
    """The values of a multi-valued cell: ``;``-separated (spaces for ODK's select_multiple)."""
    text = as_text(value)
    parts = text.split(separator) if separator else text.split()
    return [part.strip() for part in parts if part.strip()]


def _integer(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return int(re.sub(r"[\s\u00a0\u202f]", "", value))
    return value


def _number(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else as_text(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", "."))
    return value


def read_phone(value: Any) -> str:
    """A phone as written in Armenia (``091 234567``, ``+374 91 234567``) as E.164.

    A number the numbering plan does not know is passed on as written, for
    validation to report.

    >>> read_phone("091 23 45 67"), read_phone(91234567)
    ('+37491234567', '+37491234567')
    """
    text = as_text(value)
    if isinstance(value, int | float) and not text.startswith("0"):
        text = "0" + text  # a number cell lost the trunk prefix 0
    try:
        return phone.validate(text)
    except ValueError:
        return text


def _timestamp(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else as_text(value)


#: How a cell of each kind is read (codes aside; other kinds are read as text).
_READERS: dict[str, Callable[[Any], Any]] = {
    "texts": split_values,
    "bool": _boolean,
    "int": _integer,
    "number": _number,
    "date": read_date,
    "partial_date": read_partial_date,
    "datetime": _timestamp,
    "phone": read_phone,
}


def read_cell(column: Column, value: Any, *, separator: str | None = ";") -> Any:
    """The field value of a non-empty cell of ``column``.

    ``separator`` splits multi-valued cells (``None``: split on spaces, as
    ODK writes select_multiple answers).
    """
    kind = column.kind
    if kind in ("code", "codes") and column.list_id:
        list_id = column.list_id
        if kind == "codes":
            return [_code(list_id, part) for part in split_values(value, separator)]
        return _code(list_id, value)
    reader = _READERS.get(kind)
    return as_text(value) if reader is None else reader(value)
