"""Disclosure control: no small count is published, and none can be recovered.

The recovery test plays the intruder: it knows every published figure, that
each breakdown (and the trend's quarters) adds up to the total, and that counts
are whole numbers of at least 0. For every suppressed count it solves two
linear programmes (scipy's HiGHS), the least and the greatest value the
published table allows, and fails when they meet (the cell is recovered) or
when, under a published total, the greatest possible value is below the
threshold (the table tells the cell is small).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from casestd.indicators import DisclosureWarning, Period, compute, publish, suppress
from casestd.indicators.compute import Figure, Result
from casestd.indicators.disclosure import counts, lines_of
from casestd.testing.casework import casework, typed

THRESHOLD = 11


def _attack(exact: Result, published: Result, threshold: int) -> list[str]:
    """Every suppressed count the intruder can pin down or prove small."""
    units = {i.id: i.unit for i in exact.indicators}
    truth = {f.key: counts(f, units[f.indicator]) for f in exact.figures}
    shown = {f.key: f for f in published.figures}
    lines, _ = lines_of(published)
    problems = []
    for indicator in published.indicators:
        mine = [ln for ln in lines if ln.total.indicator == indicator.id]
        keys = {ln.total.key for ln in mine} | {c.key for ln in mine for c in ln.cells}
        width = len(truth[next(iter(keys))])
        for part in range(width):
            unknown = sorted((k for k in keys if shown[k].status == "suppressed"), key=str)
            if not unknown:
                continue
            index = {k: i for i, k in enumerate(unknown)}
            rows, rhs = [], []
            for line in mine:  # total - sum(cells) = 0, with the published values moved right
                if truth[line.total.key][part] != sum(truth[c.key][part] for c in line.cells):
                    continue  # not additive (a referral's outcome depends on the period end)
                row = [0.0] * len(unknown)
                constant = 0.0
                for key, sign in [(line.total.key, 1.0)] + [(c.key, -1.0) for c in line.cells]:
                    if key in index:
                        row[index[key]] += sign
                    else:
                        constant -= sign * truth[key][part]
                rows.append(row)
                rhs.append(constant)
            for key in unknown:
                goal = [0.0] * len(unknown)
                goal[index[key]] = 1.0
                low = linprog(goal, A_eq=rows, b_eq=rhs, bounds=(0, None), method="highs")
                high = linprog(
                    [-g for g in goal], A_eq=rows, b_eq=rhs, bounds=(0, None), method="highs"
                )
                assert low.status == 0, "the published table must be consistent"
                small = 0 < truth[key][part] < threshold
                if not small:
                    continue
                if high.status == 3:  # unbounded above
                    continue
                lo, hi = round(low.fun), round(-high.fun)
                if lo == hi:
                    problems.append(f"{key} part {part} recovered as {lo}")
                elif hi < threshold:
                    problems.append(f"{key} part {part} shown to be at most {hi}")
    return problems


def _published_counts(published: Result, threshold: int) -> list[str]:
    units = {i.id: i.unit for i in published.indicators}
    return [
        str(f.key)
        for f in published.figures
        if f.status != "suppressed"
        and any(0 < c < threshold for c in counts(f, units[f.indicator]))
    ]


@functools.cache
def _exact() -> Result:
    work = casework(500, seed=5)
    return compute([typed(e, p) for e, p in work.records], period="2025", trend=4)


def test_no_small_count_is_published_or_recoverable_on_casework() -> None:
    exact = _exact()
    published = suppress(exact, THRESHOLD)
    assert published.suppression and published.suppression["suppressed"] > 0
    assert _published_counts(published, THRESHOLD) == []
    assert _attack(exact, published, THRESHOLD) == []


def test_suppressed_figures_are_marked_never_zero() -> None:
    published = suppress(_exact(), THRESHOLD)
    hidden = [f for f in published.figures if f.status == "suppressed"]
    assert hidden
    assert all(f.value is None and f.numerator is None for f in hidden)


def test_exclusion_counts_are_suppressed_too() -> None:
    published = suppress(_exact(), THRESHOLD)
    for figure in published.figures:
        assert all(
            n == 0 or n >= THRESHOLD for r, n in figure.excluded.items() if r != "suppressed"
        )


def _result(unit: str, lines: list[list[tuple[int, int]]]) -> Result:
    """A synthetic result: one indicator, total and one line per breakdown."""
    from casestd.indicators import catalogue
    from casestd.indicators.variables import Reading

    indicator = catalogue.get("victims_identified" if unit == "count" else "recognition_rate")
    names = list(indicator.breakdowns)[: len(lines)]
    period = Period.parse("2025")

    def figure(name: str | None, code: str | None, num: int, rest: int) -> Figure:
        den = num + rest if unit == "share" else None
        return Figure(indicator.id, "2025", name, code, num, den, float(num))

    total = (sum(n for n, _ in lines[0]), sum(r for _, r in lines[0]))
    figures = [figure(None, None, *total)]
    for name, cells in zip(names, lines, strict=False):
        codes = catalogue.breakdown(name).codes()
        for code, (num, rest) in zip(codes, cells, strict=False):
            figures.append(figure(name, code, num, rest))
    return Result(
        period,
        (),
        (indicator,),
        {indicator.id: tuple(names)},
        {indicator.id: {}},
        figures,
        Reading(),
    )


def _lines(draw: Any, width: int) -> list[list[tuple[int, int]]]:
    size = draw(st.integers(2, 3))
    cells = draw(
        st.lists(
            st.tuples(st.integers(0, 30), st.integers(0, 30 if width else 0)),
            min_size=size,
            max_size=size,
        )
    )
    total = [sum(c[i] for c in cells) for i in range(2)]
    lines = [cells]
    for _ in range(draw(st.integers(0, 2))):  # more breakdowns of the same units
        split = []
        left = list(total)
        for position in range(size - 1):
            part = (draw(st.integers(0, left[0])), draw(st.integers(0, left[1])))
            split.append(part)
            left = [left[0] - part[0], left[1] - part[1]]
            del position
        split.append((left[0], left[1]))
        lines.append(split)
    return lines


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(["count", "share"]), st.integers(3, 11))
def test_recovery_fails_on_random_tables(data: Any, unit: str, threshold: int) -> None:
    lines = _lines(data.draw, 1 if unit == "share" else 0)
    exact = _result(unit, lines)
    published = suppress(exact, threshold)
    assert _published_counts(published, threshold) == []
    assert _attack(exact, published, threshold) == []


def test_turning_it_off_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        published = publish(_exact(), None)
    assert any(issubclass(w.category, DisclosureWarning) for w in caught)
    assert published.suppression == {"threshold": None, "suppressed": 0}


def test_threshold_must_be_sensible() -> None:
    with pytest.raises(ValueError):
        suppress(_exact(), 1)
