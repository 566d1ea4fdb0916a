"""From typed records to units of analysis and their variables, in one streamed pass.

`Collector` takes the typed records of every entity in any order (victims,
cases, referrals, services, organisations, children, families) and keeps only
what the indicators need: a compact row per trafficking victim, per referral
sent in the window and per (beneficiary, district office) served, and the
first child-protection case and the services of each person. Every record
is counted by entity (`Reading`), and one of an entity it does not use under
``ignored``: nothing is silently dropped. A service or case of a person who is
no victim in the input counts for no victim indicator (the services of
children still count for cost per beneficiary). `Collector.units` then yields,
per unit, a dict of the variables (`casestd.indicators.catalogue.variables`: what each means and the
fields it is derived from, ``data/variables.json``) and the breakdown
categories.

Linkage (the same person in several records) uses the catalogue's
``linkage_keys`` (identifiers and the exact name with full birth date) through
`casestd.dedup.record_keys` and `casestd.dedup.find_duplicates`, only when an
indicator needs it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple
from uuid import UUID

import attrs

from casestd.indicators import catalogue
from casestd.indicators.categories import age_category, exploitation_category
from casestd.indicators.period import Period
from casestd.model.types import add_years
from casestd.normalise.partial_date import bounds as partial_date_bounds

_AGE_BREAKDOWNS = ("age_group", "age_band")


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


@functools.cache
def _service_groups() -> tuple[dict[str, int], dict[str, int], tuple[str, ...], frozenset[str]]:
    data = catalogue._catalogue()
    groups = {k: v for k, v in data["service_groups"].items() if not k.startswith("_")}
    names = tuple(groups)
    by_service: dict[str, int] = {}
    by_support: dict[str, int] = {}
    for bit, name in enumerate(names):
        for code in groups[name]["service_types"]:
            by_service[code] = by_service.get(code, 0) | 1 << bit
        for code in groups[name]["support_types"]:
            by_support[code] = by_support.get(code, 0) | 1 << bit
    return by_service, by_support, names, frozenset(data["service_statuses_received"])


@attrs.define(slots=True)
class _Victim:
    id: UUID
    meta_district: str | None
    sex: str
    birth: tuple[dt.date, dt.date] | None
    status: str
    recognised: bool
    commission_decided: bool
    decision_date: dt.date | None
    detection_date: dt.date | None
    registration_date: dt.date | None
    exploitation: str
    citizenship: str
    exploited_where: str
    region: str
    district: str
    support_mask: int
    compensation_paid: bool


class _ServiceRow(NamedTuple):
    """The fields of a service that `casestd.dedup.service_overlaps` reads."""

    id: UUID
    beneficiary_id: UUID
    service_type: str
    provider_agency: str
    provider_district: str | None
    start_date: dt.date
    end_date: dt.date | None
    status: str
    cost_amd: int | None


@attrs.define(slots=True)
class _Served:
    """What the services of one person tell: first start, kinds received."""

    first_start: dt.date | None = None
    mask: int = 0


@attrs.define
class Reading:
    """What the collector saw: records per entity (``trafficking_victim``, ...), and those
    of entities the indicators do not read (``ignored``)."""

    records: Counter[str] = attrs.Factory(Counter)
    ignored: Counter[str] = attrs.Factory(Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": dict(sorted(self.records.items())),
            "ignored": dict(sorted(self.ignored.items())),
        }


@functools.cache
def _entity_names() -> dict[str, str]:
    """Model class name -> entity name (``TraffickingVictim`` -> ``trafficking_victim``)."""
    from casestd.model import ENTITIES

    return {model.__name__: entity for entity, model in ENTITIES.items()}


def _citizenship(countries: list[str]) -> str:
    if "AM" in countries:
        return "armenian"
    return "foreign" if countries else "unknown"


def _exploited_where(events: list[Any]) -> str:
    places = {event.country == "AM" for event in events if event.type == "exploitation"}
    if not places:
        return "unknown"
    if places == {True, False}:
        return "both"
    return "armenia" if True in places else "abroad"


def link_keys() -> tuple[str, ...]:
    """The dedup keys that link one person across records (the catalogue's ``linkage_keys``)."""
    return tuple(catalogue._catalogue()["linkage_keys"]["keys"])


def _link(people: list[Any]) -> list[Any]:
    """Clusters of the same person, linked by `link_keys` alone (no tolerant keys)."""
    from casestd.dedup import find_duplicates

    return list(find_duplicates(people, keys=link_keys(), tolerant=(), household=()))


class Collector:
    """Reads typed records once and yields the units of analysis with their variables.

    ``period`` is the reporting period; ``windows`` how far before its start
    records still matter (months, for re-identification); ``linkage`` whether
    to find the same person across records with the dedup keys.
    """

    def __init__(self, period: Period, *, months_back: int = 24, linkage: bool = True) -> None:
        self.period = period  # the span of every period asked for
        self.linkage = linkage
        self.window_start = add_years(period.start, -(months_back // 12 + 1))
        self.reading = Reading()
        self.victims: list[_Victim] = []
        self.served: dict[UUID, _Served] = {}
        self.cp_cases: dict[UUID, dt.date] = {}
        self.referrals: list[tuple[dt.date, str, int | None, str, str]] = []
        self.referrals_outside = 0
        self.agency_types: dict[str, str] = {}
        self.offices: dict[tuple[UUID, str, int], list[Any]] = {}
        self._found_clusters: list[Any] | None = None
        self._earlier: dict[UUID, int] | None = None
        self.person_keys: list[Any] = []
        self.person_dates: dict[str, tuple[str | None, dt.date | None]] = {}
        self.services: list[_ServiceRow] = []
        self.keep_services = linkage

    # -- reading ---------------------------------------------------------------
    def add(self, record: Any) -> None:
        """Take one typed record of any entity."""
        name = type(record).__name__
        handler = self._HANDLERS.get(name)
        entity = _entity_names().get(name, name)
        self.reading.records[entity] += 1
        if handler is None:
            self.reading.ignored[entity] += 1
            return
        handler(self, record)

    def _victim(self, record: Any) -> None:
        person = record.person
        birth = None
        if person.birth_date is not None:
            birth = partial_date_bounds(person.birth_date.value)
        decision = record.decision_date
        commission = record.deciding_body == "identification_commission"
        recognised = record.status == "actual" and commission and decision is not None
        referred = record.commission_referral_date
        decided = (
            (commission or referred is not None)
            and decision is not None
            and record.status in ("actual", "not_a_victim")
        )
        address = record.address
        region = address.region if address is not None else "unknown"
        if address is None:
            district = "unknown"
        elif address.region != "AM-ER":
            district = "outside_yerevan"
        else:
            district = address.district or "unknown"
        _, by_support, _, _ = _service_groups()
        mask = 0
        for code in record.support_received:
            mask |= by_support.get(code, 0)
        compensation = record.compensation
        victim = _Victim(
            id=record.id,
            meta_district=record.meta.district,
            sex=person.sex,
            birth=birth,
            status=record.status,
            recognised=recognised,
            commission_decided=decided,
            decision_date=decision,
            detection_date=record.pre_identification_start,
            registration_date=record.registration_date,
            exploitation=exploitation_category(list(record.exploitation_types)),
            citizenship=_citizenship(list(person.citizenships)),
            exploited_where=_exploited_where(list(record.trafficking_events)),
            region=region,
            district=district,
            support_mask=mask,
            compensation_paid=compensation is not None and compensation.status == "paid",
        )
        self.victims.append(victim)
        if self.linkage and recognised and decision is not None:
            if self.window_start <= decision <= self.period.end:
                self._keys(record, victim.registration_date or decision)
        elif self.linkage and record.meta.district:  # for beneficiaries_multi_district
            self._keys(record, victim.registration_date or record.meta.created.date())

    def _keys(self, record: Any, registered: dt.date | None) -> None:
        from casestd.dedup import record_keys

        for keys in record_keys(record, only=link_keys()):
            self.person_keys.append(keys)
            self.person_dates[keys.ref] = (record.meta.district, registered)

    def _child(self, record: Any) -> None:
        if self.linkage and record.meta.district:
            self._keys(record, record.registration_date)

    def _family(self, record: Any) -> None:
        if self.linkage and record.meta.district:  # a family record has no registration date
            self._keys(record, record.meta.created.date())

    def _case(self, record: Any) -> None:
        if record.case_type != "child_protection":
            return
        opened = record.opened.date()
        subject = record.subject.id
        if subject not in self.cp_cases or opened < self.cp_cases[subject]:
            self.cp_cases[subject] = opened

    def _service(self, record: Any) -> None:
        by_service, _, _, received = _service_groups()
        start = record.start_date
        if record.status in received:
            served = self.served.get(record.beneficiary_id)
            if served is None:
                served = self.served[record.beneficiary_id] = _Served()
            served.mask |= by_service.get(record.service_type, 0)
            if start is not None and (served.first_start is None or start < served.first_start):
                served.first_start = start
        if start is not None and start in self.period and record.status != "cancelled":
            key = (
                record.beneficiary_id,
                record.provider_district or "unknown",
                start.year * 12 + start.month,
            )
            entry = self.offices.get(key)
            if entry is None:
                entry = self.offices[key] = [start, None]
            entry[0] = min(entry[0], start)
            if record.cost_amd is not None:
                entry[1] = (entry[1] or 0) + record.cost_amd
        if self.keep_services and start is not None and record.status != "cancelled":
            # what service_overlaps reads, as a tuple: a Service object is ten times larger
            self.services.append(
                _ServiceRow(
                    record.id,
                    record.beneficiary_id,
                    record.service_type,
                    record.provider_agency,
                    record.provider_district,
                    start,
                    record.end_date,
                    record.status,
                    record.cost_amd,
                )
            )

    def _referral(self, record: Any) -> None:
        referred = record.referred.date()
        if referred not in self.period:
            self.referrals_outside += 1
            return
        done = None
        if record.completed is not None and record.status == "completed":
            done = max(0, (record.completed.date() - referred).days)
        self.referrals.append(
            (referred, record.status, done, str(record.to_agency), record.urgency)
        )

    def _organisation(self, record: Any) -> None:
        self.agency_types[str(record.agency_id)] = record.type

    _HANDLERS: Mapping[str, Any] = {
        "TraffickingVictim": _victim,
        "Case": _case,
        "Service": _service,
        "Referral": _referral,
        "Organisation": _organisation,
        "Child": _child,
        "Family": _family,
    }

    def merge(self, other: Collector) -> None:
        """Take in what another collector of the same plan read (a part of the input)."""
        for mine, theirs in (
            (self.reading.records, other.reading.records),
            (self.reading.ignored, other.reading.ignored),
        ):
            mine.update(theirs)
        self.victims += other.victims
        for beneficiary, served in other.served.items():
            seen = self.served.get(beneficiary)
            if seen is None:
                self.served[beneficiary] = served
                continue
            seen.mask |= served.mask
            starts = [d for d in (seen.first_start, served.first_start) if d is not None]
            seen.first_start = min(starts) if starts else None
        for subject, opened in other.cp_cases.items():
            self.cp_cases[subject] = min(opened, self.cp_cases.get(subject, opened))
        self.referrals += other.referrals
        self.referrals_outside += other.referrals_outside
        self.agency_types.update(other.agency_types)
        for key, (first, cost) in other.offices.items():
            entry = self.offices.get(key)
            if entry is None:
                self.offices[key] = [first, cost]
                continue
            entry[0] = min(entry[0], first)
            if cost is not None:
                entry[1] = (entry[1] or 0) + cost
        self.person_keys += other.person_keys
        self.person_dates.update(other.person_dates)
        self.services += other.services

    # -- units -------------------------------------------------------------------
    def _earlier_recognitions(self) -> dict[UUID, int]:
        """Victim id -> whole months since the same person's previous recognition."""
        victims = [k for k in self.person_keys if k.ref.startswith("trafficking_victim/")]
        decisions = {
            str(v.id): v.decision_date
            for v in self.victims
            if v.recognised and v.decision_date is not None
        }
        found: dict[UUID, int] = {}
        for cluster in _link(victims):
            dates = sorted(
                (decisions[ref.split("/", 1)[1]], ref)
                for ref in cluster.refs
                if ref.split("/", 1)[1] in decisions
            )
            for (before, _), (after, ref) in itertools.pairwise(dates):
                if after > before:
                    months = (after.year - before.year) * 12 + after.month - before.month
                    months -= after.day < before.day
                    found[UUID(ref.split("/", 1)[1])] = months
        return found

    def victim_units(self, period: Period) -> Iterator[dict[str, Any]]:
        """One dict of variables and categories per trafficking victim."""
        if self._earlier is None:
            self._earlier = self._earlier_recognitions() if self.linkage else {}
        earlier = self._earlier
        _, _, names, _ = _service_groups()
        end = period.end
        for victim in self.victims:
            served = self.served.get(victim.id)
            detection = victim.detection_date
            reference = detection or victim.registration_date or victim.decision_date
            age_group = age_category("age_group", victim.birth, reference)
            mask = victim.support_mask | (served.mask if served else 0)
            days_id = None
            if victim.recognised and detection is not None and victim.decision_date is not None:
                days_id = (victim.decision_date - detection).days
                days_id = None if days_id < 0 else days_id  # excluded: dates inconsistent
            first = served.first_start if served else None
            cp_case = self.cp_cases.get(victim.id)
            sex = victim.sex
            if age_group == "unknown" or sex not in ("female", "male"):
                sex_age = "unknown"
            else:
                sex_age = {
                    ("female", "adult"): "women",
                    ("male", "adult"): "men",
                    ("female", "child"): "girls",
                    ("male", "child"): "boys",
                }[(sex, age_group)]
            unit: dict[str, Any] = {
                "recognised": victim.recognised,
                "commission_decided": victim.commission_decided,
                "status": victim.status,
                "decision_date": victim.decision_date,
                "registration_date": victim.registration_date,
                "detection_date": detection,
                "days_to_identification": days_id,
                "days_to_first_service": (
                    max(0, (first - detection).days)
                    if first and detection and first <= end
                    else None
                ),
                "days_to_cp_case": (
                    max(0, (cp_case - detection).days)
                    if cp_case and detection and cp_case <= end
                    else None
                ),
                "is_child": None if age_group == "unknown" else age_group == "child",
                "compensation_paid": victim.compensation_paid,
                "months_since_earlier_recognition": earlier.get(victim.id),
                "sex": sex,
                "age_group": age_group,
                "age_band": age_category("age_band", victim.birth, reference),
                "sex_age": sex_age,
                "exploitation": victim.exploitation,
                "citizenship": victim.citizenship,
                "exploited_where": victim.exploited_where,
                "region": victim.region,
                "district": victim.district,
            }
            for bit, name in enumerate(names):
                unit[f"received_{name}"] = bool(mask >> bit & 1)
            yield unit

    def referral_units(self, period: Period) -> Iterator[dict[str, Any]]:
        end = period.end
        for referred, status, done, agency, urgency in self.referrals:
            if done is not None and referred + dt.timedelta(days=done) > end:
                done = None  # completed after the end of the period: still open then
            yield {
                "referred_date": referred,
                "status": status,
                "days_to_completion": done,
                "days_open": (end - referred).days,
                "agency_type": self.agency_types.get(agency, "unknown"),
                "urgency": urgency,
            }

    def beneficiary_units(self, period: Period) -> Iterator[dict[str, Any]]:
        found: dict[tuple[UUID, str], list[Any]] = {}
        for (beneficiary, office, _), (first, cost) in self.offices.items():
            if first not in period:
                continue
            entry = found.get((beneficiary, office))
            if entry is None:
                found[(beneficiary, office)] = [first, cost]
                continue
            entry[0] = min(entry[0], first)
            if cost is not None:
                entry[1] = (entry[1] or 0) + cost
        for (_, office), (first, cost) in found.items():
            yield {"first_service_date": first, "cost_amd": cost, "provider_district": office}

    def _clusters(self) -> list[Any]:
        if self._found_clusters is None:
            self._found_clusters = _link(self.person_keys)
        return self._found_clusters

    def person_units(self, period: Period) -> Iterator[dict[str, Any]]:
        clustered: set[str] = set()
        for cluster in self._clusters():
            clustered.update(cluster.refs)
            seen = [self.person_dates[ref] for ref in cluster.refs if ref in self.person_dates]
            districts = {district for district, _ in seen if district}
            dates = [day for _, day in seen if day is not None and day in period]
            yield {"registration_date": min(dates) if dates else None, "districts": len(districts)}
        for ref, (district, day) in self.person_dates.items():
            if ref not in clustered:
                yield {"registration_date": day, "districts": 1 if district else 0}

    def _overlap_candidates(self) -> list[Any]:
        """The kept services that can overlap another, as Service objects again.

        A service can only overlap one of the same type for the same person:
        another of its beneficiary, or one of a beneficiary in the same cluster.
        """
        from casestd.dedup.records import parse_ref
        from casestd.model.service import Service

        clustered = {
            parse_ref(ref).record_id.lower() for cluster in self._clusters() for ref in cluster.refs
        }
        pairs = Counter((row.beneficiary_id, row.service_type) for row in self.services)
        return [
            Service.model_construct(**row._asdict())  # validated when read
            for row in self.services
            if pairs[(row.beneficiary_id, row.service_type)] > 1
            or str(row.beneficiary_id).lower() in clustered
        ]

    def overlap_units(self, period: Period) -> Iterator[dict[str, Any]]:
        from casestd.dedup import service_overlaps

        candidates = self._overlap_candidates()
        for overlap in service_overlaps(candidates, self._clusters(), today=period.end):
            yield {"start_date": overlap.start}

    def units(self, population: str, period: Period) -> Iterator[dict[str, Any]]:
        """The units of one population: victim, referral, beneficiary, person, overlap."""
        makers = {
            "victim": self.victim_units,
            "referral": self.referral_units,
            "beneficiary": self.beneficiary_units,
            "person": self.person_units,
            "overlap": self.overlap_units,
        }
        return makers[population](period)
