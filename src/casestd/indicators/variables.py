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
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from uuid import UUID

import attrs

from casestd.indicators import catalogue
from casestd.indicators.categories import age_category, exploitation_category
from casestd.indicators.period import Period
from casestd.indicators.store import (
    PLAIN,
    Persons,
    Rows,
    Table,
    date,
    day,
    merged_office,
    office_key,
    office_key_parts,
    office_value,
    office_value_parts,
)
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


#: The columns of a victim's row (`Rows` of int32): table 0 the victims' ids, 1 the strings.
_VICTIM_KINDS = (0, 1, 1, PLAIN, PLAIN, 1, PLAIN, PLAIN, PLAIN, PLAIN, 1, 1, 1, 1, 1, PLAIN)
_RECOGNISED, _DECIDED, _COMPENSATED = 1, 2, 4
#: A referral's row: day referred, status, days to completion (-1: none), agency, urgency.
_REFERRAL_KINDS = (PLAIN, 1, PLAIN, 1, 1)
#: A kept service's row (what `casestd.dedup.service_overlaps` reads): beneficiary, type,
#: agency, district, start and end days, status; its id and cost are kept beside the rows.
_SERVICE_KINDS = (0, 1, 1, 1, PLAIN, PLAIN, 1)
_HALF = (1 << 64) - 1


_SEX_AGE = {
    ("female", "adult"): "women",
    ("male", "adult"): "men",
    ("female", "child"): "girls",
    ("male", "child"): "boys",
}


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


def _link(people: Iterable[Any]) -> list[Any]:
    """Clusters of the same person, linked by `link_keys` alone (no tolerant keys)."""
    from casestd.dedup import find_duplicates

    return list(find_duplicates(people, keys=link_keys(), tolerant=(), household=()))


class Collector:
    """Reads typed records once and yields the units of analysis with their variables.

    ``period`` is the reporting period; ``windows`` how far before its start
    records still matter (months, for re-identification); ``linkage`` whether
    to find the same person across records with the dedup keys. What it keeps
    is compact (`casestd.indicators.store`): rows of ints, the record ids and
    the code-list values numbered once.
    """

    def __init__(self, period: Period, *, months_back: int = 24, linkage: bool = True) -> None:
        self.period = period  # the span of every period asked for
        self.linkage = linkage
        self.window_start = add_years(period.start, -(months_back // 12 + 1))
        self.reading = Reading()
        #: the ids of victims, beneficiaries and case subjects (UUIDs as ints), numbered
        self.ids: Table[int | None] = Table()
        self.strings: Table[str | None] = Table()
        self.victims = Rows("i", _VICTIM_KINDS)
        # per number of `ids`: the kinds of service received (bits), first service start
        # and first child-protection case opened (day numbers, 0 for none)
        self.served_mask = array("i", [0])
        self.served_first = array("i", [0])
        self.cp_opened = array("i", [0])
        self.referrals = Rows("i", _REFERRAL_KINDS)
        self.referrals_outside = 0
        self.agency_types: dict[str, str] = {}
        #: `office_key` (id number, district office, month) -> `office_value`
        self.offices: dict[int, int] = {}
        self._found_clusters: list[Any] | None = None
        self._earlier: dict[int, int] | None = None
        #: the persons' linkage keys, each with its district office and registration day
        self.persons = Persons()
        self.services = Rows("i", _SERVICE_KINDS)
        self.service_ids = array("Q")  # two halves per kept service
        self.service_costs = array("q")  # -1 for none
        self.keep_services = linkage

    def _id(self, value: UUID) -> int:
        """The number of a record id in `ids`, given it (and its slots) the first time."""
        return self._number(value.int)

    def _number(self, value: int) -> int:
        found = self.ids.numbers.get(value)
        if found is None:
            found = self.ids.number(value)
            for column in (self.served_mask, self.served_first, self.cp_opened):
                column.append(0)
        return found

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
        birth = (0, 0)
        if person.birth_date is not None:
            low, high = partial_date_bounds(person.birth_date.value)
            birth = (low.toordinal(), high.toordinal())
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
        paid = compensation is not None and compensation.status == "paid"
        text = self.strings.number
        registration = record.registration_date
        self.victims.append(
            (
                self._id(record.id),
                text(record.meta.district),
                text(person.sex),
                *birth,
                text(record.status),
                recognised * _RECOGNISED | decided * _DECIDED | paid * _COMPENSATED,
                day(decision),
                day(record.pre_identification_start),
                day(registration),
                text(exploitation_category(list(record.exploitation_types))),
                text(_citizenship(list(person.citizenships))),
                text(_exploited_where(list(record.trafficking_events))),
                text(region),
                text(district),
                mask,
            )
        )
        if self.linkage and recognised and decision is not None:
            if self.window_start <= decision <= self.period.end:
                self._keys(record, registration or decision)
        elif self.linkage and record.meta.district:  # for beneficiaries_multi_district
            self._keys(record, registration or record.meta.created.date())

    def _keys(self, record: Any, registered: dt.date | None) -> None:
        from casestd.dedup import record_keys

        extra = (self.strings.number(record.meta.district), day(registered))
        for keys in record_keys(record, only=link_keys()):
            self.persons.add(keys.ref, keys.keys, extra)

    def _child(self, record: Any) -> None:
        if self.linkage and record.meta.district:
            self._keys(record, record.registration_date)

    def _family(self, record: Any) -> None:
        if self.linkage and record.meta.district:  # a family record has no registration date
            self._keys(record, record.meta.created.date())

    def _case(self, record: Any) -> None:
        if record.case_type != "child_protection":
            return
        opened = record.opened.date().toordinal()
        subject = self._id(record.subject.id)
        known = self.cp_opened[subject]
        if not known or opened < known:
            self.cp_opened[subject] = opened

    def _service(self, record: Any) -> None:
        by_service, _, _, received = _service_groups()
        start = record.start_date
        beneficiary = self._id(record.beneficiary_id)
        if record.status in received:
            self.served_mask[beneficiary] |= by_service.get(record.service_type, 0)
            first = self.served_first[beneficiary]
            if start is not None and (not first or start.toordinal() < first):
                self.served_first[beneficiary] = start.toordinal()
        if start is None or record.status == "cancelled":
            return
        text = self.strings.number
        if start in self.period:
            office = text(record.provider_district or "unknown")
            key = office_key(beneficiary, office, start.year * 12 + start.month)
            entry = office_value(start.toordinal(), record.cost_amd)
            self.offices[key] = merged_office(entry, self.offices.get(key))
        if self.keep_services:  # what service_overlaps reads
            self.services.append(
                (
                    beneficiary,
                    text(record.service_type),
                    text(record.provider_agency),
                    text(record.provider_district),
                    start.toordinal(),
                    day(record.end_date),
                    text(record.status),
                )
            )
            self.service_ids.extend((record.id.int >> 64, record.id.int & _HALF))
            self.service_costs.append(-1 if record.cost_amd is None else record.cost_amd)

    def _referral(self, record: Any) -> None:
        referred = record.referred.date()
        if referred not in self.period:
            self.referrals_outside += 1
            return
        done = -1
        if record.completed is not None and record.status == "completed":
            done = max(0, (record.completed.date() - referred).days)
        text = self.strings.number
        self.referrals.append(
            (referred.toordinal(), text(record.status), done, text(str(record.to_agency)),
             text(record.urgency))
        )  # fmt: skip

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
        ids = [0 if value is None else self._number(value) for value in other.ids.values]
        strings = self.strings.renumbering(other.strings)
        self.victims.extend(other.victims, (ids, strings))
        for their_number, number in enumerate(ids):
            if not their_number:
                continue
            self.served_mask[number] |= other.served_mask[their_number]
            for column, given in ((self.served_first, other.served_first),
                                  (self.cp_opened, other.cp_opened)):  # fmt: skip
                first = given[their_number]
                if first and (not column[number] or first < column[number]):
                    column[number] = first
        self.referrals.extend(other.referrals, (ids, strings))
        self.referrals_outside += other.referrals_outside
        self.agency_types.update(other.agency_types)
        for key, value in other.offices.items():
            beneficiary, office, month = office_key_parts(key)
            at = office_key(ids[beneficiary], strings[office], month)
            self.offices[at] = merged_office(value, self.offices.get(at))
        self.persons.extend(other.persons, strings)
        self.services.extend(other.services, (ids, strings))
        self.service_ids.extend(other.service_ids)
        self.service_costs.extend(other.service_costs)

    # -- units -------------------------------------------------------------------
    def _earlier_recognitions(self) -> dict[int, int]:
        """Victim id number -> whole months since the same person's previous recognition."""
        victim = "trafficking_victim/"
        if all(ref.startswith(victim) for ref in self.persons.refs):
            clusters = self._clusters()  # the same persons: link them once
        else:
            clusters = _link(self.persons.person_keys(victim))
        # the decision days of the victims in clusters only, made once the linking is done
        # (a dict of every victim beside the linking index would raise the peak)
        wanted = {ref.split("/", 1)[1] for cluster in clusters for ref in cluster.refs}
        decisions: dict[str, int] = {}
        for row in self.victims:
            if row[6] & _RECOGNISED and row[7]:
                text = str(UUID(int=self.ids.values[row[0]] or 0))
                if text in wanted:
                    decisions[text] = row[7]
        found: dict[int, int] = {}
        for cluster in clusters:
            dates = sorted(
                (dt.date.fromordinal(decisions[ref.split("/", 1)[1]]), ref)
                for ref in cluster.refs
                if ref.split("/", 1)[1] in decisions
            )
            for (before, _), (after, ref) in itertools.pairwise(dates):
                if after > before:
                    months = (after.year - before.year) * 12 + after.month - before.month
                    months -= after.day < before.day
                    found[self.ids.numbers[UUID(ref.split("/", 1)[1]).int]] = months
        return found

    def victim_units(self, period: Period) -> Iterator[dict[str, Any]]:
        """One dict of variables and categories per trafficking victim."""
        if self._earlier is None:
            self._earlier = self._earlier_recognitions() if self.linkage else {}
        earlier = self._earlier
        _, _, names, _ = _service_groups()
        received = [(f"received_{name}", bit) for bit, name in enumerate(names)]
        end = period.end
        text = self.strings.values
        for row in self.victims:
            (number, _, sex_code, born_low, born_high, status, flags, decided_on, detected_on,
             registered_on, exploitation, citizenship, exploited_where, region, district,
             support) = row  # fmt: skip
            recognised = bool(flags & _RECOGNISED)
            detection, decision = date(detected_on), date(decided_on)
            registration = date(registered_on)
            birth = (date(born_low), date(born_high)) if born_low else None
            reference = detection or registration or decision
            age_group = age_category("age_group", birth, reference)  # type: ignore[arg-type]
            mask = support | self.served_mask[number]
            days_id = None
            if recognised and detection is not None and decision is not None:
                days_id = (decision - detection).days
                days_id = None if days_id < 0 else days_id  # excluded: dates inconsistent
            first = date(self.served_first[number])
            cp_case = date(self.cp_opened[number])
            sex = text[sex_code]
            if age_group == "unknown" or sex not in ("female", "male"):
                sex_age = "unknown"
            else:
                sex_age = _SEX_AGE[(sex, age_group)]
            unit: dict[str, Any] = {
                "recognised": recognised,
                "commission_decided": bool(flags & _DECIDED),
                "status": text[status],
                "decision_date": decision,
                "registration_date": registration,
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
                "compensation_paid": bool(flags & _COMPENSATED),
                "months_since_earlier_recognition": earlier.get(number),
                "sex": sex,
                "age_group": age_group,
                "age_band": age_category("age_band", birth, reference),  # type: ignore[arg-type]
                "sex_age": sex_age,
                "exploitation": text[exploitation],
                "citizenship": text[citizenship],
                "exploited_where": text[exploited_where],
                "region": text[region],
                "district": text[district],
            }
            for name, bit in received:
                unit[name] = bool(mask >> bit & 1)
            yield unit

    def referral_units(self, period: Period) -> Iterator[dict[str, Any]]:
        end = period.end
        text = self.strings.values
        for referred_on, status, done, agency, urgency in self.referrals:
            referred = dt.date.fromordinal(referred_on)
            days: int | None = None if done < 0 else done
            if days is not None and referred + dt.timedelta(days=days) > end:
                days = None  # completed after the end of the period: still open then
            yield {
                "referred_date": referred,
                "status": text[status],
                "days_to_completion": days,
                "days_open": (end - referred).days,
                "agency_type": self.agency_types.get(text[agency] or "", "unknown"),
                "urgency": text[urgency],
            }

    def beneficiary_units(self, period: Period) -> Iterator[dict[str, Any]]:
        found: dict[int, int] = {}  # by beneficiary and office, any month (month 0)
        for key, value in self.offices.items():
            if dt.date.fromordinal(office_value_parts(value)[0]) not in period:
                continue
            beneficiary, office, _ = office_key_parts(key)
            person = office_key(beneficiary, office, 0)
            found[person] = merged_office(value, found.get(person))
        text = self.strings.values
        for person, value in found.items():
            first, cost = office_value_parts(value)
            yield {
                "first_service_date": dt.date.fromordinal(first),
                "cost_amd": cost,
                "provider_district": text[office_key_parts(person)[1]],
            }

    def _clusters(self) -> list[Any]:
        if self._found_clusters is None:
            self._found_clusters = _link(self.persons.person_keys())
        return self._found_clusters

    def person_units(self, period: Period) -> Iterator[dict[str, Any]]:
        # one entry per ref, the last one read of it (a record read twice counts once)
        dates: dict[str, tuple[int, int]] = {}
        for ref, district, registered in self.persons.extra():
            dates[ref] = (district, registered)
        clustered: set[str] = set()
        text = self.strings.values
        for cluster in self._clusters():
            clustered.update(cluster.refs)
            seen = [dates[ref] for ref in cluster.refs if ref in dates]
            offices = {district for district, _ in seen if text[district]}
            days = [d for _, n in seen if (d := date(n)) is not None and d in period]
            yield {"registration_date": min(days) if days else None, "districts": len(offices)}
        for ref, (district, registered) in dates.items():
            if ref not in clustered:
                districts = 1 if text[district] else 0
                yield {"registration_date": date(registered), "districts": districts}

    def _overlap_candidates(self) -> Iterator[Any]:
        """The kept services that can overlap another, as Service objects again.

        A service can only overlap one of the same type for the same person:
        another of its beneficiary, or one of a beneficiary in the same cluster.
        """
        from casestd.dedup.records import parse_ref
        from casestd.model.service import Service

        clustered = {
            parse_ref(ref).record_id.lower() for cluster in self._clusters() for ref in cluster.refs
        }
        pairs = Counter(row[0] << 32 | row[1] for row in self.services)  # beneficiary, type
        ids, text, halves = self.ids.values, self.strings.values, self.service_ids
        for number, (row, cost) in enumerate(zip(self.services, self.service_costs, strict=True)):
            beneficiary = UUID(int=ids[row[0]] or 0)
            if pairs[row[0] << 32 | row[1]] < 2 and str(beneficiary) not in clustered:
                continue
            fields: dict[str, Any] = {
                "id": UUID(int=halves[2 * number] << 64 | halves[2 * number + 1]),
                "beneficiary_id": beneficiary,
                "service_type": text[row[1]],
                "provider_agency": text[row[2]],
                "provider_district": text[row[3]],
                "start_date": date(row[4]),
                "end_date": date(row[5]),
                "status": text[row[6]],
                "cost_amd": None if cost < 0 else cost,
            }
            yield Service.model_construct(**fields)  # validated when read

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
