"""Reporting periods: a year, a quarter, a month, or a range of months.

>>> p = Period.parse("2025Q1")
>>> p.start, p.end, p.dhis2, p.sdmx
(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), '2025Q1', '2025-Q1')
>>> Period.parse("2025-03").dhis2
'202503'
>>> r = Period.parse("2023-01..2025-12")
>>> r.kind, r.sdmx, r.dhis2 is None
('range', '2023-01-01/P36M', True)
>>> [q.text for q in Period.parse("2025").quarters()]
['2025Q1', '2025Q2', '2025Q3', '2025Q4']
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class PeriodError(ValueError):
    """A period text that is not a year, quarter, month or month range."""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@attrs.frozen
class Period:
    """A reporting period: ``kind`` is year, quarter, month or range; ``text`` as given."""

    kind: str
    text: str
    start: dt.date
    end: dt.date

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2025``, ``2025Q1``, ``2025-03`` or ``2023-01..2025-12``."""
        text = text.strip()
        if match := _YEAR.match(text):
            year = int(match[1])
            return cls("year", text, dt.date(year, 1, 1), dt.date(year, 12, 31))
        if match := _QUARTER.match(text):
            year, quarter = int(match[1]), int(match[2])
            first = 3 * quarter - 2
            return cls("quarter", text, dt.date(year, first, 1), _month_end(year, first + 2))
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            return cls("month", text, dt.date(year, month, 1), _month_end(year, month))
        head, dots, tail = text.partition("..")
        if dots and (a := _MONTH.match(head)) and (b := _MONTH.match(tail)):
            start = dt.date(int(a[1]), int(a[2]), 1)
            end = _month_end(int(b[1]), int(b[2]))
            if end < start:
                raise PeriodError("the range ends before it starts")
            return cls("range", text, start, end)
        raise PeriodError("a period is YYYY, YYYYQn, YYYY-MM or YYYY-MM..YYYY-MM")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def dhis2(self) -> str | None:
        """The period as DHIS2 writes it (``2025``, ``2025Q1``, ``202503``); None for a range."""
        if self.kind in ("year", "quarter"):
            return self.text
        if self.kind == "month":
            return self.text.replace("-", "")
        return None

    @property
    def sdmx(self) -> str:
        """The SDMX TIME_PERIOD: ``2025``, ``2025-Q1``, ``2025-03``, or a time range.

        A range of months is SDMX's time range: the first day and a duration
        (``2023-01-01/P36M``).
        """
        if self.kind == "quarter":
            return f"{self.text[:4]}-Q{self.text[-1]}"
        if self.kind == "range":
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            return f"{self.start.isoformat()}/P{months}M"
        return self.text

    def quarters(self) -> list[Period]:
        """The calendar quarters that lie wholly inside the period, in order."""
        found: list[Period] = []
        year, quarter = self.start.year, (self.start.month - 1) // 3 + 1
        while True:
            period = Period.parse(f"{year}Q{quarter}")
            if period.start > self.end:
                return found
            if period.start >= self.start and period.end <= self.end:
                found.append(period)
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)

    def previous_quarters(self, count: int) -> list[Period]:
        """``count`` quarters ending with the one that holds the period's last day."""
        year, quarter = self.end.year, (self.end.month - 1) // 3 + 1
        found = []
        for _ in range(count):
            found.append(Period.parse(f"{year}Q{quarter}"))
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        return found[::-1]
