"""Disclosure control: small counts suppressed, with secondary suppression.

A published table of one indicator and period is its total and, per
breakdown, one *line* of cells that add up to the total (every breakdown is
exhaustive, "unknown" included); the trend's quarters are one more line
when they tile the period. A figure's *counts* are what an intruder could
read off or derive from it: the numerator (count, rate), the numerator and
its complement (share: those in the denominator but not in the numerator),
or the units measured (median, percentile, mean).

Primary suppression: a figure is suppressed when any of its counts is from 1
to ``threshold - 1`` (default 11, as CTDC). Secondary suppression, per line
whose total is published, until stable: a line with a suppressed cell gets
more suppressed cells, smallest first, until it has at least two and, for
each count, the suppressed cells together hold 0 or at least ``threshold``
(so the line cannot tell that any of them is small); when no cell is left to
add, the total is suppressed. A line under a suppressed total is held to the
same rule: other lines bound that total (the children and the victims of
unknown age add up to a published number), so it is no safer.

What this guarantees, for a published total: every suppressed count lies, for
an intruder who knows the published cells and the additivity, anywhere in
``[0, R]`` with ``R`` 0 or at least the threshold. ``tests/test_indicators_disclosure.py`` checks
this with linear programmes that try to recover every small count, of the
suppressed cells and of the crosses below, knowing all the links below.

Two kinds of link between tables are protected too. *Linked breakdowns*
(``breakdowns.json``: sex, age group, age band and the UNODC categories; region
and district) constrain each other, so the difference of published cells can
be a cross of two categories (all women minus adult women minus girls: the
women of unknown age). Each such cross is a cell of two more lines (the
category of one breakdown split by the other, both ways), computed from the
result's ``atoms``: a cross that is not itself a published cell is never
shown, but a small one is protected as if suppressed, and the line rule above
applies to these lines as to any other. *Indicators of one base* (the same
units and period date, such as every indicator over the victims identified in
the period) give back each other's counts: the denominator of the share of
identified victims who got shelter, by sex, is the number identified by sex,
and the share among those with a known detection date bounds it from below.
So the counts of each *base* (the units of one population and period date that
meet some conditions) are protected first, as a table of their own, the larger
bases first and each inheriting the cells hidden in the bases it lies inside
of; every indicator then hides the cells hidden in its bases, and its own
lines are protected as above. A cell hidden for an indicator's own sake (few
of the identified victims got compensation) does not hide the base's count.

Exclusion counts are published for the total only, each suppressed when from
1 to ``threshold - 1``. Zero is published: it is not a person. The crosses
(``atoms``) are not part of the published result.
"""

from __future__ import annotations

import copy
import itertools
import json
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from casestd.indicators.compute import Figure, Result

DEFAULT_THRESHOLD = 11
#: Crosses of linked breakdowns: one category of each, as a tuple.
Atoms = frozenset[tuple[str, ...]]


class DisclosureWarning(UserWarning):
    """Figures are published without disclosure control."""


def counts(figure: Figure, unit: str) -> tuple[int, ...]:
    """The counts an intruder could derive from a figure (see the module doc)."""
    numerator = figure.numerator or 0
    if unit == "share":
        denominator = int(figure.denominator or 0)
        return (numerator, denominator - numerator)
    return (numerator,)


@attrs.define
class Line:
    """Cells that add up to a total, for one indicator and period."""

    total: Figure
    cells: list[Figure]
    name: str


def lines_of(result: Result) -> tuple[list[Line], list[Figure]]:
    """Every line of the result's published tables, and the figures in no line."""
    by_key = {figure.key: figure for figure in result.figures}
    lines: list[Line] = []
    placed: set[tuple[str, str, str | None, str | None]] = set()
    main = result.period.text
    quarters = [
        p for p in result.trend if p.start >= result.period.start and p.end <= result.period.end
    ]
    tiles = (
        bool(quarters)
        and quarters[0].start == result.period.start
        and (quarters[-1].end == result.period.end)
        and len(quarters) > 1
    )
    for indicator in result.indicators:
        total = by_key[(indicator.id, main, None, None)]
        placed.add(total.key)
        for name in result.by[indicator.id]:
            cells = [
                f
                for f in result.figures
                if f.indicator == indicator.id and f.period == main and f.breakdown == name
            ]
            lines.append(Line(total, cells, name))
            placed.update(cell.key for cell in cells)
        if tiles:
            cells = [by_key[(indicator.id, q.text, None, None)] for q in quarters]
            lines.append(Line(total, cells, "trend"))
            placed.update(cell.key for cell in cells)
    loose = [figure for figure in result.figures if figure.key not in placed]
    return lines, loose


def cross_lines(
    result: Result, widths: Mapping[str, int] | None = None
) -> tuple[list[Line], list[Figure]]:
    """The lines of the crosses of linked breakdowns, and the unpublished crosses in them.

    For two linked breakdowns A and B of an indicator, each category a of A is
    a line of the crosses (a, b) over the categories b of B, and the other way
    round. A cross that holds the same units as a published figure (girls:
    female and under 18) is that figure; any other is a new, unpublished
    `Figure` (breakdown ``"A*B"``, category ``"a*b"``). Crosses without units
    are left out: as if the intruder knew they are empty. ``widths``: how many
    of an atom's tallies (numerator, in the denominator only) count as its
    units, by indicator (default: 2 for shares, else 1).
    """
    lines: list[Line] = []
    crosses: list[Figure] = []
    main = result.period.text
    units = {indicator.id: indicator.unit for indicator in result.indicators}
    for (indicator_id, names), atoms in sorted(result.atoms.items()):
        width = (widths or {}).get(indicator_id, 2 if units.get(indicator_id) == "share" else 1)
        held = {atom: tally for atom, tally in atoms.items() if any(tally[:width])}
        figures = {
            (f.breakdown, f.category): f
            for f in result.figures
            if f.indicator == indicator_id and f.period == main and f.breakdown in names
        }

        def members(name: str, code: str, held: Iterable[tuple[str, ...]] = held) -> Atoms:
            position = names.index(name)  # noqa: B023 - names and held go together
            return frozenset(atom for atom in held if atom[position] == code)

        known: dict[frozenset[tuple[str, ...]], Figure] = {}
        for (name, code), figure in figures.items():
            if name is not None and code is not None:
                known.setdefault(members(name, code), figure)
        for first, second in itertools.permutations(names, 2):
            for (name, code), total in figures.items():
                if name != first or code is None:
                    continue
                whole = members(first, code)
                cells: list[Figure] = []
                for (other, other_code), _ in figures.items():
                    if other != second or other_code is None:
                        continue
                    part = whole & members(second, other_code)
                    if not part:
                        continue
                    if part == whole:
                        cells = []
                        break  # the line is the total itself
                    cell = known.get(part)
                    if cell is None:
                        cell = _cross(total, first, second, code, other_code, part, held)
                        known[part] = cell
                        crosses.append(cell)
                    cells.append(cell)
                if len(cells) > 1:
                    lines.append(Line(total, cells, f"{first}*{second}"))
    return lines, crosses


def _cross(
    total: Figure,
    first: str,
    second: str,
    code: str,
    other: str,
    part: Iterable[tuple[str, ...]],
    held: Mapping[tuple[str, ...], list[int]],
) -> Figure:
    numerator = sum(held[atom][0] for atom in part)
    rest = sum(held[atom][1] for atom in part)
    return Figure(
        total.indicator,
        total.period,
        f"{first}*{second}",
        f"{code}*{other}",
        numerator,
        numerator + rest,
        None,
        status="cross",
    )


def scopes(indicator: Any, parameters: Mapping[str, int]) -> list[tuple[str, frozenset[str]]]:
    """The counts a figure of ``indicator`` reveals, each as (the figure's attribute that
    holds it, the conditions its units meet: parameters filled in)."""

    def text(condition: Any) -> str:
        data = condition.to_dict()
        if isinstance(data.get("value"), dict) and "param" in data["value"]:
            data["value"] = parameters[data["value"]["param"]]
        return json.dumps(data, sort_keys=True)

    scope = frozenset(text(c) for c in (*indicator.denominator, *indicator.numerator))
    if indicator.unit == "share":
        return [
            ("denominator", frozenset(text(c) for c in indicator.denominator)),
            ("numerator", scope),
        ]
    return [("numerator", scope)]


_Scope = tuple[str, str, frozenset[str]]


def _base_keys(result: Result, threshold: int) -> dict[_Scope, set[tuple[Any, ...]]]:
    """Per *base* (the units of one population and period date meeting some conditions), the
    cells whose count of those units must stay hidden.

    Indicators that reveal counts of the same units (victims identified; the
    denominator of the share of them who got shelter) must hide the same
    cells, and a base inside another (victims identified with a known
    detection date) must hide at least the cells of the larger one, or its
    published counts bound the hidden ones from below. So each base's counts
    are protected as a table of their own (its lines, crosses and trend), the
    larger bases first, each starting from the cells hidden in the bases it is
    inside of.
    """
    members: dict[_Scope, list[tuple[str, str]]] = {}
    for indicator in result.indicators:
        for part, conditions in scopes(indicator, result.parameters[indicator.id]):
            scope = (indicator.population, indicator.period_date, conditions)
            members.setdefault(scope, []).append((indicator.id, part))
    lines, _ = lines_of(result)
    hidden_keys: dict[_Scope, set[tuple[Any, ...]]] = {}
    for scope in sorted(members, key=lambda s: (len(s[2]), sorted(s[2]))):
        indicator_id, part = members[scope][0]
        width = 2 if part == "denominator" else 1
        linked, crosses = cross_lines(result, {indicator_id: width})
        mine = [ln for ln in [*lines, *linked] if ln.total.indicator == indicator_id]
        vectors: dict[int, tuple[int, ...]] = {}
        for figure in [*result.figures, *crosses]:
            if figure.indicator == indicator_id:
                value = figure.denominator if part == "denominator" else figure.numerator
                vectors[id(figure)] = (int(value or 0),)
        inherited = set().union(
            *(
                keys
                for other, keys in hidden_keys.items()
                if other[:2] == scope[:2] and other[2] < scope[2]
            )
        )
        hidden = {
            fid
            for figure in [*result.figures, *crosses]
            if (fid := id(figure)) in vectors
            and (figure.key[1:] in inherited or 0 < vectors[fid][0] < threshold)
        }
        changed = True
        while changed:
            changed = False
            for line in mine:
                changed |= _protect_line(line, hidden, vectors, threshold)
        hidden_keys[scope] = {
            f.key[1:] for f in result.figures if id(f) in hidden and f.status != "cross"
        } | {f.key[1:] for f in crosses if id(f) in hidden}
    return hidden_keys


def _base_hidden(result: Result, threshold: int) -> set[tuple[Any, ...]]:
    """The keys (indicator, period, breakdown, category) hidden for the bases' sake."""
    keys = _base_keys(result, threshold)
    found = set()
    for indicator in result.indicators:
        for _, conditions in scopes(indicator, result.parameters[indicator.id]):
            scope = (indicator.population, indicator.period_date, conditions)
            found |= {(indicator.id, *key) for key in keys.get(scope, ())}
    return found


def _hide(figure: Figure) -> None:
    figure.status = "suppressed"
    figure.value = None
    figure.numerator = None
    if figure.denominator is not None and not isinstance(figure.denominator, float):
        figure.denominator = None
    figure.total_amd = None
    figure.excluded = {}
    figure.measured = type(figure.measured)()


def suppress(result: Result, threshold: int = DEFAULT_THRESHOLD) -> Result:
    """A copy of ``result`` safe to publish: small counts and what would give them back hidden."""
    if threshold < 2:
        raise ValueError("the threshold must be at least 2")
    safe = copy.deepcopy(result)
    safe.atoms = {}
    units = {indicator.id: indicator.unit for indicator in safe.indicators}
    lines, loose = lines_of(safe)
    linked, crosses = cross_lines(result)
    by_key = {figure.key: figure for figure in safe.figures}
    for line in linked:  # the same lines over the copy's figures (crosses stay apart)
        line.total = by_key[line.total.key]
        line.cells = [by_key.get(cell.key, cell) for cell in line.cells]
    everything = [*lines, *linked]
    hidden: set[int] = set()
    primary = 0
    vectors = {id(f): counts(f, units[f.indicator]) for f in [*safe.figures, *crosses]}

    def small(figure: Figure) -> bool:
        return any(0 < c < threshold for c in vectors[id(figure)])

    for figure in safe.figures:
        if small(figure):
            hidden.add(id(figure))
            primary += 1
    for_bases = _base_hidden(result, threshold)
    hidden |= {id(f) for f in [*safe.figures, *crosses] if f.key in for_bases}
    hidden |= {id(cross) for cross in crosses if small(cross)}
    changed = True
    while changed:
        changed = False
        for line in everything:
            changed |= _protect_line(line, hidden, vectors, threshold)
    hidden -= {id(cross) for cross in crosses}
    secondary = len(hidden) - primary
    totals = {id(line.total) for line in lines} | {id(f) for f in loose if f.breakdown is None}
    for figure in safe.figures:
        if id(figure) in hidden:
            _hide(figure)
        elif id(figure) in totals:
            figure.excluded = {
                reason: n for reason, n in figure.excluded.items() if not 0 < n < threshold
            }
            dropped = len(result.figure(figure.indicator, None, None, figure.period).excluded) - (
                len(figure.excluded)
            )
            if dropped:
                figure.excluded["suppressed"] = dropped
        else:
            figure.excluded = {}
        figure.measured = type(figure.measured)()
    safe.suppression = {
        "threshold": threshold,
        "suppressed": len(hidden),
        "primary": primary,
        "secondary": secondary,
    }
    return safe


def _protect_line(
    line: Line, hidden: set[int], vectors: dict[int, tuple[int, ...]], threshold: int
) -> bool:
    changed = False
    chosen = [cell for cell in line.cells if id(cell) in hidden]
    if not chosen and id(line.total) not in hidden:
        return False
    # a hidden total is no safer than a published one: other lines bound it (the
    # children and the victims of unknown age add up to a published number)
    while True:
        width = len(vectors[id(line.total)])
        sums = [sum(vectors[id(cell)][i] for cell in chosen) for i in range(width)]
        if len(chosen) >= 2 and all(s == 0 or s >= threshold for s in sums):
            return changed
        open_cells = [cell for cell in line.cells if id(cell) not in hidden]
        nonzero = [cell for cell in open_cells if any(vectors[id(cell)])]
        if nonzero:
            pick = min(nonzero, key=lambda cell: (sum(vectors[id(cell)]), cell.category or ""))
        elif len(chosen) >= 2:
            return changed  # every nonzero cell is hidden: the line sums to the total
        elif open_cells:
            pick = open_cells[0]
        else:
            hidden.add(id(line.total))
            return True
        hidden.add(id(pick))
        chosen.append(pick)
        changed = True


def publish(result: Result, threshold: int | None = DEFAULT_THRESHOLD) -> Result:
    """``suppress`` with ``threshold``; ``None`` publishes every figure, with a warning."""
    if threshold is None:
        warnings.warn(
            "disclosure control is off: small counts can identify victims; "
            "do not let these figures leave the ministry",
            DisclosureWarning,
            stacklevel=2,
        )
        safe = copy.deepcopy(result)
        safe.suppression = {"threshold": None, "suppressed": 0}
        return safe
    return suppress(result, threshold)


def figures_of(result: Result, indicator: str, breakdown: str | None) -> Sequence[Figure]:
    """The main-period figures of one indicator and breakdown (None: the total)."""
    return [
        f
        for f in result.figures
        if f.indicator == indicator and f.period == result.period.text and f.breakdown == breakdown
    ]
