"""The collector: what several collectors of parts of the input read, merged, is what one
collector of all of it reads (the ``--jobs`` path), whatever the split and the order."""

from __future__ import annotations

import functools
import itertools
import pickle
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from casestd.indicators import compute
from casestd.indicators.compute import plan, summarise
from casestd.indicators.variables import Collector
from casestd.testing.casework import casework, typed
from casestd.testing.population import iter_payloads, iter_registrations

PERIOD = "2015-01..2025-12"


@functools.cache
def _records() -> list[Any]:
    """Casework of victims, and district registers of children and families (persons of
    other entities, registered in several districts), as typed records."""
    work = casework(120, seed=5)
    registers = iter_payloads(itertools.islice(iter_registrations(80, seed=2), 80))
    return [typed(entity, payload) for entity, payload in [*work.records, *registers]]


@functools.cache
def _whole() -> list[dict[str, Any]]:
    return [figure.to_dict() for figure in compute(_records(), period=PERIOD, trend=4).figures]


def test_the_records_hold_every_kind_of_person() -> None:
    kinds = {type(record).__name__ for record in _records()}
    assert {"TraffickingVictim", "Child", "Family", "Service", "Referral", "Case"} <= kinds


@settings(max_examples=12, deadline=None)
@given(st.integers(2, 4), st.randoms(use_true_random=False))
def test_merged_parts_give_the_figures_of_the_whole(parts: int, rng: Any) -> None:
    records = list(_records())
    rng.shuffle(records)
    planned = plan(period=PERIOD, trend=4)
    collectors = [planned.collector() for _ in range(parts)]
    for record in records:
        rng.choice(collectors).add(record)
    first, *rest = collectors
    for other in rest:  # as a worker sends it: pickled
        first.merge(pickle.loads(pickle.dumps(other)))
    figures = [figure.to_dict() for figure in summarise(planned, first).figures]
    assert figures == _whole()


def test_an_empty_collector_merges_into_nothing() -> None:
    planned = plan(period=PERIOD)
    collector, empty = planned.collector(), planned.collector()
    for record in _records():
        collector.add(record)
    collector.merge(empty)
    assert [f.to_dict() for f in summarise(planned, collector).figures] == [
        f.to_dict() for f in compute(_records(), period=PERIOD).figures
    ]
    assert isinstance(collector, Collector)
