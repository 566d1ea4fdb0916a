"""A synthetic population of persons registered several times, with the truth of who is who.

For benchmarks and tests of `casestd.dedup` (bench/dedup.py): households, lone
children and trafficking victims, registered by Yerevan's district offices,
the CMIS, regional agencies, NGOs and the police, each registration writing
its person its own way (`casestd.testing.registrations`). It draws with
``random.Random``, not hypothesis, and needs no test dependency: a million
registrations take seconds.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import json
import os
import pathlib
import random
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from casestd.model import ENTITIES, common
from casestd.testing._generator import _Generator
from casestd.testing.registrations import DEFAULT_VARIATION, Payload, Registration, Variation
from casestd.version import STANDARD_VERSION

if TYPE_CHECKING:
    from casestd.dedup.clusters import PersonKeys


@dataclasses.dataclass(frozen=True)
class Population:
    """A synthetic population: its registrations and the truth about them.

    ``truth`` maps every ref to its person id; ``variations`` every ref to the
    `VARIATION_KINDS` it carries.
    """

    registrations: tuple[Registration, ...]
    truth: dict[str, str]

    @property
    def people(self) -> int:
        """How many distinct persons the registrations stand for."""
        return len(set(self.truth.values()))

    @property
    def variations(self) -> dict[str, frozenset[str]]:
        """Ref -> the variation kinds of that registration."""
        return {reg.ref: reg.variations for reg in self.registrations}

    def true_pairs(self) -> set[tuple[str, str]]:
        """Every pair of refs (sorted within the pair) that is one person."""
        by_person: dict[str, list[str]] = {}
        for ref, person in self.truth.items():
            by_person.setdefault(person, []).append(ref)
        return {
            (first, second) if first < second else (second, first)
            for refs in by_person.values()
            for first, second in itertools.combinations(refs, 2)
        }

    def payloads(self) -> list[tuple[str, Payload]]:
        """(entity, JSON payload) of every record; a family record holds several registrations."""
        return [(entity, payload) for entity, payload in iter_payloads(self.registrations)]

    def records(self) -> list[common.Record]:
        """The typed records (validated by the pydantic models; slow at scale)."""
        return [ENTITIES[entity].model_validate(payload) for entity, payload in self.payloads()]

    def person_keys(self) -> list[PersonKeys]:
        """`Registration.person_keys` of every registration (fast path, no validation)."""
        return [reg.person_keys() for reg in self.registrations]


def _meta(reg: Registration, rng: random.Random) -> Payload:
    minute = rng.randrange(9 * 60, 18 * 60)
    meta: Payload = {
        "standard_version": STANDARD_VERSION,
        "source_system": reg.source_system,
        "agency": reg.agency,
        "created": f"{reg.registered.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00+04:00",
    }
    if reg.district:
        meta["district"] = reg.district
    return meta


def _address(reg: Registration) -> Payload | None:
    if reg.region is None:
        return None
    address: Payload = {"region": reg.region}
    if reg.address_district:
        address["district"] = reg.address_district
    return address


def iter_payloads(registrations: Iterable[Registration]) -> Iterator[tuple[str, Payload]]:
    """(entity, JSON payload) of the records of ``registrations``, one at a time.

    Consecutive registrations of one family record (same ``record_id``) make one
    ``family`` payload; every other registration is a ``child`` or
    ``trafficking_victim`` payload of its own.
    """
    rng = random.Random(0)  # only the minutes of meta.created
    group: list[Registration] = []

    def family(members: list[Registration]) -> Payload:
        head = members[0]
        payload: Payload = {"id": head.record_id, "meta": _meta(head, rng)}
        rows = []
        for member in members:
            row = member.person_payload()
            row["relationship"] = member.relationship or "other_relative"
            row["head_of_household"] = member.relationship == "head"
            if member.relationship in ("head", "spouse"):
                row["caregiver"] = True
            if member.child_id:
                row["child_id"] = member.child_id
            rows.append(row)
        payload["members"] = rows
        if (address := _address(head)) is not None:
            payload["address"] = address
        return payload

    for reg in registrations:
        if group and reg.record_id != group[0].record_id:
            yield "family", family(group)
            group = []
        if reg.entity == "family":
            group.append(reg)
            continue
        payload = {"id": reg.record_id, "meta": _meta(reg, rng), **reg.person_payload()}
        if reg.entity == "child":
            payload["registration_date"] = reg.registered.isoformat()
            if (address := _address(reg)) is not None:
                payload["address"] = address
            yield "child", payload
        else:
            yield "trafficking_victim", _victim(reg, payload, rng)
    if group:
        yield "family", family(group)


def _victim(reg: Registration, base: Payload, rng: random.Random) -> Payload:
    person = {
        key: base.pop(key)
        for key in ("names", "sex", "birth_date", "identifiers", "contacts")
        if key in base
    }
    payload: Payload = {**base, "person": person}
    payload["pre_identification_start"] = reg.registered.isoformat()
    if rng.random() < 0.3:
        payload["status"] = "possible"
    else:
        payload["status"] = "actual"
        payload["deciding_body"] = "identification_commission"
        decided = reg.registered + dt.timedelta(days=rng.randint(1, 10))
        payload["decision_date"] = decided.isoformat()
    payload["exploitation_types"] = [
        rng.choice(["forced_labour", "sexual_exploitation", "forced_begging"])
    ]
    return payload


def iter_registrations(
    n_people: int,
    *,
    seed: int,
    duplicate_rate: float = 0.3,
    max_registrations: int = 4,
    variation: Variation = DEFAULT_VARIATION,
) -> Iterator[Registration]:
    """The registrations of `population`, one at a time (constant memory).

    Same arguments and same registrations, in the same order, as `population`.
    """
    if n_people < 1:
        raise ValueError("n_people must be at least 1")
    if not 0 <= duplicate_rate <= 1:
        raise ValueError("duplicate_rate must be between 0 and 1")
    if max_registrations < 1:
        raise ValueError("max_registrations must be at least 1")
    rng = random.Random(seed)
    maker = _Generator(rng, variation, duplicate_rate, max_registrations)
    units = (maker.household, maker.lone_child, maker.lone_victim)
    while maker.people < n_people:
        yield from units[bisect.bisect((0.50, 0.85), rng.random())]()


def write_population(
    folder: str | os.PathLike[str], size: int, *, seed: int
) -> dict[str, pathlib.Path]:
    """Write the records of the first ``size`` registrations of a population as JSON Lines.

    One file per entity, ``<folder>/<entity>/records.jsonl`` (the folder names the
    entity, as ``casestd validate`` and ``casestd dedup`` read it); returns the paths
    by entity. Streamed: memory stays flat whatever ``size``. The registrations are
    those of ``iter_registrations(size, seed=seed)``, so ``size`` person records
    (family members counted one by one) of ``size`` or fewer persons.
    """
    root = pathlib.Path(folder)
    paths: dict[str, pathlib.Path] = {}
    handles: dict[str, IO[str]] = {}
    source = itertools.islice(iter_registrations(size, seed=seed), size)
    try:
        for entity, payload in iter_payloads(source):
            handle = handles.get(entity)
            if handle is None:
                paths[entity] = root / entity / "records.jsonl"
                paths[entity].parent.mkdir(parents=True, exist_ok=True)
                handle = handles[entity] = paths[entity].open("w", encoding="utf-8")
            handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    finally:
        for handle in handles.values():
            handle.close()
    return paths


def population(
    n_people: int,
    *,
    seed: int,
    duplicate_rate: float = 0.3,
    max_registrations: int = 4,
    variation: Variation = DEFAULT_VARIATION,
) -> Population:
    """A synthetic population of about ``n_people`` persons, with the truth.

    Households (a head, often a spouse whose maiden name differs, one to four
    children) are registered as families by the 12 Yerevan district offices,
    the CMIS or regional agencies; some of their children also have child
    records, some women and teenage girls trafficking-victim records; lone
    children and lone victims make up the rest (a young victim may also have a
    child record from before). Every registration channel registers its
    person (or household) again, elsewhere, with probability
    ``duplicate_rate``, up to ``max_registrations`` times. Each registration
    writes the person in its own way (`Variation`, `VARIATION_KINDS`): scripts
    and romanisations, curated spelling variants, typos, partial, estimated,
    swapped or mistyped birth dates, missing identifiers, maiden names,
    swapped names, patronymics. Names are drawn from
    ``casestd/testing/data/population_names.json`` with Zipf-like weights, as
    real names are (many Hovhannisyans, few Mezhlumyans).

    Deterministic for a ``seed`` (``random.Random``). The last household may
    take the count a few persons above ``n_people``.

    >>> crowd = population(300, seed=1)
    >>> crowd.people >= 300, len(crowd.truth) == len(crowd.registrations)
    (True, True)
    >>> population(300, seed=1).truth == crowd.truth
    True
    """
    found = tuple(
        iter_registrations(
            n_people,
            seed=seed,
            duplicate_rate=duplicate_rate,
            max_registrations=max_registrations,
            variation=variation,
        )
    )
    return Population(found, {reg.ref: reg.person_id for reg in found})


__all__ = ["Population", "iter_payloads", "iter_registrations", "population", "write_population"]
