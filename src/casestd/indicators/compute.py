"""Compute the catalogue's indicators over typed records: figures with their working.

`compute` reads the records once (`casestd.indicators.variables.Collector`),
then evaluates each indicator per unit: out of scope, excluded (with a
reason), in the denominator, or in the numerator (with a value for medians,
percentiles and means). Each `Figure` carries its numerator, denominator and
exclusions, for the total and for each category of each breakdown asked for,
and for each trend period. Figures here are exact; `casestd.indicators.disclosure`
makes them safe to publish.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from casestd.indicators import catalogue
from casestd.indicators.catalogue import Condition, Indicator
from casestd.indicators.period import Period
from casestd.indicators.variables import Collector, Reading

_OUT, _EXCLUDED, _DENOMINATOR, _NUMERATOR = 0, 1, 2, 3


@attrs.define
class Figure:
    """One number of the report: an indicator, for one period, total or one category.

    ``breakdown`` and ``category`` are None for the total. ``numerator`` is
    the count (or the units measured, for medians and means); ``denominator``
    the base of a share (population for a rate, units for a mean, None for a
    count); ``excluded`` counts units left out, by reason id. ``status`` is
    ``ok``, ``no_data`` (nothing to compute from) or ``suppressed``
    (`casestd.indicators.disclosure`); a suppressed figure has no value.
    """

    indicator: str
    period: str
    breakdown: str | None
    category: str | None
    numerator: int | None
    denominator: int | float | None
    value: float | None
    excluded: dict[str, int] = attrs.Factory(dict)
    status: str = "ok"
    total_amd: int | None = None
    measured: Counter[int] = attrs.field(factory=Counter, repr=False)

    @property
    def key(self) -> tuple[str, str, str | None, str | None]:
        return (self.indicator, self.period, self.breakdown, self.category)

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "period": self.period,
            "breakdown": self.breakdown,
            "category": self.category,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "excluded": dict(sorted(self.excluded.items())),
            "status": self.status,
        }


@attrs.define
class Result:
    """Every figure computed, and what was read to compute them."""

    period: Period
    trend: tuple[Period, ...]
    indicators: tuple[Indicator, ...]
    by: Mapping[str, tuple[str, ...]]
    parameters: Mapping[str, Mapping[str, int]]
    figures: list[Figure]
    reading: Reading
    invalid: Counter[str] = attrs.Factory(Counter)
    suppression: Mapping[str, Any] | None = None
    #: The crosses of linked breakdowns, never published: (indicator id, breakdown ids) ->
    #: {categories, one per breakdown: [numerator, in the denominator only]}, for the main
    #: period. Disclosure control reads them and leaves them out of what it publishes.
    atoms: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], list[int]]] = attrs.Factory(dict)

    def figure(
        self,
        indicator: str,
        breakdown: str | None = None,
        category: str | None = None,
        period: str | None = None,
    ) -> Figure:
        key = (indicator, period or self.period.text, breakdown, category)
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)


def _param(value: Any, parameters: Mapping[str, int]) -> Any:
    if isinstance(value, dict) and "param" in value:
        return parameters[value["param"]]
    return value


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "in": lambda value, target: value in target,
    "le": operator.le,
    "lt": operator.lt,
    "ge": operator.ge,
    "gt": operator.gt,
}

#: A compiled condition: True, False, or the exclusion reason id when the variable is unknown.
Test = Callable[[Mapping[str, Any]], "bool | str"]


def _compiled(condition: Condition, parameters: Mapping[str, int]) -> Test:
    """``condition`` as a function of a unit, its parameters resolved once."""
    if condition.any:
        # unknown alternatives count as not met: the condition's ``otherwise`` decides
        alternatives = [_compiled(item, parameters) for item in condition.any]
        return lambda unit: any(test(unit) is True for test in alternatives)
    name, unknown = condition.var or "", f"unknown:{condition.var}"
    if condition.op == "not_null":
        return lambda unit: True if unit.get(name) is not None else unknown
    missing: bool | str = False if condition.missing == "false" else unknown
    if condition.op == "is_true":
        return lambda unit: missing if (value := unit.get(name)) is None else value is True
    compare, target = _COMPARE[condition.op], _param(condition.value, parameters)

    def test(unit: Mapping[str, Any]) -> bool | str:
        value = unit.get(name)
        return missing if value is None else bool(compare(value, target))

    return test


Evaluator = Callable[[Mapping[str, Any]], tuple[int, "str | None"]]


def evaluator(indicator: Indicator, period: Period, parameters: Mapping[str, int]) -> Evaluator:
    """A function giving (state, exclusion reason) of a unit for one indicator and period."""
    when = indicator.period_date
    undated = (_EXCLUDED, f"unknown:{when}")
    conditions = indicator.denominator if indicator.denominator else indicator.numerator
    scope = [
        (_compiled(c, parameters), c.otherwise == "exclude", c.reason or "excluded")
        for c in conditions
    ]
    numerator = [_compiled(c, parameters) for c in indicator.numerator]
    shared = bool(indicator.denominator)
    start, end = period.start, period.end
    out: tuple[int, str | None] = (_OUT, None)

    def state(unit: Mapping[str, Any]) -> tuple[int, str | None]:
        day = unit.get(when)
        if day is None:
            # in scope but for its date? then it is excluded, not silently left out
            for test, _, _ in scope:
                if test(unit) is not True:
                    return out
            return undated
        if not (isinstance(day, dt.date) and start <= day <= end):
            return out
        for test, exclude, reason in scope:
            result = test(unit)
            if result is True:
                continue
            if result is False:
                return (_EXCLUDED, reason) if exclude else out
            return _EXCLUDED, result
        if not shared:
            return _NUMERATOR, None
        for test in numerator:
            result = test(unit)
            if result is False:
                return _DENOMINATOR, None
            if result is not True:
                return _EXCLUDED, result
        return _NUMERATOR, None

    return state


@attrs.define
class _Cell:
    numerator: int = 0
    denominator: int = 0
    excluded: Counter[str] = attrs.Factory(Counter)
    values: Counter[int] = attrs.Factory(Counter)
    total: int = 0


def percentile(values: Counter[int], share: float) -> float:
    """The nearest-rank percentile of a multiset of integers (``share`` 0.5 = median).

    The median of an even count is the mean of the two middle values.

    >>> percentile(Counter({1: 1, 2: 1, 10: 2}), 0.5)
    6.0
    >>> percentile(Counter({3: 9, 40: 1}), 0.9)
    3.0
    """
    count = sum(values.values())
    ordered = sorted(values.items())

    def at(rank: int) -> int:  # 1-based rank
        seen = 0
        for value, times in ordered:
            seen += times
            if seen >= rank:
                return value
        raise AssertionError("rank beyond the values")

    if share == 0.5 and count % 2 == 0:
        return (at(count // 2) + at(count // 2 + 1)) / 2
    return float(at(max(1, math.ceil(share * count))))


def _figure(
    indicator: Indicator,
    period: str,
    breakdown: str | None,
    category: str | None,
    cell: _Cell,
    population: float | None,
) -> Figure:
    unit = indicator.unit
    value: float | None = None
    numerator: int | None = cell.numerator
    denominator: int | float | None = None
    total_amd = None
    if unit == "count":
        value = float(cell.numerator)
    elif unit == "share":
        denominator = cell.denominator + cell.numerator
        value = 100.0 * cell.numerator / denominator if denominator else None
    elif unit in ("median_days", "p90_days"):
        denominator = cell.numerator
        if cell.numerator:
            value = percentile(cell.values, 0.5 if unit == "median_days" else 0.9)
    elif unit == "rate_per_100000":
        denominator = population
        if population:
            value = 100_000.0 * cell.numerator / population
    elif unit == "mean_amd":
        denominator = cell.numerator
        total_amd = cell.total
        value = cell.total / cell.numerator if cell.numerator else None
    status = "ok" if value is not None else "no_data"
    excluded = dict(cell.excluded)
    if unit == "rate_per_100000" and population is None:
        excluded["population:missing"] = cell.numerator
    figure = Figure(
        indicator.id,
        period,
        breakdown,
        category,
        numerator,
        denominator,
        value,
        excluded,
        status,
        total_amd,
    )
    figure.measured = cell.values
    return figure


def resolve_parameters(
    indicators: Sequence[Indicator], given: Mapping[str, int] | None
) -> dict[str, dict[str, int]]:
    """Each indicator's parameters: defaults, overridden by ``{"id.name": value}``
    or ``{"name": value}`` (every indicator with a parameter of that name)."""
    given = dict(given or {})
    found: dict[str, dict[str, int]] = {}
    known = set()
    for indicator in indicators:
        values = {}
        for name, parameter in indicator.parameters.items():
            known |= {name, f"{indicator.id}.{name}"}
            values[name] = given.get(f"{indicator.id}.{name}", given.get(name, parameter.default))
        found[indicator.id] = values
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValueError(f"unknown parameter(s): {', '.join(unknown)}")
    return found


def _breakdowns_for(indicator: Indicator, by: Sequence[str] | None) -> tuple[str, ...]:
    if by is None:
        return indicator.breakdowns
    return tuple(b for b in by if b in indicator.breakdowns)


@attrs.frozen
class Plan:
    """What to compute, resolved: the periods, indicators, breakdowns and parameters.

    `plan` makes one; `collector` the `Collector` that reads records for it
    (several may read parts of the input and `Collector.merge`); `summarise`
    turns a collector into the `Result`.
    """

    period: Period
    trend: tuple[Period, ...]
    indicators: tuple[Indicator, ...]
    by: Sequence[str] | None
    values: Mapping[str, Mapping[str, int]]

    def collector(self) -> Collector:
        """An empty collector of the records this plan needs."""
        span_start = min([self.period.start, *(p.start for p in self.trend)])
        span = Period("range", f"{span_start}..{self.period.end}", span_start, self.period.end)
        months_back = self.values.get("reidentified_24m", {}).get("months", 24)
        linkage = any(
            i.population in ("person", "overlap") or i.id == "reidentified_24m"
            for i in self.indicators
        )
        return Collector(span, months_back=months_back, linkage=linkage)


def plan(
    *,
    period: Period | str,
    by: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    parameters: Mapping[str, int] | None = None,
    trend: int = 0,
) -> Plan:
    """Resolve what `compute` is asked for; unknown ids and parameters are errors."""
    if isinstance(period, str):
        period = Period.parse(period)
    chosen = [catalogue.get(i) for i in indicators] if indicators else catalogue.indicators()
    for name in by or ():
        catalogue.breakdown(name)  # unknown breakdown: an error, not silence
    values = resolve_parameters(chosen, parameters)
    trend_periods = tuple(period.previous_quarters(trend)) if trend else ()
    return Plan(period, trend_periods, tuple(chosen), tuple(by) if by else None, values)


def summarise(
    planned: Plan,
    collector: Collector,
    *,
    population: Any = None,
    invalid: Mapping[str, int] | None = None,
) -> Result:
    """The figures of a plan over what a collector read."""
    figures: list[Figure] = []
    by_population: dict[str, list[Indicator]] = {}
    for indicator in planned.indicators:
        by_population.setdefault(indicator.population, []).append(indicator)
    period, by, values = planned.period, planned.by, planned.values
    atoms: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], list[int]]] = {}
    for name, group in by_population.items():
        for each in (period, *(p for p in planned.trend if p != period)):
            main = each == period
            figures += _aggregate(
                collector,
                name,
                group,
                each,
                by if main else [],
                values,
                population,
                atoms if main else None,
            )
    return Result(
        period,
        planned.trend,
        planned.indicators,
        {i.id: _breakdowns_for(i, by) for i in planned.indicators},
        values,
        figures,
        collector.reading,
        Counter(invalid or {}),
        atoms=atoms,
    )


def compute(
    records: Iterable[Any],
    *,
    period: Period | str,
    by: Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    parameters: Mapping[str, int] | None = None,
    population: Any = None,
    trend: int = 0,
    invalid: Mapping[str, int] | None = None,
) -> Result:
    """Compute indicators over typed records (any mix of entities, one pass, streamed).

    ``by``: breakdowns to compute (default: each indicator's own list); an
    indicator gets those of ``by`` it allows. ``indicators``: ids (default
    all). ``parameters``: ``{"early_assistance.days": 5}`` or ``{"days": 5}``.
    ``population``: a `casestd.indicators.population.Population` for rates.
    ``trend``: also compute the totals of that many quarters up to the period's
    end (for the report's trend charts). ``invalid``: counts of invalid
    records by reason, as the caller found them, carried into the result.
    """
    planned = plan(period=period, by=by, indicators=indicators, parameters=parameters, trend=trend)
    collector = planned.collector()
    for record in records:
        collector.add(record)
    return summarise(planned, collector, population=population, invalid=invalid)


def _linked(breakdowns: Sequence[str]) -> list[tuple[str, ...]]:
    """The groups of linked breakdowns of which ``breakdowns`` holds two or more."""
    found = []
    for group in catalogue.linked_breakdowns():
        names = tuple(name for name in group if name in breakdowns)
        if len(names) > 1:
            found.append(names)
    return found


def _tally(
    atoms: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], list[int]]],
    indicator_id: str,
    groups: Sequence[tuple[str, ...]],
    unit: Mapping[str, Any],
    in_numerator: bool,
) -> None:
    """Count a unit in the crosses of its linked breakdowns."""
    for names in groups:
        atom = tuple(unit.get(name, "unknown") for name in names)
        tally = atoms.setdefault((indicator_id, names), {}).setdefault(atom, [0, 0])
        tally[0 if in_numerator else 1] += 1


@attrs.frozen
class _Counting:
    """One indicator of `_aggregate`, ready to count units: its evaluator, its total cell,
    its cells by category of each breakdown, its crosses of linked breakdowns."""

    id: str
    state_of: Evaluator
    total: _Cell
    parts: list[tuple[str, dict[str, _Cell]]]
    crossed: list[tuple[str, ...]]
    value: str | None
    mean: bool

    def count(self, unit: Mapping[str, Any], state: int, reason: str | None) -> None:
        targets = [self.total]
        targets += [by_code[unit.get(name, "unknown")] for name, by_code in self.parts]
        if state == _EXCLUDED:
            for cell in targets:
                cell.excluded[reason or "excluded"] += 1
        elif state == _DENOMINATOR:
            for cell in targets:
                cell.denominator += 1
        else:
            value = unit.get(self.value) if self.value else None
            for cell in targets:
                cell.numerator += 1
                if value is not None:
                    if self.mean:
                        cell.total += value
                    else:
                        cell.values[value] += 1


def _aggregate(
    collector: Collector,
    population_name: str,
    group: list[Indicator],
    period: Period,
    by: Sequence[str] | None,
    values: Mapping[str, Mapping[str, int]],
    population: Any,
    atoms: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], list[int]]] | None,
) -> list[Figure]:
    """The figures of one population's indicators for one period; with ``atoms`` (the main
    period), their breakdowns, and the crosses of linked breakdowns put into ``atoms``."""
    cells: dict[tuple[str, str | None, str | None], _Cell] = {}
    counting = []
    for indicator in group:
        breakdowns = _breakdowns_for(indicator, by) if atoms is not None else ()
        total = cells[(indicator.id, None, None)] = _Cell()
        parts = []
        for name in breakdowns:
            by_code = {code: _Cell() for code in catalogue.breakdown(name).codes()}
            cells.update(((indicator.id, name, code), cell) for code, cell in by_code.items())
            parts.append((name, by_code))
        state_of = evaluator(indicator, period, values[indicator.id])
        mean = indicator.unit == "mean_amd"
        crossed = _linked(breakdowns)
        counting.append(
            _Counting(indicator.id, state_of, total, parts, crossed, indicator.value, mean)
        )
    for unit in collector.units(population_name, period):
        for counter in counting:
            state, reason = counter.state_of(unit)
            if state == _OUT:
                continue
            if atoms is not None and state != _EXCLUDED and counter.crossed:
                _tally(atoms, counter.id, counter.crossed, unit, state == _NUMERATOR)
            counter.count(unit, state, reason)
    found = []
    for (indicator_id, part, category), cell in cells.items():
        each = catalogue.get(indicator_id)
        people = None
        if each.uses_population and population is not None:
            people = population.get(period, part, category)
        found.append(_figure(each, period.text, part, category, cell, people))
    return found
