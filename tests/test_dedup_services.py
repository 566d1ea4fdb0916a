"""service_overlaps(): one person served twice at once by different districts or agencies."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from casestd.dedup import Cluster, Overlap, Provider, find_duplicates, service_overlaps
from casestd.model.child import Child
from casestd.model.family import Family
from casestd.model.service import Service

from factories import child, family, meta, service

KENTRON = ("yerevan-kentron-sso", "kentron")
ARABKIR = ("yerevan-arabkir-sso", "arabkir")
TODAY = dt.date(2026, 1, 15)


def uuid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def a_child(number: int, district: str) -> Child:
    """The same girl, Ani Petrosyan born 2015-04-03, registered by ``district``."""
    payload = child()
    payload.update(
        id=uuid(number),
        meta={**meta(), "agency": f"yerevan-{district}-sso", "district": district},
        names=[{"given": "Ani", "family": "Petrosyan", "script": "latn"}],
        birth_date={"value": "2015-04-03"},
    )
    return Child.model_validate(payload)


def a_service(
    number: int,
    beneficiary: int,
    provider: tuple[str, str | None],
    start: str | None,
    end: str | None,
    cost: int | None = None,
    **extra: Any,
) -> Service:
    payload = service()
    payload.update(
        id=uuid(100 + number),
        beneficiary_id=uuid(beneficiary),
        provider_agency=provider[0],
        start_date=start,
        end_date=end,
        status="delivered" if end else "ongoing",
    )
    payload.update(extra)
    if provider[1] is not None:
        payload["provider_district"] = provider[1]
    if cost is not None:
        payload["cost_amd"] = cost
    return Service.model_validate({k: v for k, v in payload.items() if v is not None})


def same_girl() -> list[Cluster]:
    clusters = list(find_duplicates([a_child(1, "kentron"), a_child(2, "arabkir")]))
    assert len(clusters) == 1
    return clusters


def test_overlapping_services_from_two_districts_are_found_with_their_amounts() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31", cost=60_000),
        a_service(2, 2, ARABKIR, "2025-03-15", "2025-04-30", cost=90_000),
    ]
    (overlap,) = service_overlaps(services, same_girl(), today=TODAY)
    assert overlap.refs == (f"child/{uuid(1)}", f"child/{uuid(2)}")
    assert overlap.beneficiary_ids == (uuid(1), uuid(2))
    assert overlap.service_type == "psychosocial"
    assert overlap.service_ids == (uuid(101), uuid(102))
    assert overlap.providers == (Provider(*ARABKIR), Provider(*KENTRON))
    assert overlap.amounts_amd == (90_000, 60_000)
    assert (overlap.start, overlap.end) == (dt.date(2025, 3, 15), dt.date(2025, 3, 31))
    assert overlap.total_amd == 150_000


def test_sequential_services_do_not_overlap() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31"),
        a_service(2, 2, ARABKIR, "2025-04-01", "2025-04-30"),
    ]
    assert service_overlaps(services, same_girl(), today=TODAY) == []


def test_the_same_provider_twice_is_not_an_overlap() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31"),
        a_service(2, 2, KENTRON, "2025-03-15", "2025-04-30"),
    ]
    assert service_overlaps(services, same_girl(), today=TODAY) == []


def test_the_same_agency_in_another_district_is_another_provider() -> None:
    services = [
        a_service(1, 1, ("molsa-cmis", "kentron"), "2025-03-01", "2025-03-31"),
        a_service(2, 2, ("molsa-cmis", "arabkir"), "2025-03-31", "2025-04-30"),
    ]
    (overlap,) = service_overlaps(services, same_girl(), today=TODAY)
    assert overlap.start == overlap.end == dt.date(2025, 3, 31)


def test_another_service_type_is_not_an_overlap() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31"),
        a_service(2, 2, ARABKIR, "2025-03-01", "2025-03-31", service_type="education"),
    ]
    assert service_overlaps(services, same_girl(), today=TODAY) == []


def test_cancelled_and_unplaced_services_are_ignored() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31"),
        a_service(2, 2, ARABKIR, "2025-03-01", "2025-03-31", status="cancelled"),
        a_service(3, 2, ("molsa-cmis", None), None, None, status="planned"),
    ]
    assert service_overlaps(services, same_girl(), today=TODAY) == []


def test_a_service_without_end_runs_until_today() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", None, cost=10_000),
        a_service(2, 2, ARABKIR, "2025-12-01", "2026-03-01"),
    ]
    (overlap,) = service_overlaps(services, same_girl(), today=TODAY)
    assert (overlap.start, overlap.end) == (dt.date(2025, 12, 1), TODAY)
    assert overlap.amounts_amd == (None, 10_000)
    assert overlap.total_amd is None
    assert service_overlaps(services, same_girl(), today=dt.date(2025, 11, 30)) == []


def test_overlapping_services_chain_into_one_overlap() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-01-01", "2025-12-31", cost=100),
        a_service(2, 2, ARABKIR, "2025-02-01", "2025-02-28", cost=10),
        a_service(3, 2, ARABKIR, "2025-06-01", "2025-06-30", cost=20),
    ]
    (overlap,) = service_overlaps(services, same_girl(), today=TODAY)
    assert overlap.service_ids == (uuid(101), uuid(102), uuid(103))
    assert overlap.amounts_amd == (30, 100)
    assert (overlap.start, overlap.end) == (dt.date(2025, 2, 1), dt.date(2025, 6, 30))
    assert overlap.total_amd == 130


def test_a_single_record_served_by_two_districts_at_once_is_found() -> None:
    services = [
        a_service(1, 7, KENTRON, "2025-03-01", "2025-03-31"),
        a_service(2, 7, ARABKIR, "2025-03-10", "2025-03-20"),
        a_service(2, 7, ARABKIR, "2025-03-10", "2025-03-20"),  # read twice
    ]
    (overlap,) = service_overlaps(services, [], today=TODAY)
    assert overlap.refs == () and overlap.beneficiary_ids == (uuid(7),)
    assert overlap.service_ids == (uuid(101), uuid(102))


def test_a_family_service_reaches_the_cluster_of_its_member() -> None:
    payload = family()
    payload["id"] = uuid(3)
    payload["members"].append(
        {
            "names": [{"given": "Ани", "family": "Петросян", "script": "cyrl"}],
            "sex": "female",
            "birth_date": {"value": "2015-04-03"},
            "relationship": "daughter",
        }
    )
    clusters = find_duplicates([a_child(1, "kentron"), Family.model_validate(payload)])
    assert len(clusters) == 1
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31"),
        a_service(2, 3, ("ngo-manuk-centre", None), "2025-03-20", "2025-05-31"),
    ]
    (overlap,) = service_overlaps(services, clusters, today=TODAY)
    assert overlap.refs == clusters[0].refs
    assert overlap.providers == (Provider("ngo-manuk-centre"), Provider(*KENTRON))


def test_an_overlap_is_json_ready_and_holds_no_personal_data() -> None:
    services = [
        a_service(1, 1, KENTRON, "2025-03-01", "2025-03-31", cost=5),
        a_service(2, 2, ARABKIR, "2025-03-15", "2025-04-30"),
    ]
    (overlap,) = service_overlaps(services, same_girl(), today=TODAY)
    document = json.loads(json.dumps(overlap.to_dict()))
    assert document["providers"] == [
        {"agency": "yerevan-arabkir-sso", "district": "arabkir", "amount_amd": None},
        {"agency": "yerevan-kentron-sso", "district": "kentron", "amount_amd": 5},
    ]
    assert document["start"] == "2025-03-15" and document["total_amd"] is None
    assert "Petrosyan" not in repr(overlap) + json.dumps(document)
    assert isinstance(overlap, Overlap)
