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
add, the total is suppressed. A suppressed total has its own counts hidden
and every line under it keeps at least one suppressed cell.

What this guarantees, for a published total: every suppressed count lies, for
an intruder who knows the published cells and the additivity, anywhere in
``[0, R]`` with ``R`` 0 or at least the threshold; with a suppressed total,
nothing bounds it from above. ``tests/test_indicators_disclosure.py`` checks
this with a linear programme that tries to recover every suppressed cell.

Exclusion counts are published for the total only, each suppressed when from
1 to ``threshold - 1``. Zero is published: it is not a person.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence

import attrs

from casestd.indicators.compute import Figure, Result

DEFAULT_THRESHOLD = 11


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
    units = {indicator.id: indicator.unit for indicator in safe.indicators}
    lines, loose = lines_of(safe)
    hidden: set[int] = set()
    primary = 0
    vectors = {id(f): counts(f, units[f.indicator]) for f in safe.figures}

    def small(figure: Figure) -> bool:
        return any(0 < c < threshold for c in vectors[id(figure)])

    for figure in safe.figures:
        if small(figure):
            hidden.add(id(figure))
            primary += 1
    changed = True
    while changed:
        changed = False
        for line in lines:
            changed |= _protect_line(line, hidden, vectors, threshold)
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
    if id(line.total) in hidden:
        # one hidden cell is enough: nothing bounds the line from above
        nonzero = [cell for cell in line.cells if any(vectors[id(cell)])]
        if chosen or not nonzero:
            return False
        hidden.add(id(min(nonzero, key=lambda cell: sum(vectors[id(cell)]))))
        return True
    if not chosen:
        return False
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
