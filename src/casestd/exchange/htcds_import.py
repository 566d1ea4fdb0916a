"""Read HTCDS spreadsheets (the templates' XLSX or CSV, or casestd's export) into records.

`iter_read` reads the files together (a CSV per table links by
``casestd_victim_id``) and yields one `casestd.workbook.RowResult` per record,
validated by `casestd.validate`, with each finding located by cell
(``FILE!'Case Sheet'!H7``) and its column's header, never by value.

A sheet's columns are found from its first two rows: HTCDS's hidden row of
field names (the spellings of its different documents included, such as the
templates' ``vic_TraffickinStatusDecisionMakingOrg`` or the XLSForm's
``prs_First_Name``) and its row of labels. Where the two disagree (the
templates' mailing address columns do), the label is what the person filling
the sheet saw, and wins; a warning says so. Cells are read as HTCDS's tools write
them: value names or labels (``Debt bondage``, ``DebtBondage``), multi-select
cells ``;``-separated (ISIC labels that hold a ``;`` themselves are recognised)
or space-separated (KoboToolbox), Excel dates or ``DD.MM.YYYY`` text, phones as
written in Armenia (to E.164), countries by name or ISO code. A cell that
cannot be read is passed on as it is, for validation to report at its field.

What casestd fills in: the record id (the ``casestd_id`` column, else derived
from the file's content, sheet and row, so that importing the same file twice
gives the same ids), the standard version, ``meta.source_system`` ``htcds``,
the agency given, the creation time (the workbook's last save, or the file's),
a name's script (from its letters) and sex ``unknown`` (HTCDS records gender,
not sex). The case-management columns (``cas_*``) and the consent checkbox
cannot make a valid casestd case, referral or consent: each filled cell of
them gets a warning and is not imported.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from casestd import STANDARD_VERSION, validate
from casestd.exchange.htcds import Column, spec
from casestd.exchange.htcds_cells import (
    Layout,
    count_at,
    finding,
    header_key,
    imported,
    layout,
    lookup,
    place,
    read_cell,
    set_path,
    split_values,
    why_not,
)
from casestd.io.location import Location
from casestd.normalise import name as names
from casestd.report import Finding
from casestd.rules.engine import RuleContext, default_context
from casestd.workbook.cells import as_text, is_empty, read_phone
from casestd.workbook.importer import MAX_ROWS
from casestd.workbook.reading import Source, cell_ref
from casestd.workbook.results import CellFinding, CellLocation, RowResult, no_rows
from casestd.workbook.results import finding as workbook_finding
from casestd.workbook.safety import RISKY_FIRST, check_file, has_macros

SOURCE_SYSTEM = "htcds"
_NAMESPACE = uuid.UUID("0c3f5a52-1d2e-4b7a-9f61-8e2d4c7b3a90")


@attrs.define
class _Row:
    """A data row being turned into a record, and where its values came from."""

    file: str
    title: str
    number: int
    layout: Layout
    data: dict[str, Any] = attrs.field(factory=dict)
    #: dotted path -> (sheet title, row, 0-based column, header) of the cell it came from
    origins: dict[str, tuple[str, int, int, str | None]] = attrs.field(factory=dict)
    early: list[CellFinding] = attrs.field(factory=list)
    places: list[tuple[int, dict[str, Any]]] = attrs.field(factory=list)
    parent: str | None = None
    events: int = 0

    def cell(self, index: int | None) -> str:
        return cell_ref(self.title, self.number, index if index is not None else 0)

    def header(self, index: int) -> str | None:
        return self.layout.headers.get(index)

    def note(self, found: Finding, index: int | None) -> None:
        header = self.header(index) if index is not None else None
        self.early.append(CellFinding(found, self.cell(index), header))

    def origin(self, path: str, index: int) -> None:
        self.origins[path] = (self.title, self.number, index, self.header(index))


class _Reader:
    """Reads the sheets of all files, then yields their records."""

    def __init__(self, agency: str, lang: str, context: RuleContext) -> None:
        self.agency, self.lang, self.context = agency, lang, context
        #: the file being read: a digest of its content (for derived ids) and its save time
        self.identity, self.created = "", ""
        self.victims: dict[str, _Row] = {}
        self.events: list[_Row] = []
        self.seen: set[str] = set()
        #: data rows read so far, over all files
        self.rows = 0

    def read_row(self, row: _Row, cells: Sequence[Any], csv: bool) -> bool:
        filled = False
        contacts = 0
        for index, column in row.layout.columns.items():
            cell = cells[index] if index < len(cells) else None
            value = cell.value if cell is not None else None
            if is_empty(value):
                continue
            filled = True
            if getattr(cell, "data_type", "s") == "f":
                row.note(workbook_finding("workbook.formula", self.lang), index)
                continue
            if csv and isinstance(value, str) and value[:1] == "'" and value[1:2] in RISKY_FIRST:
                value = value[1:]
            if not imported(column):
                reason = why_not().get(column.record or column.kind) or why_not().get(
                    column.field, ""
                )
                row.note(
                    finding(
                        "htcds.not_imported",
                        self.lang,
                        "warning",
                        column=column.field,
                        reason=reason,
                    ),
                    index,
                )
                continue
            contacts = self.put(row, column, index, value, contacts)
        return filled

    def put(self, row: _Row, column: Column, index: int, value: Any, contacts: int) -> int:
        """Set the field of ``column`` in the row's data; returns the contacts counted."""
        kind, path = column.kind, column.path
        assert path is not None
        if path == "#parent":
            row.parent = as_text(value)
            return contacts
        if kind == "contact":
            text = read_phone(value) if column.system == "phone" else as_text(value)
            entry = {"system": column.system, "value": text}
            if column.use:
                entry["use"] = column.use
            holder = path.split(".")
            set_path(row.data, f"{path}.{count_at(row.data, holder)}", entry)
            row.origin(f"{path}.{count_at(row.data, holder) - 1}", index)
            return contacts + 1
        if kind == "event_countries":
            for part in (p.strip() for p in as_text(value).split(";") if p.strip()):
                country, town = place(part)
                if country is None:
                    row.note(finding("htcds.location_unread", self.lang, "warning"), index)
                    continue
                event: dict[str, Any] = {"type": column.event, "country": country}
                if town:
                    event["location"] = {"community" if country == "AM" else "place": town}
                row.places.append((index, event))
            return contacts
        if kind == "residence":
            country = lookup("country", as_text(value)) or as_text(value)
            if country != "AM" or "address" not in row.data:
                row.data[path] = country
                row.origin(path, index)
            return contacts
        if kind == "event_city":
            country = row.data.get("country")
            set_path(
                row.data, f"{path}.{'community' if country == 'AM' else 'place'}", as_text(value)
            )
            row.origin(path, index)
            return contacts
        set_path(row.data, path, read_cell(column, value))
        row.origin(path, index)
        return contacts

    def sheet(
        self, path: str, title: str, found: Layout, rows: Iterator[Any], csv: bool
    ) -> Iterator[RowResult]:
        count = 0
        for number, cells in rows:
            if number < found.first_row:
                continue
            row = _Row(path, title, number, found)
            if not self.read_row(row, cells, csv):
                continue
            count += 1
            self.rows += 1
            if count > MAX_ROWS:
                problem = workbook_finding("workbook.too_many_rows", self.lang, limit=MAX_ROWS)
                yield RowResult(Location(path), None, (CellFinding(problem, f"{title}!{number}"),))
                return
            yield from self.row(row)

    def row(self, row: _Row) -> Iterator[RowResult]:
        entry = row.layout.table
        if entry.part is not None:
            self.events.append(row)
            return
        self.fill(row)
        if entry.entity == "trafficking_victim":
            self.victims.setdefault(str(row.data["id"]), row)
        else:
            yield self.result(row)

    def fill(self, row: _Row) -> None:
        data = row.data
        if "id" in data:
            with contextlib.suppress(ValueError):  # not a UUID: validation says so
                data["id"] = str(uuid.UUID(str(data["id"])))
        else:
            data["id"] = str(uuid.uuid5(_NAMESPACE, f"{self.identity}/{row.title}/{row.number}"))
        if data["id"] in self.seen:
            row.note(finding("htcds.id_duplicate", self.lang), None)
        self.seen.add(data["id"])
        data["meta"] = {
            "standard_version": STANDARD_VERSION,
            "source_system": SOURCE_SYSTEM,
            "agency": self.agency,
            "created": self.created,
        }
        person = data.get("person")
        if isinstance(person, dict):
            for item in person.get("names", ()):
                text = " ".join(str(v) for v in item.values() if isinstance(v, str))
                item.setdefault("script", names.script(text) or "latn")
            if row.layout.table.entity == "trafficking_victim":
                person.setdefault("sex", "unknown")
        elif row.layout.table.entity == "trafficking_victim":
            data["person"] = {"names": [], "sex": "unknown"}
        if row.layout.table.entity == "perpetrator":
            data.setdefault("person", {})

    def attach(self) -> Iterator[RowResult]:
        for event_row in self.events:
            victim = self.victims.get(event_row.parent or "")
            if victim is None:
                problem = finding("htcds.victim_unknown", self.lang)
                index = next(
                    (i for i, c in event_row.layout.columns.items() if c.path == "#parent"), None
                )
                event_row.note(problem, index)
                yield RowResult(
                    CellLocation(event_row.file, event_row.title, f"A{event_row.number}"),
                    "trafficking_victim",
                    tuple(event_row.early),
                    sheet=event_row.title,
                    row=event_row.number,
                )
                continue
            events = victim.data.setdefault("trafficking_events", [])
            position = len(events)
            events.append(event_row.data)
            victim.events += 1
            for dotted, where in event_row.origins.items():
                victim.origins[f"trafficking_events.{position}.{dotted}"] = where
            victim.origins[f"trafficking_events.{position}"] = (
                event_row.title,
                event_row.number,
                0,
                None,
            )
            victim.early.extend(event_row.early)
        for victim in self.victims.values():
            if not victim.events:
                events = victim.data.setdefault("trafficking_events", [])
                for index, event in victim.places:
                    victim.origin(f"trafficking_events.{len(events)}", index)
                    events.append(event)
                if not events:
                    del victim.data["trafficking_events"]
            yield self.result(victim)

    def result(self, row: _Row) -> RowResult:
        entity = row.layout.table.entity
        report = validate(entity, row.data, lang=self.lang, context=self.context)
        located = list(row.early)
        for found in report.findings:
            located.append(_locate(row, found))
        ok = not any(item.finding.severity == "error" for item in located)
        return RowResult(
            location=CellLocation(row.file, row.title, f"A{row.number}"),
            entity=entity,
            findings=tuple(located),
            record=report.record if ok else None,
            sheet=row.title,
            row=row.number,
        )


def _locate(row: _Row, found: Finding) -> CellFinding:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in found.path.split("/") if p]
    while parts:
        where = row.origins.get(".".join(parts))
        if where is not None:
            title, number, index, header = where
            return CellFinding(found, cell_ref(title, number, index), header)
        parts.pop()
    return CellFinding(found, row.cell(None), None)


def _identity(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _created(path: Path, source: Source) -> str:
    modified = source.info().modified if not source.csv else None
    if modified is None:
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=dt.UTC)
    return modified.replace(microsecond=0).isoformat()


def _unreadable(path: str, rule: str, lang: str) -> RowResult:
    problem = finding(rule, lang, limit=512)
    return RowResult(Location(path), None, (CellFinding(problem, ""),))


def _file(reader: _Reader, path: str) -> Iterator[RowResult]:
    file = Path(path)
    csv = file.suffix.lower() == ".csv"
    problem = None if csv else check_file(file)
    if csv and not file.is_file():
        problem = "input.not_found"
    if problem is not None:
        yield _unreadable(path, problem, reader.lang)
        return
    try:
        source = Source(file)
    except Exception:  # openpyxl raises many kinds for broken parts
        yield _unreadable(path, "input.corrupt", reader.lang)
        return
    try:
        reader.identity, reader.created = _identity(file), _created(file, source)
        notes: list[CellFinding] = []
        if not csv and has_macros(file):
            notes.append(
                CellFinding(finding("workbook.macros_ignored", reader.lang, "warning"), "")
            )
        found_any = False
        rows_before = reader.rows
        results: list[RowResult] = []
        for title in source.titles():
            rows = source.rows(title)
            first = [c.value for c in next(rows, (0, []))[1]]
            second = [c.value for c in next(rows, (0, []))[1]]
            mapping = layout(first, second)
            if mapping is None:
                if header_key(title) not in {header_key(t) for t in spec()["template_sheets"]}:
                    problem_ = finding("htcds.sheet_unknown", reader.lang, "warning", sheet=title)
                    notes.append(CellFinding(problem_, f"{title}!1"))
                continue
            found_any = True
            notes.extend(_header_notes(title, mapping, reader.lang))
            results.extend(reader.sheet(path, title, mapping, source.rows(title), csv))
        if not found_any:
            notes.append(CellFinding(finding("htcds.no_table", reader.lang), ""))
        elif reader.rows == rows_before:
            notes.append(no_rows(reader.lang))
        if notes:
            yield RowResult(Location(path), None, tuple(notes))
        yield from results
    except ValueError as error:
        rule = str(error) if str(error).startswith("input.") else "input.corrupt"
        yield _unreadable(path, rule, reader.lang)
    except (KeyError, OSError, EOFError):
        yield _unreadable(path, "input.corrupt", reader.lang)
    finally:
        source.close()


def _header_notes(title: str, found: Layout, lang: str) -> Iterator[CellFinding]:
    for index, name, label in found.conflicts:
        problem = finding("htcds.header_conflict", lang, "warning", name=name, label=label)
        yield CellFinding(problem, cell_ref(title, 1, index), found.headers.get(index))
    for header in found.unmapped:
        problem = workbook_finding(
            "workbook.column_unmapped", lang, "warning", column=header, sheet=title
        )
        yield CellFinding(problem, f"{title}!1")


def iter_read(
    paths: str | Path | Iterable[str | Path],
    *,
    agency: str,
    lang: str = "en",
    context: RuleContext | None = None,
) -> Iterator[RowResult]:
    """One `RowResult` per record of the HTCDS files at ``paths``, read together.

    Organisations and perpetrators come as their rows are read; victims once
    every file is read (their trafficking events may be in another file). A file
    that cannot be read gives one result with an ``input.*`` finding.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    reader = _Reader(agency, lang, context or default_context())
    for path in paths:
        yield from _file(reader, str(path))
    yield from reader.attach()


def read(
    paths: str | Path | Iterable[str | Path], *, agency: str, lang: str = "en"
) -> list[RowResult]:
    """Every `RowResult` of `iter_read`, in a list."""
    return list(iter_read(paths, agency=agency, lang=lang))


__all__ = ["Layout", "finding", "iter_read", "layout", "read", "split_values"]
