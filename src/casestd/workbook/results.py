"""What reading a workbook gives: one `RowResult` per record, findings located in cells.

A `CellFinding` is a `~casestd.report.Finding` with its cell (``Children!F12``)
and column header; messages of the workbook's own rules come from
``messages.json`` (`message`, `finding`). `casestd.workbook.importer` makes them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
from pydantic import BaseModel

from casestd.io.location import Location
from casestd.report import Finding
from casestd.rules.messages import catalogue
from casestd.rules.messages import message as rule_message
from casestd.workbook.layout import texts_file

#: Rule ids that mean the file could not be read (exit status 2).
UNREADABLE = frozenset(
    {
        "input.not_found",
        "input.not_workbook",
        "input.encrypted",
        "input.corrupt",
        "input.zip_bomb",
        "input.too_large",
        "input.encoding",
        "workbook.no_sheets",
    }
)


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    return texts_file("messages.json")


def message(rule: str, lang: str, **params: object) -> str:
    """The message of a workbook rule (or of a validation rule) in ``lang``."""
    if rule in _messages():
        entry = _messages()[rule]
        return (entry.get(lang) or entry["en"]).format(**params)
    return rule_message(rule, lang, params) if rule in catalogue() else rule


def finding(
    rule: str, lang: str, severity: str = "error", path: str = "", **params: Any
) -> Finding:
    """A `Finding` of a workbook rule."""
    return Finding(rule, severity, path, message(rule, lang, **params))  # type: ignore[arg-type]


@attrs.frozen
class CellFinding:
    """A finding and where it is in the workbook: ``Children!F12`` and the column header."""

    finding: Finding
    location: str
    column: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding's dict (rule, severity, path, message) with location and column."""
        return {**self.finding.to_dict(), "location": self.location, "column": self.column}


@attrs.frozen
class CellLocation(Location):
    """A cell of a workbook: ``FILE!Sheet!A12`` (a record's first cell is column A of its row)."""

    sheet: str
    cell: str

    def __str__(self) -> str:
        return f"{self.file}!{self.sheet}!{self.cell}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell}


@attrs.frozen
class RowResult:
    """One record read from a workbook (or a problem of the whole file).

    ``location`` is the record's first cell (`CellLocation`, ``FILE!Sheet!A12``)
    or the file (`Location`) for a problem of the whole file; ``entity`` the
    entity name (None for a file-level result); ``record`` the typed record
    when it passed validation.
    """

    location: Location
    entity: str | None
    findings: tuple[CellFinding, ...]
    record: BaseModel | None = attrs.field(default=None, repr=False, eq=False)
    sheet: str | None = None
    row: int | None = None
    #: the sheet and rows of the record's parts (a family's member rows, in order)
    parts_sheet: str | None = None
    parts: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(item.finding.severity == "error" for item in self.findings)

    @property
    def source(self) -> str:
        """The location as people read it: ``FILE!Sheet!A12``, or ``FILE``."""
        return str(self.location)

    @property
    def unreadable(self) -> bool:
        """True when the result says that a file could not be read."""
        return any(item.finding.rule in UNREADABLE for item in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as a result of ``casestd validate --format json``."""
        return {
            "source": self.source,
            "location": self.location.to_dict(),
            "entity": self.entity,
            "ok": self.ok,
            "findings": [item.to_dict() for item in self.findings],
        }


def no_rows(lang: str) -> CellFinding:
    """The warning of a file whose sheets were found but hold no filled row."""
    return CellFinding(finding("workbook.no_rows", lang, "warning"), "")


def noting_no_rows(name: str, lang: str, results: Iterable[RowResult]) -> Iterator[RowResult]:
    """Pass ``results`` on; when none of them is a record, end with `no_rows` for ``name``."""
    empty = True
    for result in results:
        empty = empty and result.entity is None
        yield result
    if empty:
        yield RowResult(Location(name), None, (no_rows(lang),))


__all__ = [
    "UNREADABLE",
    "CellFinding",
    "CellLocation",
    "RowResult",
    "finding",
    "message",
    "no_rows",
    "noting_no_rows",
]
