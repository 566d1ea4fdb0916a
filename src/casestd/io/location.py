"""Where a record, or a problem with an input, is: the file and a position in it.

Every reader gives each result a location. Its text form is what people and
editors read (``FILE:LINE``, ``FILE#INDEX``, ``FILE``); ``to_dict()`` is the
same as data, for the ``location`` of a JSON result. Other readers add their
own kinds (a workbook cell is ``FILE!Sheet!A1``) by subclassing `Location`.

>>> str(LineLocation("a.jsonl", 14)), LineLocation("a.jsonl", 14).to_dict()
('a.jsonl:14', {'file': 'a.jsonl', 'line': 14})
>>> str(ItemLocation("a.json", 2, line=9)), ItemLocation("a.json", 2, line=9).to_dict()
('a.json#2', {'file': 'a.json', 'index': 2, 'line': 9})
>>> str(Location("a.json")), Location("a.json").to_dict()
('a.json', {'file': 'a.json'})
"""

from __future__ import annotations

from typing import Any

import attrs


@attrs.frozen
class Location:
    """A whole input: a file, or ``-`` for standard input."""

    file: str

    def __str__(self) -> str:
        return self.file

    def to_dict(self) -> dict[str, Any]:
        """The location as JSON-ready data; always has ``file``."""
        return {"file": self.file}


@attrs.frozen
class LineLocation(Location):
    """A line of a JSON Lines input (1-based, as editors count)."""

    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line}


@attrs.frozen
class ItemLocation(Location):
    """An item of a JSON document (0-based index), and the line where it starts."""

    index: int
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}#{self.index}"

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"file": self.file, "index": self.index}
        if self.line is not None:
            found["line"] = self.line
        return found
