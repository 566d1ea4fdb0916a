"""The child and family rules: each one caught at its exact field, and its boundaries."""

from __future__ import annotations

import pytest

from factories import (
    CHILD_REF_ID,
    assert_finding,
    assert_no_finding,
    at,
    check,
    child,
    family,
    family_member,
)

# -- child --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "registered"),
    [
        ("2007-03-01", "2025-03-01"),  # 18 exactly on the registration date
        ("2007-02-28", "2025-03-01"),
        ("2007-05", "2025-06-01"),  # born 31 May 2007 at the latest: 18 on 31 May 2025
        ("2006", "2025-01-01"),  # born 31 Dec 2006 at the latest: 18 on 31 Dec 2024
    ],
)
def test_adult_at_registration(birth: str, registered: str) -> None:
    data = child()
    assert_no_finding(check("child", data), "child.adult_at_registration")
    data["birth_date"] = {"value": birth}
    data["registration_date"] = registered
    [finding] = assert_finding(
        check("child", data), "child.adult_at_registration", "error", "/registration_date"
    )
    assert "18" in finding.message


@pytest.mark.parametrize(
    ("birth", "registered"),
    [
        ("2007-03-02", "2025-03-01"),  # turns 18 the day after registration
        ("2007", "2025-06-01"),  # may be born as late as 31 Dec 2007: possibly under 18
        ("2007-06", "2025-06-01"),  # may be born as late as 30 Jun 2007
        ("2006", "2024-12-30"),  # 18 on 31 Dec 2024 at the earliest sure date
    ],
)
def test_not_adult_at_registration(birth: str, registered: str) -> None:
    data = child()
    data["birth_date"] = {"value": birth, "estimated": len(birth) < 10}
    data["registration_date"] = registered
    assert not check("child", data).findings


def test_adult_at_registration_born_on_29_february() -> None:
    data = child()
    data["birth_date"] = {"value": "2008-02-29"}
    data["registration_date"] = "2026-02-28"
    report = check("child", data, context=at("2026-03-01T12:00:00+04:00"))
    assert_finding(report, "child.adult_at_registration", "error", "/registration_date")
    data["registration_date"] = "2026-02-27"
    report = check("child", data, context=at("2026-03-01T12:00:00+04:00"))
    assert not report.findings


@pytest.mark.parametrize(
    "birth", ["2025-03-02", "2025-04", "2025-04-01"], ids=["next day", "next month", "later"]
)
def test_born_after_registration(birth: str) -> None:
    data = child()
    assert_no_finding(check("child", data), "child.born_after_registration")
    data["birth_date"] = {"value": birth}
    assert_finding(
        check("child", data), "child.born_after_registration", "error", "/birth_date/value"
    )


@pytest.mark.parametrize("birth", ["2025-03-01", "2025-03", "2025"])
def test_born_on_or_possibly_before_registration(birth: str) -> None:
    data = child()
    data["birth_date"] = {"value": birth, "estimated": len(birth) < 10}
    assert not check("child", data).findings


def test_registration_in_future() -> None:
    data = child()
    data["registration_date"] = "2026-01-15"  # today: fine
    assert not check("child", data).findings
    data["registration_date"] = "2026-01-16"
    assert_finding(
        check("child", data), "child.registration_in_future", "error", "/registration_date"
    )


def test_registration_in_future_uses_the_date_in_yerevan() -> None:
    data = child()
    data["registration_date"] = "2026-01-16"
    # 21:00 UTC on 15 January is already 16 January in Yerevan
    assert not check("child", data, context=at("2026-01-15T21:00:00+00:00")).findings
    report = check("child", data, context=at("2026-01-15T19:59:00+00:00"))
    assert_finding(report, "child.registration_in_future", "error", "/registration_date")


def test_functioning_domain_repeated() -> None:
    data = child()
    data["functioning"] = [
        {"domain": "seeing", "difficulty": "no_difficulty"},
        {"domain": "hearing", "difficulty": "no_difficulty"},
    ]
    assert not check("child", data).findings
    data["functioning"].append({"domain": "seeing", "difficulty": "some_difficulty"})
    # every answer of the repeated domain, whichever came first
    paths = ("/functioning/0/domain", "/functioning/2/domain")
    assert_finding(check("child", data), "child.functioning_domain_repeated", "error", *paths)


# -- family -------------------------------------------------------------------


def test_no_head_of_household() -> None:
    data = family()
    assert_no_finding(check("family", data), "family.head_of_household_count")
    data["members"][0].update(relationship="other_relative", head_of_household=False)
    [finding] = assert_finding(
        check("family", data), "family.head_of_household_count", "error", "/members"
    )
    assert "0" in finding.message


def test_two_heads_of_household() -> None:
    data = family()
    second = family_member("head", "female", "1986-07-01")
    second["head_of_household"] = True
    data["members"].append(second)
    [finding] = assert_finding(
        check("family", data), "family.head_of_household_count", "error", "/members"
    )
    assert "2" in finding.message


def test_head_relationship_on_a_member_who_is_not_head() -> None:
    data = family()
    data["members"].append(family_member("spouse", "female", "1986-07-01"))
    assert not check("family", data).findings
    data["members"][1]["relationship"] = "head"
    assert_finding(
        check("family", data),
        "family.head_relationship_mismatch",
        "error",
        "/members/1/relationship",
    )


def test_head_of_household_without_head_relationship() -> None:
    data = family()
    data["members"][0]["relationship"] = "other_relative"
    assert_finding(
        check("family", data),
        "family.head_relationship_mismatch",
        "error",
        "/members/0/relationship",
    )


@pytest.mark.parametrize(
    ("relationship", "sex"), [("daughter", "male"), ("father", "female"), ("nephew", "female")]
)
def test_relationship_sex_mismatch(relationship: str, sex: str) -> None:
    data = family()
    assert_no_finding(check("family", data), "family.relationship_sex_mismatch")
    data["members"].append(family_member(relationship, sex))
    assert_finding(
        check("family", data), "family.relationship_sex_mismatch", "warning", "/members/1/sex"
    )


@pytest.mark.parametrize(
    ("relationship", "sex"),
    [("daughter", "female"), ("daughter", "other"), ("daughter", "unknown"), ("spouse", "male")],
)
def test_relationship_sex_agrees_or_is_not_implied(relationship: str, sex: str) -> None:
    data = family()
    data["members"].append(family_member(relationship, sex))
    assert not check("family", data).findings


def test_more_than_one_spouse() -> None:
    data = family()
    data["members"].append(family_member("spouse", "female", "1986-07-01"))
    assert not check("family", data).findings
    data["members"].append(family_member("partner", "female", "1990-01-01"))
    paths = ("/members/1/relationship", "/members/2/relationship")
    assert_finding(check("family", data), "family.spouse_count", "warning", *paths)


@pytest.mark.parametrize(
    ("relationship", "sex", "birth"),
    [
        ("mother", "female", "1985-02-20"),  # born the same day as the head
        ("grandfather", "male", "1990"),
        ("son", "male", "1985-02-20"),
        ("granddaughter", "female", "1984-12"),
    ],
)
def test_generation_order(relationship: str, sex: str, birth: str) -> None:
    data = family()
    assert_no_finding(check("family", data), "family.generation_order")
    data["members"].append(family_member(relationship, sex, birth))
    assert_finding(
        check("family", data), "family.generation_order", "warning", "/members/1/birth_date"
    )


@pytest.mark.parametrize(
    ("relationship", "sex", "birth"),
    [
        ("mother", "female", "1985-02-19"),
        ("mother", "female", "1985"),  # may be born before the head: not sure, no warning
        ("son", "male", "1985-02-21"),
        ("son", "male", "1985-02"),
        ("brother", "male", "1990-01-01"),  # no generation implied
    ],
)
def test_generation_order_fine_or_uncertain(relationship: str, sex: str, birth: str) -> None:
    data = family()
    data["members"].append(family_member(relationship, sex, birth))
    assert not check("family", data).findings


def test_generation_order_needs_the_head_birth_date() -> None:
    data = family()
    del data["members"][0]["birth_date"]
    data["members"].append(family_member("mother", "female", "2000-01-01"))
    assert not check("family", data).findings


def test_child_reference_repeated() -> None:
    data = family()
    son = family_member("son", "male", "2012-05-05")
    son["child_id"] = CHILD_REF_ID
    daughter = family_member("daughter", "female", "2014-09-09")
    data["members"] += [son, daughter]
    assert not check("family", data).findings
    daughter["child_id"] = CHILD_REF_ID.upper()  # the same UUID written differently
    paths = ("/members/1/child_id", "/members/2/child_id")
    assert_finding(check("family", data), "family.child_reference_repeated", "error", *paths)
