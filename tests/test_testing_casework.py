"""The generated casework: valid records of every entity it makes, with its planted edge cases."""

from __future__ import annotations

from collections import Counter

from casestd import validate
from casestd.testing.casework import casework


def test_every_record_is_valid_and_the_register_comes_first() -> None:
    work = casework(150, seed=5)
    entities = Counter(entity for entity, _ in work.records)
    assert set(entities) == {"organisation", "trafficking_victim", "case", "referral", "service"}
    assert work.records[0][0] == "organisation"
    for entity, payload in work.records:
        report = validate(entity, payload)
        assert report.ok, (entity, [f.rule for f in report.findings])
    assert len(work.truth) == entities["trafficking_victim"]


def test_the_edge_cases_are_planted() -> None:
    work = casework(400, seed=5)
    victims = [p for e, p in work.records if e == "trafficking_victim"]
    partial = [v for v in victims if len(v["person"]["birth_date"]["value"]) < 10]
    assert partial  # partial birth dates, some at the 18th birthday
    assert len(set(work.truth.values())) < len(victims)  # persons identified twice
    assert any("registration_date" not in v for v in victims)  # missing dates
    assert any("address" in v for v in victims) and any("address" not in v for v in victims)
    referrals = [p for e, p in work.records if e == "referral"]
    assert {"pending", "completed", "cancelled"} <= {r["status"] for r in referrals}
    agencies = {p["agency_id"] for e, p in work.records if e == "organisation"}
    assert any(r["to_agency"] not in agencies for r in referrals)  # not in the register
