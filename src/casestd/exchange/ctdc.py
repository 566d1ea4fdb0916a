"""Trafficking victims as rows of CTDC's 2024 global codebook, k-anonymous over every column.

Each released row is one victim (status ``actual`` or ``possible``) written in
the columns of IOM's Counter-Trafficking Data Collaborative that casestd can
feed (`columns`): ``gender``, ``ageBroad``, ``citizenship`` and
``CountryOfExploitation`` as ISO alpha-3, ``yearOfRegistration``,
``traffickMonths``, the merged means-of-control flags, the exploitation flags
with their labour and sexual subtypes, and the recruiter relation flags;
flags are 1/0 and ``-99`` is unknown. No name, identifier, exact date or free
text is ever written: every value comes from a closed set (codes, years,
bands), so none can carry personal data or a spreadsheet formula.

Before anything is written the rows are made k-anonymous (k >= 11) over all
released columns together, not only over chosen quasi-identifiers: every
combination of values that is released is shared by at least k rows. Each
column belongs to a dimension of generalisation (``ctdc.json``, finest level
first, the last ``-99``): ``ageBroad`` (CTDC's nine bands, then child ``0--17``
or adult ``18+``), ``yearOfRegistration`` (the year, then two- and five-year
spans such as ``2024--2025``), the exploitation flags (their subtypes first),
and the other columns or groups of flags as a whole. `anonymise` searches the
levels greedily (as Sweeney's Datafly, weighed by the precision each step
loses): while the rows in classes smaller than k are more than
``max_suppressed`` of all, it coarsens the dimension that saves most rows per
unit of precision lost, then undoes each step that is not needed. The rows
still in small classes are suppressed (left out), and the `Release` says how
many; when even the coarsest levels leave more than ``max_suppressed`` in small
classes, they are suppressed all the same. The released rows are sorted,
so their order says nothing about the input's.

>>> release = anonymise([], k=11)
>>> release.rows, release.suppressed
((), 0)
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import itertools
import json
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import IO, Any

import attrs

from casestd import codes
from casestd.indicators.categories import age_category
from casestd.model.trafficking_victim import TraffickingVictim

MISSING = -99
#: The smallest k allowed: CTDC's own, and the project's rule for record-level exports.
MIN_K = 11
DEFAULT_K = MIN_K
#: Share of rows that may be suppressed before coarser levels are preferred.
DEFAULT_MAX_SUPPRESSED = 0.05

Value = int | str


@functools.cache
def spec() -> dict[str, Any]:
    """The contents of ``ctdc.json``: the columns, their derivation and hierarchies."""
    text = resources.files("casestd.exchange").joinpath("data/ctdc.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def columns() -> tuple[str, ...]:
    """The CTDC columns casestd writes, in order.

    >>> columns()[:4]
    ('yearOfRegistration', 'gender', 'ageBroad', 'citizenship')
    >>> len(columns())
    27
    """
    return tuple(column["column"] for column in spec()["columns"])


def _column(name: str) -> dict[str, Any]:
    return next(column for column in spec()["columns"] if column["column"] == name)


@functools.cache
def flag_codes(column: str) -> frozenset[str]:
    """The codes whose ``source_codes["ctdc"]`` names the flag ``column``.

    >>> sorted(flag_codes("meansDebtBondageEarnings"))
    ['debt_bondage', 'takes_earnings']
    """
    entry = _column(column)
    code_list = codes.get(entry["list"])
    return frozenset(c.code for c in code_list if c.source_codes.get("ctdc") == column)


@attrs.frozen
class Dimension:
    """One axis of generalisation: its levels (finest first, the last ``-99``) and columns.

    ``columns`` maps each column to the level from which it is written ``-99``;
    ``weight`` is the dimension's share in the precision lost by generalising, and
    ``loss`` the share of it lost at each level (0 at the finest, 1 at ``-99``).
    """

    name: str
    levels: tuple[str, ...]
    columns: Mapping[str, int]
    weight: float = 1.0
    loss: tuple[float, ...] = (0.0, 1.0)

    @property
    def height(self) -> int:
        """The number of steps from the finest level to the coarsest."""
        return len(self.levels) - 1


def dimensions() -> tuple[Dimension, ...]:
    """The generalisation hierarchy of the released columns (``ctdc.json``).

    >>> [d.name for d in dimensions()][:3]
    ['yearOfRegistration', 'ageBroad', 'traffickMonths']
    >>> dimensions()[1].levels
    ('band', 'child or adult', '-99')
    """
    return tuple(
        Dimension(
            entry["name"],
            tuple(entry["levels"]),
            dict(entry["columns"]),
            entry["weight"],
            tuple(entry["loss"]),
        )
        for entry in spec()["dimensions"]
    )


def _ctdc(list_id: str, code: str | None) -> Value:
    if code is None:
        return MISSING
    entry = codes.get(list_id).codes.get(code)
    found = entry.source_codes.get("ctdc") if entry is not None else None
    return found if found else MISSING


def _years(day: dt.date | None) -> tuple[Value, ...]:
    if day is None:
        return (MISSING,)
    year = day.year
    two, five = year - year % 2, year - year % 5
    return (year, f"{two}--{two + 1}", f"{five}--{five + 4}")


def _ages(victim: TraffickingVictim) -> tuple[Value, ...]:
    entry = _column("ageBroad")
    born = victim.person.birth_date
    birth = (born.earliest, born.latest) if born is not None else None
    band = age_category("age_band", birth, victim.registration_date)
    if band not in entry["bands"]:
        return (MISSING,)
    return (entry["bands"][band], entry["coarser"][band])


def _months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def _trafficked(victim: TraffickingVictim) -> tuple[Value, ...]:
    start, end = victim.exploitation_start, victim.exploitation_end
    if start is None or end is None or end.latest < start.earliest:
        return (MISSING,)
    shortest = max(0, _months(start.latest, end.earliest))
    longest = _months(start.earliest, end.latest)
    for label, low, high in _column("traffickMonths")["bands"]:
        if low <= shortest and (high is None or longest <= high):
            return (label,)
    return (MISSING,)


def _gender(victim: TraffickingVictim) -> Value:
    value = _ctdc("gender", victim.person.gender)
    return value if value != MISSING else _ctdc("sex", victim.person.sex)


def _exploited_in(victim: TraffickingVictim) -> Value:
    for event in victim.trafficking_events:
        if event.type == "exploitation":
            return _ctdc("country", event.country)
    return MISSING


def _flags(victim: TraffickingVictim) -> dict[str, Value]:
    found: dict[str, Value] = {}
    for entry in spec()["columns"]:
        if entry["kind"] != "flag":
            continue
        value = getattr(victim, entry["field"])
        held = set(value) if isinstance(value, list) else {value} - {None, "unknown"}
        parent = entry.get("within")
        if not held or (parent is not None and found.get(parent) != 1):
            found[entry["column"]] = MISSING
        else:
            found[entry["column"]] = int(bool(held & flag_codes(entry["column"])))
    return found


def values(victim: TraffickingVictim) -> dict[str, tuple[Value, ...]]:
    """Each column's value for ``victim``, finest first, then its coarser forms if any."""
    flags = _flags(victim)
    citizenships = victim.person.citizenships
    derived: dict[str, tuple[Value, ...]] = {
        "yearOfRegistration": _years(victim.registration_date),
        "gender": (_gender(victim),),
        "ageBroad": _ages(victim),
        "citizenship": (_ctdc("country", citizenships[0] if citizenships else None),),
        "CountryOfExploitation": (_exploited_in(victim),),
        "traffickMonths": _trafficked(victim),
    }
    return {name: derived.get(name) or (flags[name],) for name in columns()}


def ladder(victim: TraffickingVictim) -> dict[str, tuple[Value, ...]]:
    """Each column's value at every level of its dimension, finest first, the last ``-99``.

    >>> from casestd.testing import records
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(records("trafficking_victim"))
    ... def check(victim):
    ...     steps = ladder(victim)
    ...     assert all(v[-1] == MISSING for v in steps.values())
    >>> check()
    """
    found = values(victim)
    steps: dict[str, tuple[Value, ...]] = {}
    for dimension in dimensions():
        for name, drop in dimension.columns.items():
            known = found[name]
            steps[name] = tuple(
                known[min(level, len(known) - 1)] if level < drop else MISSING
                for level in range(len(dimension.levels))
            )
    return steps


def released(victim: TraffickingVictim) -> bool:
    """True when the victim's status is one CTDC counts (an actual or possible victim)."""
    return victim.status in spec()["released_statuses"]


@attrs.frozen
class Release:
    """The rows that may leave the ministry, and what it took to make them k-anonymous.

    ``records`` is the number of victims considered, ``suppressed`` how many of
    them were left out because their combination of values was shared by fewer
    than ``k`` rows even after generalisation; ``levels`` the level chosen for
    each column with a hierarchy.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...] = attrs.field(repr=False)
    records: int
    suppressed: int
    k: int
    levels: Mapping[str, str]
    max_suppressed: float
    excluded: int = 0

    @property
    def share_suppressed(self) -> float:
        """Suppressed rows as a share of the victims considered (0 when there were none)."""
        return self.suppressed / self.records if self.records else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: counts, k, the levels chosen and the columns (never the rows)."""
        return {
            "k": self.k,
            "records": self.records,
            "released": len(self.rows),
            "suppressed": self.suppressed,
            "share_suppressed": round(self.share_suppressed, 4),
            "max_suppressed": self.max_suppressed,
            "not_victims": self.excluded,
            "levels": dict(self.levels),
            "columns": list(self.columns),
        }


def anonymise(
    rows: Sequence[Mapping[str, Sequence[Value]]],
    *,
    k: int = DEFAULT_K,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    names: Sequence[str] | None = None,
    excluded: int = 0,
) -> Release:
    """Generalise, then suppress, the ``rows`` (from `ladder`) until every row is shared by k.

    Of all the combinations of levels of the `dimensions` (full-domain
    generalisation), the one that loses least precision (`Dimension.weight`)
    while leaving at most ``max_suppressed`` of the rows in classes smaller than
    ``k`` is chosen; those rows are suppressed. The combinations are tried in
    order of precision lost, so the first that fits is the optimum; the coarsest
    (every column ``-99``) always fits once there are k rows.
    ``names`` are the columns released (`columns` by default).
    """
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")
    if not 0 <= max_suppressed <= 1:
        raise ValueError("max_suppressed is a share from 0 to 1")
    names = tuple(names or columns())
    search = _Search(rows, names, k)
    node = search.best(max_suppressed * len(rows))
    released_rows = search.released(node)
    return Release(
        columns=names,
        rows=tuple(sorted(released_rows, key=_sort_key)),
        records=len(rows),
        suppressed=len(rows) - len(released_rows),
        k=k,
        levels={dim.name: dim.levels[level] for dim, level in zip(search.dims, node, strict=True)},
        max_suppressed=max_suppressed,
        excluded=excluded,
    )


class _Search:
    """The rows as small integers per dimension and level, and the cost of each node."""

    def __init__(self, rows: Sequence[Mapping[str, Sequence[Value]]], names: Sequence[str], k: int):
        self.names, self.k, self.rows = tuple(names), k, rows
        self.dims = [
            attrs.evolve(d, columns={c: n for c, n in d.columns.items() if c in names})
            for d in dimensions()
        ]
        self.dims = [d for d in self.dims if d.columns]
        #: dimension -> level -> the code of each row, times the dimension's radix, so that
        #: the sum over the dimensions is one integer key per row and node
        self.keys: list[list[list[int]]] = []
        radix = 1
        for dim in self.dims:
            per_level, distinct = [], []
            for level in range(len(dim.levels)):
                seen: dict[tuple[Value, ...], int] = {}
                found = [
                    seen.setdefault(tuple(row[c][level] for c in dim.columns), len(seen))
                    for row in rows
                ]
                per_level.append([code * radix for code in found])
                distinct.append(len(seen))
            self.keys.append(per_level)
            radix *= max(distinct[0], 1)  # a coarser level has no more values than the finest
        self.total = sum(dim.weight for dim in self.dims) or 1.0
        self.memo: dict[tuple[int, ...], int] = {}
        self.partials: dict[tuple[int, tuple[int, ...]], list[int]] = {}

    def best(self, limit: float) -> tuple[int, ...]:
        """The node of least loss that suppresses at most ``limit`` rows (else the top)."""
        nodes = sorted(
            itertools.product(*(range(dim.height + 1) for dim in self.dims)),
            key=lambda node: (self.loss(node), node),
        )
        if len(self.rows) < self.k:
            return nodes[-1]  # every row is suppressed whatever the levels
        for node in nodes:
            if self.suppressed(node) <= limit:
                return node
        return nodes[-1]

    def loss(self, node: tuple[int, ...]) -> float:
        """Precision lost (0 to 1): over the dimensions, by weight, the loss of each one's
        level (`Dimension.loss`)."""
        lost = sum(dim.weight * dim.loss[level] for dim, level in zip(self.dims, node, strict=True))
        return lost / self.total

    def row_keys(self, node: tuple[int, ...]) -> list[int]:
        """One integer per row: equal for two rows exactly when their values at ``node`` are.

        The sums over each third of the dimensions are kept (a few dozen lists), so a
        node costs two additions of lists rather than one per dimension.
        """
        third = -(-len(node) // 3) or 1
        parts = [node[start : start + third] for start in range(0, len(node), third)]
        sums = [self._partial(index * third, part) for index, part in enumerate(parts)]
        if not sums:
            return [0] * len(self.rows)
        keys = sums[0]
        for other in sums[1:]:
            keys = list(map(operator.add, keys, other))
        return keys

    def _partial(self, first: int, levels: tuple[int, ...]) -> list[int]:
        found = self.partials.get((first, levels))
        if found is None:
            found = [0] * len(self.rows)
            for offset, level in enumerate(levels):
                found = list(map(operator.add, found, self.keys[first + offset][level]))
            self.partials[(first, levels)] = found
        return found

    def suppressed(self, node: tuple[int, ...]) -> int:
        """How many rows are in classes smaller than k at ``node``."""
        if node not in self.memo:
            counts = Counter(self.row_keys(node))
            self.memo[node] = sum(n for n in counts.values() if n < self.k)
        return self.memo[node]

    def released(self, node: tuple[int, ...]) -> list[tuple[Value, ...]]:
        """The rows in classes of at least k at ``node``, written at its levels."""
        keys = self.row_keys(node)
        counts = Counter(keys)
        level_of = {c: node[d] for d, dim in enumerate(self.dims) for c in dim.columns}
        return [
            tuple(row[name][level_of[name]] for name in self.names)
            for row, key in zip(self.rows, keys, strict=True)
            if counts[key] >= self.k
        ]


def _sort_key(row: tuple[Value, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((isinstance(v, str), str(v)) for v in row)


def release(
    victims: Iterable[TraffickingVictim],
    *,
    k: int = DEFAULT_K,
    max_suppressed: float = DEFAULT_MAX_SUPPRESSED,
    only: Sequence[str] | None = None,
) -> Release:
    """The k-anonymous `Release` of ``victims`` in all columns, or in the columns ``only``."""
    rows = []
    excluded = 0
    for victim in victims:
        if released(victim):
            rows.append(ladder(victim))
        else:
            excluded += 1
    names = [name for name in columns() if not only or name in only]
    return anonymise(rows, k=k, max_suppressed=max_suppressed, names=names, excluded=excluded)


def write_csv(result: Release, out: IO[str]) -> None:
    """Write the released rows as CSV with CTDC's column names in the header."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)
