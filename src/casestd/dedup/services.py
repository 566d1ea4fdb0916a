"""The same service paid twice: one person served by several districts or agencies at once.

`service_overlaps` takes `~casestd.model.service.Service` records and the
person clusters of `casestd.dedup.find_duplicates`. A service reaches a
cluster when its ``beneficiary_id`` is the record id in one of the cluster's
refs (``child/<id>``, ``trafficking_victim/<id>``, or ``family/<id>/members/<n>``
for a service to the family: it reaches the cluster of each member). A
service whose beneficiary is in no cluster stays with its own beneficiary id,
so a single record served by two districts at once is found as well.

Within one person (cluster or beneficiary) and one ``service_type``, two
services *overlap* when their providers differ (another agency, or the same
agency in another district) and their periods share a day. A missing
``end_date`` means the service is still going on (until ``today``); a service
without ``start_date`` cannot be placed and is skipped; cancelled services are
ignored. Services joined by overlaps form one `Overlap`, with its providers,
the span from the first to the last day on which two providers served at once,
and the amounts: per provider the sum of ``cost_amd`` of its services there,
None when one of them has no cost; ``total_amd`` likewise over all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from casestd.dedup.clusters import Cluster
from casestd.dedup.records import parse_ref
from casestd.model.service import Service

_CANCELLED = "cancelled"


@attrs.frozen(order=True)
class Provider:
    """Who provides a service: an agency, and its district office when in Yerevan."""

    agency: str
    district: str | None = None

    def __str__(self) -> str:
        return f"{self.agency} ({self.district})" if self.district else self.agency

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"agency": self.agency, "district": self.district}


def _provider_order(provider: Provider) -> tuple[str, str]:
    """Sort key of providers: an agency without a district office comes first."""
    return (provider.agency, provider.district or "")


@attrs.frozen
class Overlap:
    """Services of one type given to one person by several providers at the same time.

    ``refs`` are the refs of the person's cluster, ``()`` when the beneficiary
    is a single record in no cluster; ``beneficiary_ids`` the beneficiary ids
    of the services. ``providers`` are sorted and ``amounts_amd`` follows them.
    ``start`` and ``end`` bound the days on which two providers served at once.
    """

    refs: tuple[str, ...]
    beneficiary_ids: tuple[str, ...]
    service_type: str
    service_ids: tuple[str, ...]
    providers: tuple[Provider, ...]
    amounts_amd: tuple[int | None, ...]
    start: dt.date
    end: dt.date
    total_amd: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "refs": list(self.refs),
            "beneficiary_ids": list(self.beneficiary_ids),
            "service_type": self.service_type,
            "service_ids": list(self.service_ids),
            "providers": [
                {**provider.to_dict(), "amount_amd": amount}
                for provider, amount in zip(self.providers, self.amounts_amd, strict=True)
            ],
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total_amd": self.total_amd,
        }


@attrs.frozen
class _Span:
    id: str
    beneficiary: str
    provider: Provider
    start: dt.date
    end: dt.date
    cost: int | None


def _sum(values: Iterable[int | None]) -> int | None:
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


def _group_overlaps(refs: tuple[str, ...], service_type: str, spans: list[_Span]) -> list[Overlap]:
    spans.sort(key=lambda span: (span.start, span.end, span.id))
    parent = list(range(len(spans)))

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    periods: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for low, first in enumerate(spans):
        for high in range(low + 1, len(spans)):
            second = spans[high]
            if second.start > first.end:
                break  # sorted by start: no later span reaches back to ``first``
            if second.provider == first.provider:
                continue
            parent[find(high)] = find(low)
            periods.setdefault(low, []).append((second.start, min(first.end, second.end)))
    members: dict[int, list[int]] = {}
    for index in range(len(spans)):
        members.setdefault(find(index), []).append(index)
    shared: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for low, found in periods.items():
        shared.setdefault(find(low), []).extend(found)
    overlaps = []
    for root, days in shared.items():
        group = [spans[index] for index in members[root]]
        providers = tuple(sorted({span.provider for span in group}, key=_provider_order))
        amounts = tuple(
            _sum(span.cost for span in group if span.provider == provider) for provider in providers
        )
        overlaps.append(
            Overlap(
                refs=refs,
                beneficiary_ids=tuple(sorted({span.beneficiary for span in group})),
                service_type=service_type,
                service_ids=tuple(sorted(span.id for span in group)),
                providers=providers,
                amounts_amd=amounts,
                start=min(start for start, _ in days),
                end=max(end for _, end in days),
                total_amd=_sum(amounts),
            )
        )
    return overlaps


def service_overlaps(
    services: Iterable[Service],
    clusters: Sequence[Cluster],
    *,
    today: dt.date | None = None,
) -> list[Overlap]:
    """The services of one type given to one person by several providers at once.

    See the module doc for the rule. ``today`` (default: the current date)
    ends the services still going on. Records that are not services are
    ignored; a service id seen twice counts once. The result is sorted by
    refs, beneficiary ids, service type and start.
    """
    until = today or dt.date.today()
    clusters_of: dict[str, list[int]] = {}
    for number, cluster in enumerate(clusters):
        for ref in cluster.refs:
            found = parse_ref(ref).record_id.lower()  # UUIDs compare in lower case
            if found and number not in clusters_of.setdefault(found, []):
                clusters_of[found].append(number)
    groups: dict[tuple[tuple[str, ...], str, str], list[_Span]] = {}
    seen: set[str] = set()
    for service in services:
        if not isinstance(service, Service) or service.status == _CANCELLED:
            continue
        if service.start_date is None or str(service.id) in seen:
            continue
        seen.add(str(service.id))
        end = service.end_date or max(until, service.start_date)
        if end < service.start_date:
            continue
        beneficiary = str(service.beneficiary_id).lower()
        span = _Span(
            id=str(service.id),
            beneficiary=beneficiary,
            provider=Provider(service.provider_agency, service.provider_district),
            start=service.start_date,
            end=end,
            cost=service.cost_amd,
        )
        numbers = clusters_of.get(beneficiary)
        # a person is a cluster (its refs), or else the beneficiary record alone
        owners = [(clusters[n].refs, "") for n in numbers] if numbers else [((), beneficiary)]
        for refs, alone in owners:
            groups.setdefault((refs, alone, service.service_type), []).append(span)
    overlaps = []
    for (refs, _, service_type), spans in groups.items():
        overlaps.extend(_group_overlaps(refs, service_type, spans))
    overlaps.sort(key=lambda item: (item.refs, item.beneficiary_ids, item.service_type, item.start))
    return overlaps
