"""Disclosure control: no small count is published, and none can be recovered.

The recovery test plays the intruder: it knows every published figure, that
each breakdown (and the trend's quarters) adds up to the total, how linked
breakdowns nest (`_Intruder`: every cross of sex, age group, age band and the
UNODC categories, of region and district), that indicators of the same units
count them alike, and that counts are at least 0. For every small count of a
suppressed figure, and of an unpublished cross, it solves two linear
programmes (scipy's HiGHS), the least and the greatest value the published
tables allow, and fails when they meet (the count is recovered) or when the
greatest is below the threshold (the tables tell it is small).
"""

from __future__ import annotations

import functools
import itertools
import warnings
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from casestd.indicators import DisclosureWarning, Period, catalogue, compute, publish, suppress
from casestd.indicators.compute import Figure, Result
from casestd.indicators.disclosure import counts, cross_lines, lines_of, scopes
from casestd.testing.casework import casework, typed

THRESHOLD = 11


class _Intruder:
    """What an intruder can infer from one group of indicators (one population and date).

    Variables (>= 0), per indicator and count (the numerator; for a share also
    the units in the denominator only): the total of each period, a cross of
    each group of linked breakdowns (all the crosses any indicator of the group
    has, so that indicators over the same units line up), a category of each
    other breakdown. Equations: each breakdown and the crosses add up to the
    total, the quarters to the year (when that is true), every published
    figure fixes its counts, and indicators that count the same units (by
    their conditions) are equal place by place; a base inside another is at
    most it. The intruder is told which crosses have units at all.
    """

    def __init__(self, exact: Result, published: Result, group: list[Any]) -> None:
        self.size = 0
        self.equal: list[tuple[dict[int, float], float]] = []
        self.below: list[dict[int, float]] = []
        self.exact, self.published = exact, published
        self.units = {i.id: i.unit for i in group}
        self.columns: dict[tuple[Any, ...], int] = {}
        self.families: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for (indicator_id, names), atoms in exact.atoms.items():
            if indicator_id in self.units:
                merged = set(self.families.get(names, [])) | set(atoms)
                self.families[names] = sorted(merged)
        for indicator in group:
            self._tables(indicator)
        self._bases(group)

    def width(self, indicator_id: str) -> int:
        return 2 if self.units[indicator_id] == "share" else 1

    def family(self, indicator_id: str, name: str) -> tuple[str, ...] | None:
        for names in self.families:
            if name in names and (indicator_id, names) in self.exact.atoms:
                return names
        return None

    def var(self, *key: Any) -> dict[int, float]:
        if key not in self.columns:
            self.columns[key] = self.size
            self.size += 1
        return {self.columns[key]: 1.0}

    def cell(self, figure_key: tuple[Any, ...], part: int) -> dict[int, float]:
        """The count ``part`` of a figure (indicator, period, breakdown, category) or a cross
        (breakdown ``A*B``, category ``a*b``)."""
        indicator_id, period, name, code = figure_key
        if name is None:
            return self.var(indicator_id, period, part)
        names = self.family(indicator_id, name.split("*")[0])
        if names is None:
            return self.var(indicator_id, name, code, part)
        wanted = dict(zip(name.split("*"), code.split("*"), strict=True))
        return _sum(
            *(
                self.var(indicator_id, names, atom, part)
                for atom in self.families[names]
                if all(atom[names.index(n)] == c for n, c in wanted.items())
            )
        )

    def _adds_up(self, total: dict[int, float], parts: list[dict[int, float]]) -> None:
        self.equal.append((_sum(*parts, _minus(total)), 0.0))

    def _tables(self, indicator: Any) -> None:
        main = self.exact.period.text
        for part in range(self.width(indicator.id)):
            total = self.var(indicator.id, main, part)
            for names in self.families:
                if (indicator.id, names) in self.exact.atoms:
                    self._adds_up(
                        total,
                        [self.var(indicator.id, names, a, part) for a in self.families[names]],
                    )
            for name in self.published.by[indicator.id]:
                if self.family(indicator.id, name) is None:
                    codes = catalogue.breakdown(name).codes()
                    self._adds_up(total, [self.var(indicator.id, name, c, part) for c in codes])
        lines, _ = lines_of(self.exact)
        for line in lines:
            if line.total.indicator != indicator.id or line.name != "trend":
                continue
            for part in range(self.width(indicator.id)):
                truth = [counts(f, indicator.unit)[part] for f in (line.total, *line.cells)]
                if truth[0] == sum(truth[1:]):  # a referral's outcome depends on the period end
                    self._adds_up(
                        self.cell(line.total.key, part),
                        [self.cell(c.key, part) for c in line.cells],
                    )
        for figure in self.published.figures:
            if figure.indicator == indicator.id and figure.status != "suppressed":
                for part, value in enumerate(counts(figure, indicator.unit)):
                    self.equal.append((self.cell(figure.key, part), float(value)))

    def _places(self, one: str, two: str) -> list[tuple[Any, ...]]:
        """Where two indicators' counts can be compared: totals, crosses, categories."""
        places: list[tuple[Any, ...]] = [
            (p.text, None, None) for p in (self.exact.period, *self.exact.trend)
        ]
        main = self.exact.period.text
        for names, atoms in self.families.items():
            if all((i, names) in self.exact.atoms for i in (one, two)):
                places += [("atom", names, atom) for atom in atoms]
        for name in set(self.published.by[one]) & set(self.published.by[two]):
            if self.family(one, name) is None and self.family(two, name) is None:
                places += [(main, name, code) for code in catalogue.breakdown(name).codes()]
        return places

    def base(self, indicator_id: str, part: str, place: tuple[Any, ...]) -> dict[int, float]:
        """The count of a base (numerator; or numerator and the rest) at a place."""
        parts = range(self.width(indicator_id)) if part == "denominator" else range(1)
        if place[0] == "atom":
            return _sum(*(self.var(indicator_id, place[1], place[2], p) for p in parts))
        return _sum(*(self.cell((indicator_id, *place), p) for p in parts))

    def _bases(self, group: list[Any]) -> None:
        found = [
            (indicator.id, part, conditions)
            for indicator in group
            for part, conditions in scopes(indicator, self.exact.parameters[indicator.id])
        ]
        for (one, part, conditions), (two, other_part, other) in itertools.permutations(found, 2):
            if one == two or not conditions >= other:
                continue
            for place in self._places(one, two):
                difference = _sum(
                    self.base(one, part, place), _minus(self.base(two, other_part, place))
                )
                if conditions == other:
                    self.equal.append((difference, 0.0))
                else:
                    self.below.append(difference)

    def bounds(self, goal: dict[int, float]) -> tuple[float, float | None]:
        """The least and the greatest value of ``goal`` (None: unbounded above)."""
        if getattr(self, "_built", None) != self.size:  # a goal may add a variable
            self._built = self.size
            self._matrices = (
                _matrix([row for row, _ in self.equal], self.size),
                _matrix(self.below, self.size),
            )
        equal, below = self._matrices
        answers = []
        for sign in (1.0, -1.0):
            objective = [0.0] * self.size
            for column, value in goal.items():
                objective[column] = sign * value
            answer = linprog(
                objective,
                A_eq=equal if self.equal else None,
                b_eq=[rhs for _, rhs in self.equal] if self.equal else None,
                A_ub=below if self.below else None,
                b_ub=[0.0] * len(self.below) if self.below else None,
                bounds=(0, None),
                method="highs",
            )
            assert answer.status in (0, 3), "the published tables must be consistent"
            answers.append(None if answer.status == 3 else sign * answer.fun)
        low, high = answers
        assert low is not None
        return low, high


def _matrix(rows: list[dict[int, float]], size: int) -> Any:
    found = lil_matrix((max(1, len(rows)), size))
    for number, row in enumerate(rows):
        for column, value in row.items():
            found[number, column] = value
    return found.tocsr()


def _sum(*terms: dict[int, float]) -> dict[int, float]:
    found: dict[int, float] = {}
    for term in terms:
        for column, value in term.items():
            found[column] = found.get(column, 0.0) + value
    return {column: value for column, value in found.items() if value}


def _minus(term: dict[int, float]) -> dict[int, float]:
    return {column: -value for column, value in term.items()}


def _attack(exact: Result, published: Result, threshold: int, first: bool = False) -> list[str]:
    """Every small count the intruder can pin down or prove small: of a suppressed figure,
    or of an unpublished cross of two linked breakdowns."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for indicator in exact.indicators:
        groups.setdefault((indicator.population, indicator.period_date), []).append(indicator)
    shown = {f.key: f for f in published.figures}
    _, crosses = cross_lines(exact)
    problems = []
    for group in groups.values():
        intruder = _Intruder(exact, published, group)
        ids = {i.id for i in group}
        targets = [
            f for f in exact.figures if f.indicator in ids and shown[f.key].status == "suppressed"
        ]
        targets += [c for c in crosses if c.indicator in ids]
        for figure in targets:
            for part, true in enumerate(counts(figure, intruder.units[figure.indicator])):
                if not 0 < true < threshold:
                    continue
                low, high = intruder.bounds(intruder.cell(figure.key, part))
                if high is None:
                    continue
                if round(low) == round(high):
                    problems.append(f"{figure.key} part {part} recovered as {round(low)}")
                elif high < threshold - 1e-6:
                    problems.append(f"{figure.key} part {part} shown to be at most {high:.0f}")
                if first and problems:
                    return problems
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
def _exact(victims: int = 500, seed: int = 5, period: str = "2025") -> Result:
    work = casework(victims, seed=seed)
    return compute([typed(e, p) for e, p in work.records], period=period, trend=4)


@pytest.mark.parametrize(("victims", "seed", "period"), [(500, 5, "2025"), (800, 1, "2025Q3")])
def test_no_small_count_is_published_or_recoverable_on_casework(
    victims: int, seed: int, period: str
) -> None:
    exact = _exact(victims, seed, period)
    published = suppress(exact, THRESHOLD)
    assert published.suppression and published.suppression["suppressed"] > 0
    assert published.atoms == {} and exact.atoms  # the crosses are not published
    assert _published_counts(published, THRESHOLD) == []
    assert _attack(exact, published, THRESHOLD) == []


def test_linked_tables_are_what_the_intruder_would_use() -> None:
    """Protecting each table alone leaves counts that the links give back."""
    exact = _exact(800, 1, "2025Q3")
    alone = suppress(attrs.evolve(exact, atoms={}), THRESHOLD)  # no crosses to protect
    assert _attack(exact, alone, THRESHOLD, first=True)


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
