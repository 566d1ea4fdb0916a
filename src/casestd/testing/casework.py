"""Synthetic counter-trafficking casework with known truth, for indicator tests and benchmarks.

`casework` makes trafficking victims (their persons from
`casestd.testing.iter_registrations`, so one person may be a victim in two
records, written differently), each with a case, referrals, services,
child-protection cases for child victims, and the organisations that receive
referrals. It plants the edge cases the indicators must get right: partial
birth dates at the 18th birthday, decisions just outside the period, open
referrals, victims identified twice, services before detection, missing
dates. ``truth`` gives the true person of each victim record, for
re-identification.

Records come as ``(entity, payload)`` in generation order, the organisation
register first; `typed` turns a payload into its pydantic model (validated),
`write_jsonl` writes them as the files ``casestd indicators compute`` reads
(``casestd indicators sample DIR`` does that from the command line).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from casestd.testing.samples import districts, regions
from casestd.version import STANDARD_VERSION

Payload = dict[str, Any]
_AGENCIES = (
    ("ngo-hope-and-help", "ngo"),
    ("ngo-shelter-yerevan", "ngo"),
    ("police-ctip-unit", "law_enforcement"),
    ("molsa-cmis", "central_government"),
    ("yerevan-kentron-sso", "local_government"),
    ("republican-medical-centre", "health_service"),
    ("legal-aid-office", "legal_service"),
)
_UNREGISTERED_AGENCY = "agency-not-in-register"
_EXPLOITATION = (
    ("sexual_exploitation",),
    ("forced_labour",),
    ("forced_begging",),
    ("forced_labour", "sexual_exploitation"),
    ("forced_criminality",),
    (),
)
_SERVICE_TYPES = (
    "safe_house",
    "health_medical",
    "psychosocial",
    "legal_assistance",
    "livelihoods",
    "education",
    "food",
)
_YEREVAN = dt.timezone(dt.timedelta(hours=4))


@attrs.frozen
class Casework:
    """The records of a synthetic casework population and the truth about persons."""

    records: tuple[tuple[str, Payload], ...]
    truth: dict[str, str]  # victim record id -> person id


def _stamp(day: dt.date, hour: int = 10) -> str:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=_YEREVAN).isoformat()


def _meta(day: dt.date, agency: str, district: str | None = None) -> Payload:
    meta: Payload = {
        "standard_version": STANDARD_VERSION,
        "source_system": "synthetic",
        "agency": agency,
        "created": _stamp(day),
    }
    if district:
        meta["district"] = district
    return meta


def _before(decided: dt.date, detected: dt.date, rng: random.Random) -> str:
    """A day from detection to the decision: when the case went to the commission."""
    span = max(0, (decided - detected).days)
    return (detected + dt.timedelta(days=rng.randint(0, span))).isoformat()


class _Maker:
    def __init__(self, rng: random.Random, first: dt.date, last: dt.date) -> None:
        self.rng, self.first, self.last = rng, first, last

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def day(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def birth(self, detected: dt.date) -> Payload:
        rng = self.rng
        kind = rng.random()
        if kind < 0.2:  # a child
            born = self.day(
                detected - dt.timedelta(days=17 * 365), detected - dt.timedelta(days=6 * 365)
            )
        elif kind < 0.27:  # around the 18th birthday: partial dates straddle it
            born = dt.date(detected.year - 18, rng.randint(1, 12), rng.randint(1, 28))
            return {
                "value": f"{born.year:04d}" if rng.random() < 0.5 else f"{born:%Y-%m}",
                "estimated": False,
            }
        else:
            born = self.day(
                detected - dt.timedelta(days=55 * 365), detected - dt.timedelta(days=19 * 365)
            )
        if rng.random() < 0.1:
            return {"value": f"{born.year:04d}", "estimated": True}
        return {"value": born.isoformat(), "estimated": False}

    def victim(self, person: Payload, detected: dt.date) -> Payload:
        rng = self.rng
        agency = rng.choice(_AGENCIES[:3])[0]
        payload: Payload = {"id": self.uuid(), "meta": _meta(detected, agency), "person": person}
        # a Yerevan district office registered some victims (a draw of its own, so that the
        # rest of the casework stays as it was): a person found twice may be in two districts
        office = random.Random(payload["id"])
        if office.random() < 0.4:
            payload["meta"]["district"] = office.choice(districts())
        if rng.random() < 0.97:
            payload["pre_identification_start"] = detected.isoformat()
        if rng.random() < 0.95:  # registered on the day of detection, or a few days later
            payload["registration_date"] = (
                detected + dt.timedelta(days=rng.choice((0, 0, 0, 1, 3)))
            ).isoformat()
        cut = rng.random()
        if cut < 0.7:
            payload["status"] = "actual"
            payload["deciding_body"] = "identification_commission"
            late = rng.random() < 0.15
            decided = detected + dt.timedelta(
                days=rng.randint(11, 60) if late else rng.randint(1, 10)
            )
            payload["decision_date"] = decided.isoformat()
            if rng.random() < 0.9:
                payload["commission_referral_date"] = _before(decided, detected, rng)
        elif cut < 0.8:
            payload["status"] = "not_a_victim"
            payload["deciding_body"] = "identification_commission"
            decided = detected + dt.timedelta(days=rng.randint(2, 12))
            payload["decision_date"] = decided.isoformat()
            payload["commission_referral_date"] = _before(decided, detected, rng)
        elif cut < 0.85:
            payload["status"] = "actual"
            payload["deciding_body"] = "police"
            payload["decision_date"] = (detected + dt.timedelta(days=rng.randint(1, 5))).isoformat()
        else:
            payload["status"] = "possible"  # some referred to the commission, not decided yet
            if rng.random() < 0.3:
                payload["commission_referral_date"] = detected.isoformat()
        exploitation = list(rng.choice(_EXPLOITATION))
        if exploitation:
            payload["exploitation_types"] = exploitation
        if rng.random() < 0.8:
            country = "AM" if rng.random() < 0.4 else rng.choice(("RU", "AE", "TR", "GE"))
            payload["trafficking_events"] = [{"type": "exploitation", "country": country}]
            if rng.random() < 0.1:
                payload["trafficking_events"].append({"type": "exploitation", "country": "AM"})
        if rng.random() < 0.15:
            payload["support_received"] = [rng.choice(("shelter", "legal", "psychological"))]
        if payload["status"] == "actual" and rng.random() < 0.5:
            status = rng.choice(("applied", "granted", "paid", "paid"))
            payload["compensation"] = {"status": status}
        return payload

    def casework(self, victim: Payload, child: bool) -> Iterator[tuple[str, Payload]]:
        rng = self.rng
        detected = dt.date.fromisoformat(
            victim.get("pre_identification_start") or victim["meta"]["created"][:10]
        )
        agency = victim["meta"]["agency"]
        case_id = self.uuid()
        yield (
            "case",
            {
                "id": case_id,
                "meta": _meta(detected, agency),
                "case_number": f"CT-{case_id[:8]}",
                "subject": {"type": "trafficking_victim", "id": victim["id"]},
                "case_type": "trafficking",
                "status": "open",
                "stage": "case_plan",
                "risk_level": "high",
                "opened": _stamp(detected),
                "agency": agency,
            },
        )
        if child and rng.random() < 0.8:
            opened = detected + dt.timedelta(days=rng.randint(-2, 8))
            district = rng.choice(districts())
            cp_id = self.uuid()
            yield (
                "case",
                {
                    "id": cp_id,
                    "meta": _meta(opened, f"yerevan-{district}-sso", district),
                    "case_number": f"CP-{cp_id[:8]}",
                    "subject": {"type": "trafficking_victim", "id": victim["id"]},
                    "case_type": "child_protection",
                    "status": "open",
                    "stage": "assessment",
                    "risk_level": "high",
                    "opened": _stamp(opened),
                    "agency": f"yerevan-{district}-sso",
                    "district": district,
                },
            )
        for _ in range(rng.choice((0, 1, 1, 2))):
            to_agency = rng.choice(
                [a for a, _ in _AGENCIES if a != agency] + [_UNREGISTERED_AGENCY]
            )
            referred = detected + dt.timedelta(days=rng.randint(0, 20))
            payload: Payload = {
                "id": self.uuid(),
                "meta": _meta(referred, agency),
                "case_id": case_id,
                "from_agency": agency,
                "to_agency": to_agency,
                "service_types": [rng.choice(_SERVICE_TYPES)],
                "reason": "specialised_service_needed",
                "urgency": rng.choice(("emergency", "high", "normal")),
                "referred": _stamp(referred),
                "legal_basis": "statutory_duty",
            }
            outcome = rng.random()
            if outcome < 0.6:
                payload["status"] = "completed"
                payload["responded"] = _stamp(referred, 12)
                payload["completed"] = _stamp(referred + dt.timedelta(days=rng.randint(1, 45)), 15)
            elif outcome < 0.8:
                payload["status"] = "pending"
            elif outcome < 0.9:
                payload["status"] = "accepted"
                payload["responded"] = _stamp(referred, 12)
            else:
                payload["status"] = "cancelled"
                payload["responded"] = _stamp(referred, 12)
            yield "referral", payload
        for _ in range(rng.choice((0, 1, 2, 2, 3))):
            start = detected + dt.timedelta(days=rng.randint(-3, 30))
            office = rng.choice(districts()) if rng.random() < 0.6 else None
            service: Payload = {
                "id": self.uuid(),
                "meta": _meta(start, agency, office),
                "beneficiary_id": victim["id"],
                "case_id": case_id,
                "service_type": rng.choice(_SERVICE_TYPES),
                "provider_agency": agency,
                "status": rng.choice(("delivered", "delivered", "ongoing", "planned", "cancelled")),
                "start_date": start.isoformat(),
                "end_date": (start + dt.timedelta(days=rng.randint(0, 60))).isoformat(),
            }
            if office:
                service["provider_district"] = office
            if rng.random() < 0.8:
                service["cost_amd"] = rng.randrange(5_000, 500_000, 1_000)
            yield "service", service


def organisations() -> Iterator[Payload]:
    """The organisation register of the agencies that receive referrals (payloads)."""
    for number, (agency, kind) in enumerate(_AGENCIES):
        yield {
            "id": str(uuid.UUID(int=number + 1, version=4)),
            "meta": _meta(dt.date(2020, 1, 1), agency),
            "name": agency,
            "type": kind,
            "agency_id": agency,
        }


def iter_casework(
    n_victims: int,
    *,
    seed: int,
    first: dt.date = dt.date(2024, 1, 1),
    last: dt.date = dt.date(2025, 12, 31),
    reidentified: float = 0.05,
) -> Iterator[tuple[str, Payload, str | None]]:
    """(entity, payload, person id for victims) for about ``n_victims`` victims."""
    from casestd.testing import iter_registrations

    rng = random.Random(seed)
    maker = _Maker(rng, first, last)
    yield from (("organisation", payload, None) for payload in organisations())
    made = 0
    registrations = iter_registrations(max(10, n_victims), seed=seed, duplicate_rate=0.0)
    seen: set[str] = set()
    for reg in registrations:
        if made >= n_victims:
            return
        if reg.person_id in seen:
            continue  # one person, one history: the planted repeats below are the re-identified
        seen.add(reg.person_id)
        detected = maker.day(first, last)
        person = reg.person_payload()
        person["birth_date"] = maker.birth(detected)
        if rng.random() < 0.9:
            person["citizenships"] = (
                ["AM"] if rng.random() < 0.85 else [rng.choice(("RU", "IR", "SY"))]
            )
        times = 2 if rng.random() < reidentified else 1
        # most persons found twice were found by two district offices (a draw of its own)
        office = random.Random(reg.person_id)
        offices = office.sample(districts(), 2) if times == 2 and office.random() < 0.6 else []
        for time in range(times):
            when = detected + dt.timedelta(days=time * rng.randint(60, 900))
            if when > last:
                break
            victim = maker.victim(person, when)
            if offices:
                victim["meta"]["district"] = offices[time]
            if rng.random() < 0.5:
                address: Payload = {"region": rng.choice(regions())}
                if address["region"] == "AM-ER" and rng.random() < 0.8:
                    address["district"] = rng.choice(districts())
                victim["address"] = address
            made += 1
            birth = person["birth_date"]["value"]
            child = len(birth) == 10 and (when - dt.date.fromisoformat(birth)).days < 18 * 365
            yield "trafficking_victim", victim, reg.person_id
            yield from (
                (entity, payload, None) for entity, payload in maker.casework(victim, child)
            )


def casework(n_victims: int, *, seed: int, **options: Any) -> Casework:
    """A whole `Casework` population (payloads and truth) in memory."""
    records = []
    truth = {}
    for entity, payload, person in iter_casework(n_victims, seed=seed, **options):
        records.append((entity, payload))
        if person is not None:
            truth[payload["id"]] = person
    return Casework(tuple(records), truth)


def write_jsonl(records: Iterable[tuple[str, Payload]], folder: Path) -> list[Path]:
    """Write ``(entity, payload)`` records as one JSON Lines file per entity in ``folder``.

    The files are named ``ENTITY.jsonl``, as ``casestd indicators compute`` reads
    them; returns their paths in the order the entities first came.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, IO[str]] = {}
    try:
        for entity, payload in records:
            if entity not in files:
                files[entity] = (folder / f"{entity}.jsonl").open("w", encoding="utf-8")
            files[entity].write(json.dumps(payload, ensure_ascii=False) + "\n")
    finally:
        for stream in files.values():
            stream.close()
    return [folder / f"{entity}.jsonl" for entity in files]


def typed(entity: str, payload: Payload) -> Any:
    """The payload as its validated pydantic model."""
    from casestd.model import ENTITIES

    return ENTITIES[entity].model_validate(payload)
