"""Compact storage for `casestd.indicators.variables.Collector`: rows of small ints.

The collector keeps something of nearly every record of a national year (a
million cases: four to five million records) until the end, because the
indicators join entities that come in any order. Kept as Python objects
(UUIDs, dates, strings, one object per row) that is about 2 KB a case; kept
here it is a few hundred bytes:

- `Table` numbers the distinct values of a kind (code-list strings, UUIDs,
  tuples of facts) once; rows hold the numbers.
- `Rows` holds fixed-width rows of ints in one `array` (dates as day numbers,
  0 for none); `Rows.extend` appends another collector's rows, renumbering
  the columns that hold table numbers.
- `Persons` holds the linkage keys of each person as 8-byte digests of their
  values (equal values, equal digests: what `casestd.dedup.find_duplicates`
  compares) and gives them back as `casestd.dedup.PersonKeys` for linking,
  without the facts (those only explain a link, in a cluster's evidence).
- `office_key` and `office_value` pack what the collector keeps per
  (beneficiary, district office, month) served, the first day of service and
  the cost, into two ints; `merged_office` joins two entries of the same key.

Arrays pickle as bytes, so a worker process sends its collector cheaply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from array import array
from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T", bound=Hashable)

#: Column kinds of `Rows`: a plain int (day number, count, flags), or the number of a
#: value in one of the tables handed to `Rows.extend`, by its position.
PLAIN = -1


def day(value: dt.date | None) -> int:
    """A date as its day number (`datetime.date.toordinal`); 0 for none.

    >>> day(dt.date(1, 1, 1)), day(None)
    (1, 0)
    """
    return 0 if value is None else value.toordinal()


def date(number: int) -> dt.date | None:
    """The date of a day number of `day`; None for 0.

    >>> date(day(dt.date(2025, 3, 1))), date(0)
    (datetime.date(2025, 3, 1), None)
    """
    return dt.date.fromordinal(number) if number else None


#: An office entry (beneficiary, district office, month) as one int, and its value: the
#: first day of service (22 bits) and the cost + 1 (0: none) above it.
_OFFICE_SHIFT, _CODE_SHIFT, _DAY_BITS = 40, 20, 22
_DAY_MASK = (1 << _DAY_BITS) - 1


def office_key(beneficiary: int, office: int, month: int) -> int:
    """An office entry's key: the numbers of the beneficiary and the office, and the month.

    >>> office_key_parts(office_key(7, 3, 2025 * 12 + 1))
    (7, 3, 24301)
    """
    return beneficiary << _OFFICE_SHIFT | office << _CODE_SHIFT | month


def office_key_parts(key: int) -> tuple[int, int, int]:
    """The beneficiary, office and month of an `office_key`."""
    low = (1 << _CODE_SHIFT) - 1
    return key >> _OFFICE_SHIFT, key >> _CODE_SHIFT & low, key & low


def office_value(first: int, cost: int | None) -> int:
    """The value of an office entry: first day of service, and cost (None: none)."""
    return first | (0 if cost is None else cost + 1) << _DAY_BITS


def office_value_parts(value: int) -> tuple[int, int | None]:
    """The first day and the cost of an `office_value`."""
    cost = value >> _DAY_BITS
    return value & _DAY_MASK, cost - 1 if cost else None


def merged_office(value: int, known: int | None) -> int:
    """``value`` with ``known`` (another office value, or None) taken in: the earlier
    first day, the costs added (None when neither has one).

    >>> office_value_parts(merged_office(office_value(20, 5_000), office_value(10, None)))
    (10, 5000)
    """
    if known is None:
        return value
    first, cost = office_value_parts(value)
    known_first, known_cost = office_value_parts(known)
    if known_cost is not None:
        cost = (cost or 0) + known_cost
    return office_value(min(first, known_first), cost)


class Table(Generic[T]):
    """The distinct values seen, numbered in order of first sight; ``none`` holds number 0.

    >>> codes = Table[str | None]()
    >>> codes.number("female"), codes.number(None), codes.number("female"), codes.values
    (1, 0, 1, [None, 'female'])
    """

    def __init__(self, *initial: T) -> None:
        self.values: list[T] = list(initial) or [None]  # type: ignore[list-item]
        self.numbers: dict[T, int] = {value: n for n, value in enumerate(self.values)}

    def number(self, value: T) -> int:
        """The number of ``value``, given it the first time."""
        found = self.numbers.get(value)
        if found is None:
            found = self.numbers[value] = len(self.values)
            self.values.append(value)
        return found

    def __len__(self) -> int:
        return len(self.values)

    def renumbering(self, other: Table[T]) -> list[int]:
        """For each number of ``other``, the number of the same value here (added if new)."""
        return [self.number(value) for value in other.values]


class Rows:
    """Rows of ints of a fixed width, in one `array` of ``typecode``.

    ``kinds`` gives per column `PLAIN` or the position of the table its numbers
    come from, for `extend`.

    >>> rows = Rows("i", (PLAIN, 0))
    >>> rows.append((7, 1)); rows.append((8, 2))
    >>> list(rows), len(rows)
    ([(7, 1), (8, 2)], 2)
    >>> more = Rows("i", (PLAIN, 0)); more.append((9, 1))
    >>> rows.extend(more, [[0, 5]]); list(rows)
    [(7, 1), (8, 2), (9, 5)]
    """

    def __init__(self, typecode: str, kinds: Sequence[int]) -> None:
        self.kinds = tuple(kinds)
        self.width = len(self.kinds)
        self.data = array(typecode)

    def append(self, row: Sequence[int]) -> None:
        self.data.extend(row)

    def __len__(self) -> int:
        return len(self.data) // self.width

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        return zip(*[iter(self.data)] * self.width, strict=True)

    def extend(self, other: Rows, renumber: Sequence[Sequence[int]]) -> None:
        """Append ``other``'s rows, their table numbers renumbered (``renumber[k]`` maps
        the numbers of table ``k`` of ``other`` to this one's)."""
        maps = [(column, renumber[kind]) for column, kind in enumerate(self.kinds) if kind >= 0]
        if not maps:
            self.data.extend(other.data)
            return
        for row in other:
            values = list(row)
            for column, numbers in maps:
                values[column] = numbers[values[column]]
            self.data.extend(values)


def digest(value: str) -> int:
    """An 8-byte digest of a key value, the same in every process (unlike `hash`)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "little")


class Persons:
    """The linkage keys of person records, compactly, in the order they were added.

    Per person: its ref, two ints the caller gives (``extra``, e.g. district and
    registration day), and its key values as digests with the number of their key name.
    """

    def __init__(self) -> None:
        self.refs: list[str] = []
        self.names: Table[str | None] = Table()
        self.rows = Rows("q", (PLAIN, PLAIN, PLAIN))  # key offset, extra, extra
        self.key_names = array("H")
        self.key_values = array("Q")

    def __len__(self) -> int:
        return len(self.refs)

    def add(self, ref: str, keys: Mapping[str, frozenset[str]], extra: tuple[int, int]) -> None:
        self.refs.append(ref)
        self.rows.append((len(self.key_values), *extra))
        for name, values in keys.items():
            if values:
                number = self.names.number(name)
                for value in values:
                    self.key_names.append(number)
                    self.key_values.append(digest(value))

    def extra(self) -> Iterator[tuple[str, int, int]]:
        """Each person's ref and the two ints given with it."""
        for ref, (_, first, second) in zip(self.refs, self.rows, strict=True):
            yield ref, first, second

    def person_keys(self, wanted: str | None = None) -> Iterator[Any]:
        """Each person (of refs starting with ``wanted``) as `casestd.dedup.PersonKeys`,
        its values the hexadecimal digests of the values it was given, without facts."""
        from casestd.dedup import PersonKeys

        names, values, ends = self.names.values, self.key_values, self.key_names
        offsets = [row[0] for row in self.rows]
        offsets.append(len(values))
        for number, ref in enumerate(self.refs):
            if wanted is not None and not ref.startswith(wanted):
                continue
            keys: dict[str, set[str]] = {}
            for k in range(offsets[number], offsets[number + 1]):
                keys.setdefault(names[ends[k]] or "", set()).add(f"{values[k]:016x}")
            yield PersonKeys(ref, {n: frozenset(v) for n, v in keys.items()})

    def extend(self, other: Persons, first_numbers: Sequence[int] | None = None) -> None:
        """Append the persons of ``other``; ``first_numbers`` renumbers the first of the two
        ints given with each (a number of a `Table` the caller renumbered)."""
        shift = len(self.key_values)
        names = self.names.renumbering(other.names)
        for offset, first, second in other.rows:
            first = first if first_numbers is None else first_numbers[first]
            self.rows.append((offset + shift, first, second))
        self.refs += other.refs
        self.key_names.extend(names[n] for n in other.key_names)
        self.key_values.extend(other.key_values)


__all__ = ["PLAIN", "Persons", "Rows", "Table", "date", "day", "digest"]
