"""Synthetic district registers with the truth: for tests, benchmarks and the guide's examples.

`district_registers` takes `casestd.testing.population` (persons registered
several times, each time written differently), keeps the children and
families that a Yerevan district office registered, gives each person a few
services with costs, and plants, for every person registered by two or more
districts, the same service in both districts over overlapping periods. The
truth says which rows are one person and which services were planted twice.

Needs hypothesis (the ``test`` extra), as `casestd.testing` does.

>>> sample = district_registers(200, seed=1)
>>> sorted(sample.records)[:2]
['ajapnyak', 'arabkir']
>>> len(sample.true_pairs()) > 0 and len(sample.planted_services) > 0
True
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from collections.abc import Iterator

import attrs
from pydantic import BaseModel

from casestd import codes
from casestd.dedup.records import persons
from casestd.model import ENTITIES
from casestd.model.service import Service

_FIRST = dt.date(2025, 1, 1)


@attrs.frozen
class Registers:
    """Records per district (children, families, services) and the truth about them.

    ``truth`` maps each person ref (``child/<id>``, ``family/<id>/members/<n>``)
    to its true person; ``planted_services`` holds the pairs of service ids
    planted as the same service given by two districts at once.
    """

    records: dict[str, list[BaseModel]]
    truth: dict[str, str]
    district_of: dict[str, str]
    planted_services: frozenset[tuple[str, str]]

    def true_pairs(self, *, across_districts: bool = True) -> set[tuple[str, str]]:
        """Sorted pairs of refs that are one person (registered by two districts, by default)."""
        by_person: dict[str, list[str]] = {}
        for ref, person in self.truth.items():
            by_person.setdefault(person, []).append(ref)
        return {
            (first, second)
            for refs in by_person.values()
            for first, second in itertools.combinations(sorted(refs), 2)
            if not across_districts or self.district_of[first] != self.district_of[second]
        }

    def all_records(self) -> Iterator[BaseModel]:
        """Every record of every district."""
        for found in self.records.values():
            yield from found


def _agency(district: str) -> str:
    return f"yerevan-{district.replace('_', '-')}-sso"


def _service(
    rng: random.Random,
    beneficiary: str,
    district: str,
    kind: str,
    start: dt.date,
) -> Service:
    funding = codes.get("funding_source").active()
    end = start + dt.timedelta(days=rng.randint(7, 90))
    payload = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "meta": {
            "standard_version": "1.0.0",
            "source_system": "district-register",
            "agency": _agency(district),
            "district": district,
            "created": f"{start.isoformat()}T10:00:00+04:00",
        },
        "beneficiary_id": beneficiary,
        "service_type": kind,
        "provider_agency": _agency(district),
        "provider_district": district,
        "status": "delivered",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "cost_amd": rng.randrange(5_000, 200_000, 500),
        "funding_source": rng.choice(funding),
    }
    return Service.model_validate(payload)


def district_registers(n_people: int, *, seed: int, services_per_person: float = 1.2) -> Registers:
    """Children, families and services per district office, with the truth (see module doc)."""
    from casestd.testing import population

    crowd = population(n_people, seed=seed)
    rng = random.Random(seed)
    kinds = codes.get("service_type").active()
    records: dict[str, list[BaseModel]] = {}
    truth: dict[str, str] = {}
    district_of: dict[str, str] = {}
    beneficiary_of: dict[str, str] = {}
    for entity, payload in crowd.payloads():
        district = payload["meta"].get("district")
        if entity not in ("child", "family") or not district:
            continue
        record = ENTITIES[entity].model_validate(payload)
        records.setdefault(district, []).append(record)
        for held in persons(record):
            ref = held.ref
            truth[ref] = crowd.truth[ref]
            district_of[ref] = district
            beneficiary_of[ref] = str(getattr(record, "id", ""))
    served: set[str] = set()
    for ref in sorted(truth):
        if beneficiary_of[ref] in served:
            continue  # a family's services go to the family record, once per family
        served.add(beneficiary_of[ref])
        count = int(services_per_person) + (rng.random() < services_per_person % 1)
        for _ in range(count):
            start = _FIRST + dt.timedelta(days=rng.randint(0, 330))
            service = _service(rng, beneficiary_of[ref], district_of[ref], rng.choice(kinds), start)
            records[district_of[ref]].append(service)
    planted: set[tuple[str, str]] = set()
    by_person: dict[str, list[str]] = {}
    for ref, person in truth.items():
        by_person.setdefault(person, []).append(ref)
    for refs in by_person.values():
        districts = {district_of[ref]: ref for ref in sorted(refs)}
        if len(districts) < 2:
            continue
        (one, first), (other, second) = sorted(districts.items())[:2]
        kind = rng.choice(kinds)
        start = _FIRST + dt.timedelta(days=rng.randint(0, 300))
        a = _service(rng, beneficiary_of[first], one, kind, start)
        b = _service(rng, beneficiary_of[second], other, kind, start + dt.timedelta(days=3))
        records[one].append(a)
        records[other].append(b)
        low, high = sorted((str(a.id), str(b.id)))
        planted.add((low, high))
    return Registers(records, truth, district_of, frozenset(planted))
