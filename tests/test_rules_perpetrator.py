"""The perpetrator rules."""

from __future__ import annotations

import sys
from pathlib import Path

from casestd import validate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from factories import (
    CONTEXT,
    VICTIM_ID,
    assert_finding,
    assert_no_finding,
    check,
    perpetrator,
)


def test_minimal_perpetrator_is_valid() -> None:
    assert not check("perpetrator", perpetrator()).findings


def test_nothing_about_the_person_is_required() -> None:
    data = perpetrator()
    data["person"] = {}
    assert not check("perpetrator", data).findings


def test_victim_repeated() -> None:
    data = perpetrator()
    other = "9d1f3b5a-7c9e-4d1a-b3c5-e7f9a1b3c5d5"
    data["victim_ids"] = [VICTIM_ID, other]
    assert_no_finding(check("perpetrator", data), "perpetrator.victim_repeated")
    data["victim_ids"] = [VICTIM_ID, other, VICTIM_ID.upper()]
    paths = ("/victim_ids/0", "/victim_ids/2")
    assert_finding(check("perpetrator", data), "perpetrator.victim_repeated", "error", *paths)


def test_a_perpetrator_is_linked_to_a_victim() -> None:
    data = perpetrator()
    data["victim_ids"] = []
    report = validate("perpetrator", data, context=CONTEXT)
    assert [(f.rule, f.path) for f in report.findings] == [("field.length", "/victim_ids")]


def test_age_and_birth_date() -> None:
    data = perpetrator()
    assert_no_finding(check("perpetrator", data), "perpetrator.age_and_birth_date")
    data["person"]["birth_date"] = {"value": "1985", "estimated": True}
    assert_finding(
        check("perpetrator", data), "perpetrator.age_and_birth_date", "error", "/person/age"
    )
