"""Population figures for rates per 100,000: an input file, never invented.

A CSV file with a header ``year,sex,age_group,region,population``: one row per
year and cell, with an empty ``sex``, ``age_group`` or ``region`` meaning all
(a row with all three empty is the national total). Codes are casestd's
(``female``, ``child``, ``AM-SH``). A rate is computed only for a cell that
has a row for the year the period ends in.

>>> import io
>>> table = Population.read(io.StringIO("year,sex,age_group,region,population\\n"
...     "2025,,,,2990900\\n2025,female,,,1570000\\n"))
>>> table.get(Period.parse("2025Q1"), None, None), table.get(Period.parse("2025"), "sex", "male")
(2990900.0, None)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

import attrs

from casestd.indicators.period import Period

COLUMNS = ("year", "sex", "age_group", "region", "population")
_BREAKDOWNS = ("sex", "age_group", "region")


class PopulationError(ValueError):
    """A population file that cannot be used; the message names the row."""


@attrs.frozen
class Population:
    """Population by year and (breakdown, category); ``(None, None)`` for the total."""

    figures: dict[tuple[int, str | None, str | None], float]

    @classmethod
    def read(cls, stream: IO[str] | Iterable[str]) -> Population:
        reader = csv.DictReader(stream)
        if reader.fieldnames is None or set(COLUMNS) - set(reader.fieldnames):
            raise PopulationError("the header must be " + ",".join(COLUMNS))
        figures: dict[tuple[int, str | None, str | None], float] = {}
        for number, row in enumerate(reader, start=2):
            try:
                year = int(row["year"])
                value = float(row["population"])
            except (TypeError, ValueError):
                raise PopulationError(
                    f"row {number}: year and population must be numbers"
                ) from None
            if value <= 0:
                raise PopulationError(f"row {number}: population must be positive")
            given = [(name, row[name].strip()) for name in _BREAKDOWNS if (row[name] or "").strip()]
            if len(given) > 1:
                raise PopulationError(f"row {number}: give at most one of sex, age_group, region")
            key = (year, *given[0]) if given else (year, None, None)
            if key in figures:
                raise PopulationError(f"row {number}: a second row for the same cell")
            figures[key] = value
        return cls(figures)

    def get(self, period: Period, breakdown: str | None, category: str | None) -> float | None:
        """The population of a cell in the year the period ends in, or None."""
        return self.figures.get((period.end.year, breakdown, category))
