"""Reading the inputs of ``casestd dedup``: validate each record and make its keys, on every core.

Reading a record, validating it and making the match keys of its persons is a
pure map over the records, and most of the time of a large run. `read_people`
reads the files in this process (splitting them into records is cheap) and
hands batches of records to worker processes (``jobs``), which validate each
(`casestd.cli.common.report_for`, as ``casestd validate`` does) and make the
keys the clustering reads (`casestd.dedup.record_keys`). The outcomes come back
in input order, so what the command prints does not depend on ``jobs``; with
``jobs=1``, or for an input of one batch or less, nothing is started and the
same function runs here. At most ``2 * jobs`` batches are in flight: memory
does not grow with the input.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

import attrs

from casestd.cli.common import UNREADABLE_RULES, report_for
from casestd.dedup.clusters import Encoded, Encoder, PersonKeys, record_keys
from casestd.dedup.records import persons
from casestd.io.records import Item, read_records
from casestd.rules.engine import RuleContext, default_context
from casestd.validation import MAX_FINDINGS

#: Records handed to a worker at a time.
BATCH = 256


@attrs.frozen
class Outcome:
    """What one record (or one unreadable input) gave: its report in short, and its people.

    ``rules``: the rule ids of its errors (of every finding, for an input that is
    not a record); ``people``: (ref, keys, facts) of each person of a valid record,
    or ``encoded``, the same hashed by the run's `Encoder` (where the hashes can
    be read: in this process or a forked one); ``names``: the names of each
    person, one text per script, when asked for.
    """

    source: str
    record: bool
    ok: bool
    rules: tuple[str, ...]
    unreadable: bool
    people: tuple[tuple[str, dict[str, frozenset[str]], dict[str, str]], ...] = ()
    names: dict[str, list[str]] | None = None
    encoded: Encoded | None = None


def name_text(record: object) -> dict[str, list[str]]:
    """Each person's names, one text per script: for --show-names only."""
    found = {}
    for held in persons(record):
        found[held.ref] = [
            " ".join(part for part in (name.given, name.patronymic, name.family) if part)
            + f" [{name.script}]"
            for name in held.person.names
        ]
    return found


@attrs.frozen
class _Task:
    """What every batch of a run shares."""

    context: RuleContext
    needed: frozenset[str] | None
    show_names: bool
    #: hashes the keys (None: send them as strings, for a process not forked from this one)
    encoder: Encoder | None = None


def _outcome(item: Item, entity: str, task: _Task) -> Outcome:
    report = report_for(item, entity, "en", task.context, MAX_FINDINGS)
    unreadable = any(f.rule in UNREADABLE_RULES for f in report.findings)
    source = str(item.location)
    if not item.record:
        return Outcome(
            source, False, report.ok, tuple(sorted({f.rule for f in report.findings})), unreadable
        )
    if not report.ok or report.record is None:
        rules = tuple(sorted({f.rule for f in report.findings if f.severity == "error"}))
        return Outcome(source, True, False, rules, unreadable)
    record = report.record
    found = record_keys(record, task.needed)
    names = name_text(record) if task.show_names else None
    if task.encoder is not None:
        return Outcome(source, True, True, (), unreadable, names=names, encoded=task.encoder(found))
    people = tuple((p.ref, dict(p.keys), dict(p.facts)) for p in found)
    return Outcome(source, True, True, (), unreadable, people, names)


def _batch(items: list[tuple[Item, str]], task: _Task) -> list[Outcome]:
    return [_outcome(item, entity, task) for item, entity in items]


_WORKER_TASK: list[_Task] = []


def _start_worker(task: _Task) -> None:
    _WORKER_TASK[:] = [task]


def _worker_batch(items: list[tuple[Item, str]]) -> list[Outcome]:
    return _batch(items, _WORKER_TASK[0])


def _batches(files: Sequence[str], entities: dict[str, str]) -> Iterator[list[tuple[Item, str]]]:
    batch: list[tuple[Item, str]] = []
    for path in files:
        for item in read_records(path):
            batch.append((item, entities[path]))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - not Linux


def read_people(
    files: Sequence[str],
    entities: dict[str, str],
    *,
    jobs: int = 1,
    needed: Collection[str] | None = None,
    show_names: bool = False,
    encoder: Encoder | None = None,
) -> Iterator[Outcome]:
    """The `Outcome` of every record of ``files``, in input order (see the module doc).

    ``entities`` gives the entity of each path; ``needed`` limits the keys made to
    those named (all when None; ``encoder.needed`` with an ``encoder``); ``jobs``
    is the number of worker processes. With an ``encoder``, the keys come
    `Encoded`, hashed where they are made, when that is this process or a
    forked one, and as strings otherwise.
    """
    if encoder is not None:
        needed = encoder.needed
    wanted = None if needed is None else frozenset(needed)
    task = _Task(default_context(), wanted, show_names, encoder)
    batches = _batches(files, entities)
    first = next(batches, None)
    if first is None:
        return
    second = next(batches, None)
    if jobs <= 1 or second is None:
        for batch in (first, *([second] if second else []), *batches):
            yield from _batch(batch, task)
        return
    yield from _parallel(_chain(first, second, batches), task, jobs)


def _chain(
    first: list[tuple[Item, str]], second: list[tuple[Item, str]], rest: Iterable[Any]
) -> Iterator[list[tuple[Item, str]]]:
    yield first
    yield second
    yield from rest


def _context() -> Any:
    """How worker processes start: forked where the platform can."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _parallel(
    batches: Iterator[list[tuple[Item, str]]], task: _Task, jobs: int
) -> Iterator[Outcome]:
    context = _context()
    if context.get_start_method() != "fork":  # its string hashes are not this process's
        task = attrs.evolve(task, encoder=None)
    with context.Pool(jobs, initializer=_start_worker, initargs=(task,)) as pool:
        pending: collections.deque[Any] = collections.deque()
        for batch in batches:
            pending.append(pool.apply_async(_worker_batch, (batch,)))
            if len(pending) >= 2 * jobs:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def person_keys(outcome: Outcome) -> Iterator[PersonKeys]:
    """The `PersonKeys` of an outcome's people."""
    for ref, keys, facts in outcome.people:
        yield PersonKeys(ref, keys, facts)


__all__ = ["BATCH", "Outcome", "default_jobs", "name_text", "person_keys", "read_people"]
