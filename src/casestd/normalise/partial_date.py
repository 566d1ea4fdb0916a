"""Dates that may be known only to the year or the month (``2012``, ``2012-05``).

The standard stores ISO 8601 text: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
People in Armenia write dates day first with dots: ``03.04.2015``, also
``3.4.2015``, sometimes with slashes (``03/04/2015``: day first too), and
``04.2015`` for a month. `validate` reads these and gives the ISO text;
`format` writes it back the Armenian way.

>>> validate("3.4.2015"), validate("04.2015"), validate(" 2015-04 ")
('2015-04-03', '2015-04', '2015-04')
>>> format("2015-04-03"), format("2015-04"), format("2015")
('03.04.2015', '04.2015', '2015')
>>> bounds("2012-02")
(datetime.date(2012, 2, 1), datetime.date(2012, 2, 29))
>>> parts("2015-04"), parts("2015")
((2015, 4, None), (2015, None, None))
>>> is_valid("30.02.2012"), is_valid("2012-13")
(False, False)
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from casestd.normalise.exceptions import InvalidComponent, InvalidFormat
from casestd.normalise.formats import accepts

#: The canonical text of a partial date: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
#: As Armenians write a date: ``DD.MM.YYYY``, ``D.M.YYYY``, ``MM.YYYY`` or ``M.YYYY``,
#: with dots or slashes (the same one throughout).
_DOTTED = re.compile(r"([0-9]{1,2})([./])(?:([0-9]{1,2})\2)?([0-9]{4})")

Parts = tuple[int, int | None, int | None]


def compact(text: str) -> str:
    """The ISO text of a date written in ISO form or day first with dots or slashes.

    Outer white space is dropped. The calendar is not checked (`validate`
    does); raises `InvalidFormat` for any other shape.

    >>> compact("1.2.2010"), compact("01/02/2010"), compact("2010-02-01")
    ('2010-02-01', '2010-02-01', '2010-02-01')
    """
    text = text.strip()
    if _ISO.match(text):
        return text
    dotted = _DOTTED.fullmatch(text)
    if dotted is None:
        raise InvalidFormat("expected YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY")
    first, _, second, year = dotted.groups()
    if second is None:  # MM.YYYY
        return f"{year}-{int(first):02d}"
    return f"{year}-{int(second):02d}-{int(first):02d}"


@functools.lru_cache(maxsize=8192)
def parts(value: str) -> Parts:
    """(year, month, day) of a partial date in ISO text; month and day None when unknown.

    Raises `InvalidFormat` when ``value`` is not ISO text and `InvalidComponent`
    when it is not a calendar date (``2012-02-30``, ``2012-13``).
    """
    match = _ISO.match(value)
    if not match:
        raise InvalidFormat("not a partial date")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise InvalidComponent("not a calendar date") from None
    return year, month, day


def validate(text: str) -> str:
    """The ISO text of a date written in ISO form or day first with dots, checked
    against the calendar; raises `InvalidFormat` or `InvalidComponent`."""
    value = compact(text)
    parts(value)
    return value


def is_valid(text: str) -> bool:
    """True when `validate` accepts ``text``."""
    return accepts(validate, text)


@functools.lru_cache(maxsize=8192)
def bounds(value: str) -> tuple[dt.date, dt.date]:
    """The earliest and latest calendar days a partial date in ISO text can stand for.

    >>> bounds("2012")
    (datetime.date(2012, 1, 1), datetime.date(2012, 12, 31))
    >>> bounds("2012-02-30")
    Traceback (most recent call last):
    casestd.normalise.exceptions.InvalidComponent: not a calendar date
    """
    year, month, day = parts(value)
    if day is not None:
        assert month is not None
        exact = dt.date(year, month, day)
        return exact, exact
    if month is not None:
        first = dt.date(year, month, 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def format(text: str) -> str:
    """The date as Armenians write it: ``DD.MM.YYYY``, ``MM.YYYY`` or ``YYYY``.

    Raises as `validate` does.
    """
    year, month, day = parts(validate(text))
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{month:02d}.{year:04d}"
    return f"{day:02d}.{month:02d}.{year:04d}"


__all__ = ["bounds", "compact", "format", "is_valid", "parts", "validate"]
