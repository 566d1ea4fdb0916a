"""The cross-district report: the same beneficiary in several districts, services, costs.

`cross_district_report` reads the workbooks of several district offices
(`casestd.workbook.iter_read`), and from their valid records finds:

(a) beneficiaries registered in more than one district: the person clusters of
    `casestd.dedup.find_duplicates` across all files whose rows come from at
    least two districts, each shown as row references (file, sheet, row,
    district) and the names of the keys that matched;
(b) services duplicated across districts: `casestd.dedup.service_overlaps` (the
    same person, the same service type, overlapping periods, several providers),
    with the rows of the services;
(c) the budget table: the cost of services in AMD by district, service type,
    funding source and month of the service's start, with the number of services,
    distinct beneficiaries (a person registered twice counts once) and the cost
    per beneficiary. Cancelled services are left out.

Nothing in the report quotes a name unless asked (``show_names``); counts of
beneficiaries from 1 to `SMALL_COUNT` are suppressed unless ``suppress=False``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
from pydantic import BaseModel

from casestd.dedup import find_duplicates, service_overlaps
from casestd.dedup.records import parse_ref, persons
from casestd.dedup.services import Overlap
from casestd.model.service import Service
from casestd.rules.engine import RuleContext
from casestd.workbook.importer import iter_read
from casestd.workbook.reading import Info
from casestd.workbook.results import RowResult

#: Counts of beneficiaries from 1 to this are suppressed in the budget table.
SMALL_COUNT = 10
UNKNOWN = "unknown"


@attrs.frozen(order=True)
class RowRef:
    """Where a record is: the file, the sheet, the row and the district that registered it."""

    file: str
    sheet: str
    row: int
    district: str | None
    ref: str = attrs.field(order=False)

    def __str__(self) -> str:
        return f"{self.file}!{self.sheet}!{self.row}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "district": self.district,
            "ref": self.ref,
        }


@attrs.frozen
class Duplicate:
    """One beneficiary registered in several districts: its rows and the keys that matched."""

    rows: tuple[RowRef, ...]
    keys: tuple[str, ...]
    names: tuple[str, ...] = attrs.field(default=(), repr=False)

    @property
    def districts(self) -> tuple[str, ...]:
        """The districts of the rows, sorted (``unknown`` where a row has none)."""
        return tuple(sorted({row.district or UNKNOWN for row in self.rows}))

    def to_dict(self, show_names: bool = False) -> dict[str, Any]:
        """JSON-ready form; names only with ``show_names``."""
        found: dict[str, Any] = {
            "districts": list(self.districts),
            "rows": [row.to_dict() for row in self.rows],
            "keys": list(self.keys),
        }
        if show_names:
            found["names"] = list(self.names)
        return found


@attrs.frozen
class DoubleService:
    """Services of one type given to one person by several providers at the same time."""

    overlap: Overlap
    rows: tuple[RowRef, ...]

    @property
    def districts(self) -> tuple[str, ...]:
        """The districts of the providers, sorted."""
        return tuple(sorted({p.district or UNKNOWN for p in self.overlap.providers}))

    @property
    def cross_district(self) -> bool:
        """True when the providers are in two or more districts."""
        return len(self.districts) > 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            **self.overlap.to_dict(),
            "districts": list(self.districts),
            "cross_district": self.cross_district,
            "rows": [row.to_dict() for row in self.rows],
        }


@attrs.frozen
class BudgetRow:
    """The cost of the services of one district, type, funding source and month."""

    district: str
    service_type: str
    funding_source: str
    month: str
    cost_amd: int
    services: int
    beneficiaries: int | None
    without_cost: int = 0

    @property
    def per_beneficiary(self) -> float | None:
        """Cost per distinct beneficiary (None when the count is suppressed)."""
        if not self.beneficiaries:
            return None
        return round(self.cost_amd / self.beneficiaries, 1)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "district": self.district,
            "service_type": self.service_type,
            "funding_source": self.funding_source,
            "month": self.month,
            "cost_amd": self.cost_amd,
            "services": self.services,
            "beneficiaries": self.beneficiaries,
            "cost_per_beneficiary_amd": self.per_beneficiary,
            "services_without_cost": self.without_cost,
        }


@attrs.frozen
class Report:
    """The cross-district report; `to_dict` is its JSON form."""

    duplicates: tuple[Duplicate, ...]
    services: tuple[DoubleService, ...]
    budget: tuple[BudgetRow, ...]
    records: int
    invalid: int
    unreadable: tuple[str, ...]
    suppressed: bool

    def to_dict(self, show_names: bool = False) -> dict[str, Any]:
        """JSON-ready form; names only with ``show_names``."""
        return {
            "records": self.records,
            "invalid": self.invalid,
            "unreadable": list(self.unreadable),
            "duplicates": [item.to_dict(show_names) for item in self.duplicates],
            "services": [item.to_dict() for item in self.services],
            "budget": [row.to_dict() for row in self.budget],
            "small_counts_suppressed": self.suppressed,
        }


@attrs.define
class _Collected:
    records: list[BaseModel] = attrs.field(factory=list)
    rows: dict[str, RowRef] = attrs.field(factory=dict)  # person ref or service id -> row
    district_of: dict[str, str | None] = attrs.field(factory=dict)  # record id -> district
    count: int = 0
    invalid: int = 0
    unreadable: list[str] = attrs.field(factory=list)


def _district(record: Any, fallback: str | None) -> str | None:
    district: str | None = record.meta.district
    return district or fallback


def _collect(result: RowResult, file: str, file_district: str | None, found: _Collected) -> None:
    record = result.record
    if record is None or result.sheet is None or result.row is None:
        return
    found.records.append(record)
    district = _district(record, file_district)
    found.district_of[str(getattr(record, "id", ""))] = district
    if isinstance(record, Service):
        found.rows[str(record.id)] = RowRef(
            file, result.sheet, result.row, district, f"service/{record.id}"
        )
        return
    for index, held in enumerate(persons(record)):
        sheet, row = result.sheet, result.row
        if result.parts and result.parts_sheet is not None and index < len(result.parts):
            sheet, row = result.parts_sheet, result.parts[index]
        found.rows[held.ref] = RowRef(file, sheet, row, district, held.ref)


def _read_all(paths: Iterable[str | Path], lang: str, context: RuleContext | None) -> _Collected:
    found = _Collected()
    for path in paths:
        file = str(path)
        info: list[Info] = []
        for result in iter_read(path, lang=lang, context=context, on_info=info.append):
            file_district = info[0].district if info else None
            if result.unreadable:
                found.unreadable.append(file)
            elif result.entity is not None:
                found.count += 1
                found.invalid += not result.ok
                _collect(result, file, file_district, found)
    return found


def _names(record_refs: Sequence[str], records: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for ref in record_refs:
        person = records.get(ref)
        if person is None:
            continue
        for name in person.names:
            parts = (name.given, name.patronymic, name.family)
            names.append(" ".join(part for part in parts if part) + f" [{name.script}]")
    return tuple(names)


def _budget(
    services: Sequence[Service],
    found: _Collected,
    person_of: dict[str, str],
    suppress: bool,
) -> tuple[BudgetRow, ...]:
    cells: dict[tuple[str, str, str, str], list[Service]] = {}
    for service in services:
        if service.status == "cancelled":
            continue
        district = service.provider_district or found.district_of.get(str(service.id)) or UNKNOWN
        month = service.start_date.strftime("%Y-%m") if service.start_date else UNKNOWN
        key = (district, service.service_type, service.funding_source or UNKNOWN, month)
        cells.setdefault(key, []).append(service)
    rows = []
    for (district, kind, funding, month), group in sorted(cells.items()):
        people = {person_of.get(str(s.beneficiary_id), str(s.beneficiary_id)) for s in group}
        count: int | None = len(people)
        if suppress and count is not None and 1 <= count <= SMALL_COUNT:
            count = None
        rows.append(
            BudgetRow(
                district=district,
                service_type=kind,
                funding_source=funding,
                month=month,
                cost_amd=sum(s.cost_amd or 0 for s in group),
                services=len(group),
                beneficiaries=count,
                without_cost=sum(s.cost_amd is None for s in group),
            )
        )
    return tuple(rows)


def cross_district_report(
    paths: Iterable[str | Path],
    *,
    lang: str = "en",
    context: RuleContext | None = None,
    today: dt.date | None = None,
    suppress: bool = True,
) -> Report:
    """The cross-district report of the workbooks at ``paths`` (see the module doc)."""
    found = _read_all(paths, lang, context)
    clusters = find_duplicates(found.records)
    person_records = {held.ref: held.person for r in found.records for held in persons(r)}
    duplicates = []
    person_of: dict[str, str] = {}
    for number, cluster in enumerate(clusters):
        for ref in cluster.refs:
            record = parse_ref(ref).record_id.lower()
            if record:
                person_of.setdefault(record, f"cluster {number}")
        rows = tuple(sorted(found.rows[ref] for ref in cluster.refs if ref in found.rows))
        if len({row.district for row in rows}) < 2:
            continue
        duplicates.append(Duplicate(rows, cluster.keys, _names(cluster.refs, person_records)))
    services = [r for r in found.records if isinstance(r, Service)]
    doubles = []
    seen: set[tuple[str, ...]] = set()
    for overlap in service_overlaps(services, clusters, today=today):
        if overlap.service_ids in seen:
            continue  # a service to a family reaches the cluster of each member: once is enough
        seen.add(overlap.service_ids)
        rows = tuple(sorted(found.rows[s] for s in overlap.service_ids if s in found.rows))
        doubles.append(DoubleService(overlap, rows))
    return Report(
        duplicates=tuple(duplicates),
        services=tuple(doubles),
        budget=_budget(services, found, person_of, suppress),
        records=found.count,
        invalid=found.invalid,
        unreadable=tuple(found.unreadable),
        suppressed=suppress,
    )
