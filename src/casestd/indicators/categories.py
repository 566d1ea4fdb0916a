"""The categories of the breakdowns a unit falls into: age band, form of exploitation.

The categories and their bounds are the catalogue's (`casestd.indicators.catalogue`,
``breakdowns.json``); `casestd.indicators.variables` puts each unit in them.
"""

from __future__ import annotations

import datetime as dt
import functools

from casestd.indicators import catalogue
from casestd.model.types import whole_years


@functools.cache
def _age_ranges(breakdown_id: str) -> tuple[tuple[str, int, int], ...]:
    found = []
    for category in catalogue.breakdown(breakdown_id).categories:
        if "age" in category.data:
            low, high = category.data["age"]
            found.append((category.code, low, 200 if high is None else high))
    return tuple(found)


def age_category(
    breakdown_id: str, birth: tuple[dt.date, dt.date] | None, on: dt.date | None
) -> str:
    """The age band at ``on`` of a person born between ``birth[0]`` and ``birth[1]``.

    ``unknown`` when the birth date or the reference date is missing, or when
    a partial birth date could put the person in two bands.

    >>> d = dt.date
    >>> age_category("age_group", (d(2007, 1, 1), d(2007, 12, 31)), d(2025, 6, 1))
    'unknown'
    >>> age_category("age_group", (d(2007, 1, 1), d(2007, 5, 31)), d(2025, 6, 1))
    'adult'
    """
    if birth is None or on is None or birth[0] > on:
        return "unknown"
    oldest = whole_years(birth[0], on)
    youngest = whole_years(birth[1], on) if birth[1] <= on else 0
    for code, low, high in _age_ranges(breakdown_id):
        if low <= youngest and oldest <= high:
            return code
    return "unknown"


@functools.cache
def _exploitation_of() -> dict[str, str]:
    found = {}
    for category in catalogue.breakdown("exploitation").categories:
        for code in category.data.get("types", ()):
            found[code] = category.code
    return found


def exploitation_category(types: list[str]) -> str:
    """The exploitation breakdown's category of a victim's exploitation types."""
    groups = {_exploitation_of().get(code, "other") for code in types}
    if not groups:
        return "unknown"
    return groups.pop() if len(groups) == 1 else "mixed"


__all__ = ["age_category", "exploitation_category"]
