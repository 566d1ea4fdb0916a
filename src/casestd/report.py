"""`Finding` and `Report`: what validation found, walkable as data.

A finding names the rule, the severity, the field (as a JSON Pointer) and a
message; it never holds the value that was checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import attrs

from casestd.io.location import Location

Severity = Literal["error", "warning"]


def pointer(location: tuple[int | str, ...]) -> str:
    """A JSON Pointer (RFC 6901) for a location given as a tuple of keys.

    >>> pointer(("names", 0, "family"))
    '/names/0/family'
    >>> pointer(())
    ''
    >>> pointer(("a/b", "c~d"))
    '/a~1b/c~0d'
    """
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location)


@attrs.frozen
class Finding:
    """One problem found in a record: which rule, how bad, where, and what."""

    rule: str
    severity: Severity
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """The finding as a JSON-ready dict with keys rule, severity, path, message."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }


@attrs.frozen
class Report:
    """The result of validating one record.

    ``record`` is the typed entity when the record passed the model (it may
    still have rule findings), else None. It is left out of the repr, as
    it holds personal data.
    """

    findings: tuple[Finding, ...] = ()
    record: Any = attrs.field(default=None, repr=False, eq=False)

    @property
    def ok(self) -> bool:
        """True when no finding has severity ``error``."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings of severity ``error``."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings of severity ``warning``."""
        return tuple(f for f in self.findings if f.severity == "warning")

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"ok": bool, "findings": [{rule, severity, path, message}]}``."""
        return {"ok": self.ok, "findings": [f.to_dict() for f in self.findings]}


@attrs.frozen
class Result:
    """The report of one record (or of an input that could not be read) and where it is.

    ``record`` is False when the report is about an input as a whole (a file
    that cannot be read, or holds no records) rather than about a record.
    """

    location: Location
    report: Report
    record: bool = True

    @property
    def source(self) -> str:
        """The location as people read it: ``FILE:LINE``, ``FILE#INDEX`` or ``FILE``."""
        return str(self.location)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``source``, ``location``, ``ok`` and ``findings``."""
        return {
            "source": self.source,
            "location": self.location.to_dict(),
            "ok": self.report.ok,
            "findings": [f.to_dict() for f in self.report.findings],
        }
