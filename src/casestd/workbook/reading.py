"""Open a workbook (or a KoboToolbox/ODK CSV export) and map its columns to fields.

A sheet is found by its title in any of the three languages. Its columns are
mapped through the hidden path row (row 2) that casestd writes, so columns
may be moved, hidden or renamed; where that row is gone, by the header in
any language (the ``*`` of required columns ignored), or by the XLSForm name
of the field (what KoboToolbox and ODK export). Columns that map to nothing
are reported by their header. Sheets are read in streaming mode (openpyxl
read-only), one row at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from casestd.codes.codelist import fold
from casestd.workbook import layout
from casestd.workbook.layout import LANGUAGES, Column, Sheet
from casestd.workbook.safety import require_defusedxml
from casestd.workbook.writer import PROPERTY_PREFIX

#: Largest CSV file read, and largest number of columns a sheet may have.
MAX_CSV_BYTES = 512 * 1024 * 1024
MAX_COLUMNS = 2000
_REQUIRED_MARK = "*"


def xlsform_name(path: str) -> str:
    """The XLSForm question name of a column path (``names.0.given`` -> ``names_0_given``).

    >>> xlsform_name("birth_date.value"), xlsform_name("#key")
    ('birth_date_value', 'row_key')
    """
    if path == layout.KEY:
        return "row_key"
    if path == layout.PARENT:
        return "parent_key"
    return path.replace(".", "_")


#: Columns KoboToolbox and ODK Central add to an export that hold no field (skipped quietly).
EXPORT_METADATA = frozenset(
    {"start", "end", "today", "deviceid", "__version__", "instanceid", "instancename"}
)
#: The export column that holds the submission's UUID: the record id when the form has none.
SUBMISSION_ID = "_uuid"


def _export_metadata(name: str) -> bool:
    name = name.strip().rsplit("/", 1)[-1]
    return (name.startswith("_") and name != SUBMISSION_ID) or name.lower() in EXPORT_METADATA


def _header_key(text: str) -> str:
    text = text.strip()
    if text.endswith(_REQUIRED_MARK):
        text = text[: -len(_REQUIRED_MARK)]
    return fold(text)


@attrs.frozen
class Mapping:
    """How the columns of one sheet map to fields.

    ``columns`` maps a 0-based column index to its `Column`; ``unmapped``
    lists the headers (or paths) of columns that map to nothing; ``by``
    says how the columns were found (``paths``, ``headers`` or ``names``);
    ``first_row`` is the first data row (1-based).
    """

    columns: dict[int, Column]
    unmapped: tuple[str, ...]
    by: str
    first_row: int
    headers: dict[int, str]


def _by_paths(entry: Sheet, paths: list[Any]) -> dict[int, Column]:
    known = entry.paths
    return {
        index: known[value]
        for index, value in enumerate(paths)
        if isinstance(value, str) and value.strip() in known
    }


def _by_headers(entry: Sheet, headers: list[Any]) -> tuple[dict[int, Column], str]:
    """Map headers in any language or XLSForm names; returns the mapping and how."""
    index_of: dict[str, Column] = {}
    names: dict[str, Column] = {}
    for column in entry.columns:
        for lang in LANGUAGES:
            index_of.setdefault(_header_key(column.header(lang)), column)
        names[xlsform_name(column.path)] = column
        names[column.path] = column
        if column.path == "id":
            names[SUBMISSION_ID] = column
    found: dict[int, Column] = {}
    by_name = 0
    for index, value in enumerate(headers):
        if not isinstance(value, str) or not value.strip() or _export_metadata(value):
            continue
        text = value.strip().rsplit("/", 1)[-1]  # KoboToolbox: group/question
        match = names.get(text) or index_of.get(_header_key(value))
        by_name += text in names
        if match is not None:
            found[index] = match
    return found, "names" if by_name > len(found) / 2 else "headers"


def map_columns(entry: Sheet, headers: list[Any], second: list[Any]) -> Mapping:
    """Map a sheet's columns from its first two rows (headers and, maybe, paths)."""
    by_path = _by_paths(entry, second)
    if by_path:
        found, by, first_row = by_path, "paths", 3
        # a column whose path cell was cleared is still found by its header
        extra, _ = _by_headers(entry, headers)
        for index, column in extra.items():
            if index not in found and column not in found.values():
                found[index] = column
    else:
        found, by = _by_headers(entry, headers)
        first_row = 2
    seen: set[str] = set()
    unique: dict[int, Column] = {}
    for index in sorted(found):
        if found[index].path not in seen:
            seen.add(found[index].path)
            unique[index] = found[index]
    header_text = {
        index: str(value).strip()
        for index, value in enumerate(headers)
        if value is not None and str(value).strip()
    }
    unmapped = tuple(
        header_text.get(index) or str(second[index])
        for index in range(max(len(headers), len(second)))
        if index not in unique
        and (header_text.get(index) or (index < len(second) and second[index] is not None))
        and not _export_metadata(header_text.get(index, ""))
    )
    return Mapping(unique, unmapped, by, first_row, header_text)


@attrs.frozen
class Info:
    """What a workbook says about itself (its custom document properties)."""

    template_id: str | None = None
    standard_version: str | None = None
    workbook_id: str | None = None
    lang: str | None = None
    district: str | None = None
    agency: str | None = None
    modified: dt.datetime | None = None


class Cell:
    """One cell as read, with openpyxl's read-only cells' two attributes.

    ``data_type`` is ``"f"`` for a formula; the rows of workbooks are
    openpyxl's own cells, those of CSV files cells of this class.
    """

    __slots__ = ("data_type", "value")

    def __init__(self, value: Any, data_type: str = "s") -> None:
        self.value = value
        self.data_type = data_type

    def __repr__(self) -> str:
        return f"Cell(data_type={self.data_type!r})"


class Source:
    """A workbook or CSV file opened for reading, sheet by sheet."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.csv = self.path.suffix.lower() == ".csv"
        self.book: Any = None
        if not self.csv:
            require_defusedxml()
            self.book = load_workbook(
                self.path, read_only=True, data_only=False, keep_vba=False, keep_links=False
            )

    def close(self) -> None:
        """Release the file."""
        if self.book is not None:
            self.book.close()

    def info(self) -> Info:
        """The casestd properties of the workbook (empty for CSV and foreign files)."""
        if self.book is None:
            return Info()
        values: dict[str, str] = {}
        for prop in self.book.custom_doc_props.props:
            name = getattr(prop, "name", "") or ""
            if name.startswith(PROPERTY_PREFIX) and isinstance(prop.value, str):
                values[name[len(PROPERTY_PREFIX) :]] = prop.value
        fields = {field.name for field in attrs.fields(Info)}
        modified = self.book.properties.modified or self.book.properties.created
        return Info(
            **{key: value for key, value in values.items() if key in fields},
            modified=modified,
        )

    def titles(self) -> list[str]:
        """The titles of the sheets (one, named after the file, for CSV)."""
        if self.book is None:
            return [self.path.stem]
        return list(self.book.sheetnames)

    def rows(self, title: str) -> Iterator[tuple[int, Sequence[Cell]]]:
        """(1-based row number, cells) of each row of the sheet, streamed.

        Each cell has ``value`` and ``data_type`` (``"f"`` for a formula).
        """
        if self.book is None:
            yield from self._csv_rows()
            return
        sheet = self.book[title]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # trust the rows, not a stale dimension tag
        for number, row in enumerate(sheet.iter_rows(), start=1):
            yield number, row[:MAX_COLUMNS]

    def _csv_rows(self) -> Iterator[tuple[int, list[Cell]]]:
        with self.path.open("rb") as stream:
            data = stream.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            raise ValueError("input.too_large")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("input.encoding") from None
        sample = text[:65536]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            yield number, [Cell(value if value != "" else None) for value in row[:MAX_COLUMNS]]


def sheet_for(title: str) -> Sheet | None:
    """The data sheet whose title, in any language, or machine name is ``title``."""
    key = fold(title)
    for entry in layout.sheets():
        if key == fold(entry.name) or key in {fold(t) for t in entry.titles().values()}:
            return entry
    return None


def sheet_by_columns(headers: list[Any], second: list[Any]) -> Sheet | None:
    """The data sheet whose paths or XLSForm names most of these columns are (for exports)."""
    best, score = None, 0
    for entry in layout.sheets():
        mapped = max(len(_by_paths(entry, second)), len(_by_headers(entry, headers)[0]))
        if mapped > score:
            best, score = entry, mapped
    return best if score >= 2 else None


def cell_ref(title: str, row: int, index: int) -> str:
    """``Sheet!F12`` for the 0-based column ``index`` of ``row``; quoted when needed."""
    name = f"'{title}'" if any(ch in title for ch in " !'-") else title
    return f"{name}!{get_column_letter(index + 1)}{row}"


def describe(path: str | Path) -> Info:
    """What the file at ``path`` says about itself; an empty `Info` when it cannot be read."""
    from casestd.workbook.safety import check_file

    if Path(path).suffix.lower() != ".csv" and check_file(path) is not None:
        return Info()
    try:
        source = Source(path)
    except Exception:  # the import itself reports why the file cannot be read
        return Info()
    try:
        return source.info()
    except Exception:  # a broken properties part: the file has no casestd properties
        return Info()
    finally:
        source.close()
