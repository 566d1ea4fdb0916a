"""Read filled registration workbooks back into validated records.

`iter_read` streams one `RowResult` per record (a child, a family with the
member rows that name it, a service), each validated by `casestd.validate`;
its findings carry the cell (``Children!F12``) and the column's header beside
the field path, never the cell's value. `read` collects them.

What casestd fills in when a cell is empty, and nothing else: the record id
(derived from the workbook id, the sheet and the row's No., so importing the
same workbook twice gives the same ids), the standard version and source
system, the creation time (the workbook's last save), and the agency and
district the template was made for.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from casestd import validate
from casestd.io.location import Location
from casestd.report import Finding
from casestd.rules.engine import RuleContext, default_context
from casestd.version import STANDARD_VERSION
from casestd.workbook import layout
from casestd.workbook.cells import as_text, read_cell
from casestd.workbook.layout import KEY, PARENT, Column, Sheet
from casestd.workbook.reading import (
    Cell,
    Info,
    Mapping,
    Source,
    cell_ref,
    map_columns,
    sheet_by_columns,
    sheet_for,
)
from casestd.workbook.results import (
    CellFinding,
    CellLocation,
    RowResult,
    finding,
    noting_no_rows,
)
from casestd.workbook.safety import check_file, has_macros

#: Rows read per sheet at most; beyond, one finding says how many were left.
MAX_ROWS = 1_048_576
SOURCE_SYSTEM = "casestd-workbook"
_NAMESPACE = uuid.UUID("5b0d3f0e-7c1a-4d8e-9a53-2f6c1e0b9d47")


@attrs.define
class _Row:
    """A data row being turned into a record."""

    number: int
    data: dict[str, Any]
    key: str | None
    parent: str | None
    cells: dict[str, int]  # column path -> 0-based column index
    groups: dict[str, list[int]]  # list path -> group number of each list item
    early: list[tuple[str, int | None, Finding]]  # (field path, column, finding)


def _set(data: dict[str, Any], parts: Sequence[str], value: Any) -> None:
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def _listify(data: dict[str, Any], groups: dict[str, list[int]], prefix: str = "") -> Any:
    """Group dicts ``{"0": {...}, "2": {...}}`` to lists, recording which group each item is."""
    for key, value in list(data.items()):
        if not isinstance(value, dict):
            continue
        if value and all(part.isdigit() for part in value):
            numbers = sorted(value, key=int)
            groups[prefix + key] = [int(number) for number in numbers]
            data[key] = [_listify(value[n], groups, f"{prefix}{key}.{n}.") for n in numbers]
        else:
            _listify(value, groups, f"{prefix}{key}.")
    return data


@attrs.define
class _SheetReader:
    """Reads the rows of one data sheet of one file."""

    file: str
    title: str
    entry: Sheet
    mapping: Mapping
    lang: str
    #: (column index, column, path parts) of each mapped column, in order
    plan: list[tuple[int, Column, list[str]]] = attrs.field(init=False)
    #: (group path parts, field, code) of each group default (names.0.script: armn)
    defaults: list[tuple[list[str], str, str]] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.plan = [
            (index, column, column.path.split("."))
            for index, column in sorted(self.mapping.columns.items())
        ]
        self.defaults = [
            (f"{c.group[0]}.{c.group[1]}".split("."), c.path.rsplit(".", 1)[1], c.default)
            for c in self.entry.columns
            if c.default is not None and c.group is not None
        ]

    def ref(self, row: int, index: int | None) -> str:
        return cell_ref(self.title, row, index if index is not None else 0)

    def header(self, index: int | None, column: Column | None) -> str | None:
        if index is not None and index in self.mapping.headers:
            return self.mapping.headers[index]
        return column.header(self.lang) if column is not None else None

    def row(self, number: int, cells: Sequence[Cell]) -> _Row | None:
        data: dict[str, Any] = {}
        found = _Row(number, data, None, None, {}, {}, [])
        filled = False
        count = len(cells)
        separator = None if self.mapping.by == "names" else ";"
        for index, column, parts in self.plan:
            if index >= count:
                break
            cell = cells[index]
            value = cell.value
            if value is None or (value.__class__ is str and not value.strip()):
                continue
            filled = True
            found.cells[column.path] = index
            if cell.data_type == "f":
                path = _pointer(column.path)
                found.early.append((path, index, finding("workbook.formula", self.lang, path=path)))
                continue
            if column.path == KEY:
                found.key = as_text(cell.value)
            elif column.path == PARENT:
                found.parent = as_text(cell.value)
            elif column.kind == "reference":
                _set(data, parts, as_text(value))
            else:
                _set(data, parts, read_cell(column, value, separator=separator))
        if not filled:
            return None
        for group_parts, name, default in self.defaults:
            group: Any = data
            for part in group_parts:
                group = group.get(part) if isinstance(group, dict) else None
            if isinstance(group, dict) and group and name not in group:
                group[name] = default
        _listify(data, found.groups)
        return found


def _pointer(path: str) -> str:
    return "/" + path.replace(".", "/") if path and not path.startswith("#") else ""


def _column_for(
    pointer: str, row: _Row, entry: Sheet, mapping: Mapping
) -> tuple[int | None, Column | None]:
    """The column a finding's JSON Pointer points at, undoing the compaction of groups."""
    parts = [part for part in pointer.split("/") if part]
    path_parts: list[str] = []
    prefix = ""
    for part in parts:
        if part.isdigit() and prefix.rstrip(".") in row.groups:
            numbers = row.groups[prefix.rstrip(".")]
            part = str(numbers[int(part)]) if int(part) < len(numbers) else part
        path_parts.append(part)
        prefix += part + "."
    path = ".".join(path_parts)
    by_path = {column.path: index for index, column in mapping.columns.items()}
    for candidate in (path, *(c.path for c in entry.columns if c.path.startswith(path + "."))):
        if candidate in by_path:
            return by_path[candidate], mapping.columns[by_path[candidate]]
    known = entry.paths.get(path) or next(
        (c for c in entry.columns if c.path.startswith(path + ".")), None
    )
    return None, known


@attrs.define
class _FileReader:
    """Reads one file: its sheets in dependency order, keys, references, records."""

    path: str
    lang: str
    context: RuleContext
    source: Source
    info: Info
    identity: str
    keys: dict[str, dict[str, str]] = attrs.field(factory=dict)  # sheet -> key -> id
    notes: list[CellFinding] = attrs.field(factory=list)

    def record_id(self, sheet: str, row: _Row) -> str:
        name = row.key if row.key is not None else f"row {row.number}"
        return str(uuid.uuid5(_NAMESPACE, f"{self.identity}/{sheet}/{name}"))

    @functools.cached_property
    def created(self) -> str:
        """When the rows were written: the workbook's last save (or the file's time)."""
        modified = self.info.modified or dt.datetime.fromtimestamp(
            Path(self.path).stat().st_mtime, dt.UTC
        )
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=dt.UTC)
        return modified.replace(microsecond=0).isoformat()

    def fill(self, sheet: Sheet, row: _Row) -> None:
        data = row.data
        data.setdefault("id", self.record_id(sheet.name, row))
        meta = data.setdefault("meta", {})
        meta.setdefault("standard_version", self.info.standard_version or STANDARD_VERSION)
        meta.setdefault("source_system", SOURCE_SYSTEM)
        meta.setdefault("created", self.created)
        if self.info.agency:
            meta.setdefault("agency", self.info.agency)
        if self.info.district:
            meta.setdefault("district", self.info.district)

    def resolve(self, reader: _SheetReader, row: _Row) -> None:
        """Turn the references of a row (a No. of another sheet, or a UUID) into record ids."""
        for column in reader.entry.columns:
            if column.kind != "reference" or column.path not in row.cells:
                continue
            parts = column.path.split(".")
            holder: Any = row.data
            for part in parts[:-1]:
                holder = holder.get(part) if isinstance(holder, dict) else None
            if not isinstance(holder, dict) or parts[-1] not in holder:
                continue
            text = holder[parts[-1]]
            try:
                holder[parts[-1]] = str(uuid.UUID(text))
                continue
            except ValueError:
                pass
            matches = [self.keys[t][text] for t in column.targets if text in self.keys.get(t, {})]
            del holder[parts[-1]]
            rule = (
                "workbook.reference_ambiguous" if len(matches) > 1 else "workbook.reference_unknown"
            )
            if len(matches) == 1:
                holder[parts[-1]] = matches[0]
                continue
            pointer = _pointer(column.path)
            index = row.cells[column.path]
            row.early.append((pointer, index, finding(rule, self.lang, path=pointer)))

    def sheet_rows(
        self, reader: _SheetReader, rows: Iterator[tuple[int, Sequence[Cell]]]
    ) -> Iterator[_Row]:
        seen: set[str] = set()
        count = 0
        for number, cells in rows:
            if number < reader.mapping.first_row:
                continue
            found = reader.row(number, cells)
            if found is None:
                continue
            count += 1
            if count > MAX_ROWS:
                self.notes.append(
                    CellFinding(
                        finding("workbook.too_many_rows", self.lang, limit=MAX_ROWS),
                        reader.ref(number, None),
                    )
                )
                return
            if found.key is not None:
                if found.key in seen:
                    index = found.cells.get(KEY)
                    found.early.append(("", index, finding("workbook.key_duplicate", self.lang)))
                seen.add(found.key)
            yield found

    def result(
        self, reader: _SheetReader, row: _Row, members: Sequence[tuple[_SheetReader, _Row]] = ()
    ) -> RowResult:
        entity = reader.entry.entity
        report = validate(entity, row.data, lang=self.lang, context=self.context)
        located: list[CellFinding] = []
        early_paths = {path for path, _, _ in row.early}
        for owner, item in [(reader, row), *members]:
            for _, index, early in item.early:
                column = owner.mapping.columns.get(index) if index is not None else None
                located.append(
                    CellFinding(early, owner.ref(item.number, index), owner.header(index, column))
                )
        for found in report.findings:
            if found.path in early_paths:
                continue
            owner, item, pointer = reader, row, found.path
            parts = found.path.split("/")
            if members and len(parts) > 2 and parts[1] == _part_of(reader.entry):
                position = int(parts[2]) if parts[2].isdigit() else -1
                if 0 <= position < len(members):
                    owner, item = members[position]
                    pointer = "/" + "/".join(parts[3:])
            index, column = _column_for(pointer, item, owner.entry, owner.mapping)
            located.append(
                CellFinding(found, owner.ref(item.number, index), owner.header(index, column))
            )
        ok = not any(f.finding.severity == "error" for f in located)
        return RowResult(
            location=CellLocation(self.path, reader.title, f"A{row.number}"),
            entity=entity,
            findings=tuple(located),
            record=report.record if ok else None,
            sheet=reader.title,
            row=row.number,
            parts_sheet=members[0][0].title if members else None,
            parts=tuple(item.number for _, item in members),
        )


def _part_of(entry: Sheet) -> str | None:
    """The field of ``entry``'s entity whose items are the rows of another sheet (members)."""
    return next((p.part for p in layout.sheets() if p.parent == entry.name), None)


def _order(found: dict[str, tuple[str, Sheet, Mapping]]) -> list[str]:
    """Sheet names in an order where every sheet comes after the sheets it refers to."""
    names = list(found)
    done: list[str] = []

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done or name in trail or name not in found:
            return
        entry = found[name][1]
        for column in entry.columns:
            for target in column.targets:
                if target != name:
                    visit(target, (*trail, name))
        done.append(name)

    for name in names:
        visit(name, ())
    return done


def _file_identity(path: Path, info: Info) -> str:
    if info.workbook_id:
        return info.workbook_id
    stat = path.stat()
    return f"{path.name}:{stat.st_size}"


def _unreadable(path: str, rule: str, lang: str, **params: Any) -> RowResult:
    return RowResult(Location(path), None, (CellFinding(finding(rule, lang, **params), ""),))


def _sheets(source: Source, lang: str) -> dict[str, tuple[str, Sheet, Mapping]]:
    found: dict[str, tuple[str, Sheet, Mapping]] = {}
    for title in source.titles():
        rows = source.rows(title)
        first = [cell.value for cell in next(rows, (0, []))[1]]
        second = [cell.value for cell in next(rows, (0, []))[1]]
        entry = sheet_for(title) or sheet_by_columns(first, second)
        if entry is None or entry.name in found:
            continue
        found[entry.name] = (title, entry, map_columns(entry, first, second))
    return found


def iter_read(
    path: str | Path,
    *,
    lang: str = "en",
    context: RuleContext | None = None,
    on_info: Callable[[Info], None] | None = None,
) -> Iterator[RowResult]:
    """One `RowResult` per record of the workbook (or CSV export) at ``path``, streamed.

    A file that cannot be read gives one result with an ``input.*`` finding.
    Families are held until their members are read; children and services
    are validated and yielded row by row. ``on_info`` is called with what
    the workbook says about itself (template, standard version, district)
    once it is open.
    """
    name = str(path)
    problem = None if Path(path).suffix.lower() == ".csv" else check_file(path)
    if problem is not None:
        yield _unreadable(name, problem, lang)
        return
    try:
        source = Source(path)
    except Exception:  # openpyxl raises many kinds for broken parts
        yield _unreadable(name, "input.corrupt", lang)
        return
    try:
        if on_info is not None:
            on_info(source.info())
        yield from _read_source(name, source, lang, context or default_context())
    except ValueError as error:
        rule = str(error) if str(error).startswith("input.") else "input.corrupt"
        yield _unreadable(name, rule, lang, limit=512)
    except (KeyError, OSError, EOFError):
        yield _unreadable(name, "input.corrupt", lang)
    finally:
        source.close()


def _read_source(name: str, source: Source, lang: str, context: RuleContext) -> Iterator[RowResult]:
    info = source.info()
    reader = _FileReader(name, lang, context, source, info, _file_identity(source.path, info))
    found = _sheets(source, lang)
    if not found:
        yield _unreadable(name, "workbook.no_sheets", lang)
        return
    header = []
    if not source.csv and has_macros(source.path):
        header.append(CellFinding(finding("workbook.macros_ignored", lang, "warning"), ""))
    for title, _, mapping in found.values():
        for column in mapping.unmapped:
            header.append(
                CellFinding(
                    finding(
                        "workbook.column_unmapped", lang, "warning", column=column, sheet=title
                    ),
                    f"{title}!1",
                )
            )
    if header:
        yield RowResult(Location(name), None, tuple(header))
    yield from noting_no_rows(name, lang, _records(name, source, reader, found, lang))


def _records(
    name: str,
    source: Source,
    reader: _FileReader,
    found: dict[str, tuple[str, Sheet, Mapping]],
    lang: str,
) -> Iterator[RowResult]:
    """The results of the rows of every sheet ``found``, families once their members are read."""
    parents: dict[str, dict[str, tuple[_SheetReader, _Row, list[tuple[_SheetReader, _Row]]]]] = {}
    for sheet_name in _order(found):
        title, entry, mapping = found[sheet_name]
        sheet_reader = _SheetReader(name, title, entry, mapping, lang)
        keys = reader.keys.setdefault(sheet_name, {})
        is_parent = any(other.parent == sheet_name for _, other, _ in found.values())
        for row in reader.sheet_rows(sheet_reader, source.rows(title)):
            if entry.part is None:
                reader.fill(entry, row)
                if row.key is not None:
                    keys.setdefault(row.key, str(row.data["id"]))
            reader.resolve(sheet_reader, row)
            if entry.part is not None:
                group = parents.get(entry.parent or "", {}).get(row.parent or "")
                if group is None:
                    index = row.cells.get(PARENT)
                    parent_title = found.get(entry.parent or "", (entry.parent or "",))[0]
                    problem = finding("workbook.parent_unknown", lang, sheet=parent_title)
                    parent_column = mapping.columns.get(index) if index is not None else None
                    yield RowResult(
                        CellLocation(name, title, f"A{row.number}"),
                        entry.entity,
                        (
                            CellFinding(
                                problem,
                                sheet_reader.ref(row.number, index),
                                sheet_reader.header(index, parent_column),
                            ),
                        ),
                        sheet=title,
                        row=row.number,
                    )
                    continue
                group[2].append((sheet_reader, row))
            elif is_parent:
                parents.setdefault(sheet_name, {})[row.key or f"#{row.number}"] = (
                    sheet_reader,
                    row,
                    [],
                )
            else:
                yield reader.result(sheet_reader, row)
        if entry.part is not None and entry.parent in parents:
            yield from _families(reader, parents.pop(entry.parent))
    for groups in parents.values():
        yield from _families(reader, groups)
    yield from (RowResult(Location(name), None, (note,)) for note in reader.notes)


def _families(
    reader: _FileReader,
    groups: dict[str, tuple[_SheetReader, _Row, list[tuple[_SheetReader, _Row]]]],
) -> Iterator[RowResult]:
    for sheet_reader, row, members in groups.values():
        part = next(p for p in layout.sheets() if p.parent == sheet_reader.entry.name)
        assert part.part is not None
        row.data[part.part] = [member.data for _, member in members]
        yield reader.result(sheet_reader, row, members)


def read(
    paths: str | Path | Iterable[str | Path],
    *,
    lang: str = "en",
    context: RuleContext | None = None,
) -> list[RowResult]:
    """Every `RowResult` of the workbooks at ``paths`` (see `iter_read`), in a list."""
    if isinstance(paths, str | Path):
        paths = [paths]
    return [result for path in paths for result in iter_read(path, lang=lang, context=context)]
