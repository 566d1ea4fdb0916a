"""The synthetic district registers: valid records, consistent truth, planted services."""

from __future__ import annotations

from typing import Any

from casestd import validate
from casestd.model.service import Service
from casestd.workbook.sample import district_registers


def test_registers_are_valid_and_their_truth_consistent() -> None:
    sample = district_registers(150, seed=2)
    services = {str(r.id): r for r in sample.all_records() if isinstance(r, Service)}
    for district, found in sample.records.items():
        for record in found:
            entity = "service" if isinstance(record, Service) else type(record).__name__.lower()
            assert validate(entity, record.model_dump(mode="json")).ok
            meta: Any = getattr(record, "meta", None)
            assert meta is not None and meta.district == district
    for first, second in sample.planted_services:
        a, b = services[first], services[second]
        assert a.service_type == b.service_type and a.provider_district != b.provider_district
        assert a.start_date and b.start_date and a.end_date and b.end_date
        assert a.start_date <= b.end_date and b.start_date <= a.end_date
    for first, second in sample.true_pairs():
        assert sample.truth[first] == sample.truth[second]
        assert sample.district_of[first] != sample.district_of[second]
    assert district_registers(150, seed=2).truth == sample.truth
