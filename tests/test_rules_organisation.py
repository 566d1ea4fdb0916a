"""The organisation rules."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from factories import (
    ORGANISATION_ID,
    assert_finding,
    assert_no_finding,
    check,
    organisation,
)


def test_minimal_organisation_is_valid() -> None:
    assert not check("organisation", organisation()).findings


def test_own_parent() -> None:
    data = organisation()
    data["parent_id"] = "9d1f3b5a-7c9e-4d1a-b3c5-e7f9a1b3c5d5"
    assert_no_finding(check("organisation", data), "organisation.own_parent")
    data["parent_id"] = ORGANISATION_ID
    assert_finding(check("organisation", data), "organisation.own_parent", "error", "/parent_id")


def test_district_outside_yerevan_applies_to_organisations() -> None:
    data = organisation()
    data["address"] = {"region": "AM-SH", "district": "kentron"}
    assert_finding(
        check("organisation", data),
        "address.district_outside_yerevan",
        "error",
        "/address/district",
    )
