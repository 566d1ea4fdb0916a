"""The rule registry: cross-field and cross-record checks with stable ids.

A rule is a function that receives a typed record and a `RuleContext` and
returns its `Hit`s: where the problem is and the (non-personal) parameters of
its message. It may be a generator; the rules of the entities validated most
often return a sequence instead, empty (``()``) when the record passes, which
costs a fraction of a generator's start and end. What a rule is lives in data,
not in code: its severity, its entities and its CEL form in ``rules.json``, its
messages in en/hy/ru in ``messages.json``; the function is the reference
implementation.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from casestd.report import Severity

YEREVAN = ZoneInfo("Asia/Yerevan")
Path = tuple[int | str, ...]


@attrs.frozen
class Deadlines:
    """Case management deadlines; the defaults follow common practice (warnings)."""

    high_risk_assessment: dt.timedelta = dt.timedelta(hours=24)
    case_plan: dt.timedelta = dt.timedelta(days=14)
    review_interval: dt.timedelta = dt.timedelta(days=90)
    pre_identification: dt.timedelta = dt.timedelta(days=10)


@attrs.frozen
class RuleContext:
    """What rules may consult besides the record: the time now and the deadlines.

    ``today`` is the date in Yerevan at ``now``.
    """

    now: dt.datetime = attrs.field(factory=lambda: dt.datetime.now(YEREVAN))
    deadlines: Deadlines = attrs.field(factory=Deadlines)
    today: dt.date = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "today", self.now.astimezone(YEREVAN).date())


_LATEST: list[tuple[int, RuleContext]] = []


def before(first: dt.datetime, second: dt.datetime) -> bool:
    """``first < second`` for timezone-aware datetimes, in fewer steps when they are days apart.

    Comparing two aware datetimes asks both time zones for their offsets, which
    costs more than the rest of a rule. Two offsets differ by less than two days,
    so readings of the clock whose dates are three or more days apart are in the
    same order whatever their offsets.

    >>> from zoneinfo import ZoneInfo
    >>> at = dt.datetime(2025, 3, 1, 10, tzinfo=ZoneInfo("Asia/Yerevan"))
    >>> before(at, at.astimezone(dt.timezone.utc)), before(at, at + dt.timedelta(seconds=1))
    (False, True)
    """
    days = first.toordinal() - second.toordinal()
    if days >= 3:
        return False
    if days <= -3:
        return True
    return first < second


def default_context() -> RuleContext:
    """A context for the present moment, made afresh once per second of the clock.

    Validation of many records then shares one "now", precise to a second,
    without paying for a new context per record. The second is the wall
    clock's, so the shared "now" is never before the start of the current
    second: a record stamped to the second as it is written (a workbook's save
    time) is not "created in the future".
    """
    second = int(time.time())
    if _LATEST and _LATEST[0][0] == second:
        return _LATEST[0][1]
    context = RuleContext()
    _LATEST[:] = [(second, context)]
    return context


@attrs.frozen
class Hit:
    """Where a rule found a problem, and the parameters of its message."""

    path: Path = ()
    params: Mapping[str, str | int] = attrs.field(factory=dict)


#: What a rule returns: its hits, in order; an empty sequence (false) when there are none.
Hits = Sequence[Hit]
Check = Callable[[Any, RuleContext], Iterable[Hit]]


@attrs.frozen
class Rule:
    """A named check of one or more entities, with a severity."""

    id: str
    severity: Severity
    entities: tuple[str, ...]
    check: Check = attrs.field(repr=False)


_RULES: dict[str, Rule] = {}


@functools.cache
def definitions() -> dict[str, dict[str, Any]]:
    """Rule id -> what ``rules.json`` says of it: severity, entities, CEL checks."""
    text = resources.files("casestd.rules").joinpath("rules.json").read_text("utf-8")
    found: dict[str, dict[str, Any]] = json.loads(text)["rules"]
    return found


def entities_of(rule_id: str) -> tuple[str, ...]:
    """The entities rule ``rule_id`` applies to (``"*"`` in the data: every entity)."""
    named = definitions()[rule_id]["entities"]
    if named == "*":
        from casestd.model import ENTITIES

        return tuple(ENTITIES)
    return tuple(named)


def rule(rule_id: str) -> Callable[[Check], Check]:
    """Register the decorated function as rule ``rule_id``, as ``rules.json`` defines it."""
    if rule_id not in definitions():
        raise ValueError(f"rule {rule_id} is not in rules.json")
    severity: Severity = definitions()[rule_id]["severity"]

    def register(check: Check) -> Check:
        if rule_id in _RULES:
            raise ValueError(f"rule {rule_id} is defined twice")
        _RULES[rule_id] = Rule(rule_id, severity, entities_of(rule_id), check)
        rules_for.cache_clear()
        return check

    return register


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, in registration order."""
    return tuple(_RULES.values())


@functools.cache
def rules_for(entity: str) -> tuple[Rule, ...]:
    """The rules that apply to ``entity``."""
    return tuple(r for r in _RULES.values() if entity in r.entities)
