"""The trafficking victim rules: each one caught at its exact field, and its boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casestd.rules import Deadlines, RuleContext

from factories import (
    CONTEXT,
    Payload,
    assert_finding,
    assert_no_finding,
    check,
    day,
    trafficking_victim,
)

START = "2025-03-01"


def identified(days: int = 5) -> Payload:
    """An actual victim decided ``days`` after pre-identification started."""
    data = trafficking_victim()
    data.update(
        status="actual",
        deciding_body="identification_commission",
        pre_identification_start=START,
        decision_date=day(START, days),
    )
    return data


def test_identified_victim_is_valid() -> None:
    assert not check("trafficking_victim", identified()).findings


def test_actual_without_decision() -> None:
    data = trafficking_victim()
    assert_no_finding(check("trafficking_victim", data), "trafficking.actual_without_decision")
    data["status"] = "actual"
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.actual_without_decision",
        "error",
        "/deciding_body",
        "/decision_date",
    )


@pytest.mark.parametrize("missing", ["deciding_body", "decision_date"])
def test_actual_without_one_part_of_the_decision(missing: str) -> None:
    data = identified()
    del data["pre_identification_start"]
    del data[missing]
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.actual_without_decision",
        "error",
        f"/{missing}",
    )


def test_not_a_victim_needs_no_decision() -> None:
    data = trafficking_victim()
    data["status"] = "not_a_victim"
    assert not check("trafficking_victim", data).findings


def test_sexual_type_without_sexual_exploitation() -> None:
    data = trafficking_victim()
    data["exploitation_types"] = ["sexual_exploitation", "forced_labour"]
    data["sexual_exploitation_types"] = ["prostitution"]
    assert not check("trafficking_victim", data).findings
    data["exploitation_types"] = ["forced_labour"]
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.sexual_type_without_sexual_exploitation",
        "error",
        "/sexual_exploitation_types",
    )


def test_industry_without_forced_labour() -> None:
    data = trafficking_victim()
    data["exploitation_types"] = ["forced_labour"]
    data["forced_labour_industries"] = ["construction", "agriculture_forestry_fishing"]
    assert not check("trafficking_victim", data).findings
    data["exploitation_types"] = ["sexual_exploitation", "forced_begging"]
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.industry_without_forced_labour",
        "error",
        "/forced_labour_industries",
    )


@pytest.mark.parametrize(
    ("birth", "oldest"),
    [
        ("2000-05-10", 25),  # 25 on 15 January 2026
        ("2000-01-15", 26),  # 26 exactly today
        ("2000-01-16", 25),  # 26 tomorrow
        ("2000", 26),  # born 1 January 2000 at the earliest
        ("2000-02", 25),
    ],
)
def test_age_when_trafficked_above_age(birth: str, oldest: int) -> None:
    data = trafficking_victim()
    data["person"]["birth_date"] = {"value": birth, "estimated": len(birth) < 10}
    data["age_when_trafficked"] = oldest
    assert_no_finding(
        check("trafficking_victim", data), "trafficking.age_when_trafficked_above_age"
    )
    assert not check("trafficking_victim", data).findings
    data["age_when_trafficked"] = oldest + 1
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.age_when_trafficked_above_age",
        "error",
        "/age_when_trafficked",
    )


def test_age_when_trafficked_without_birth_date() -> None:
    data = trafficking_victim()
    del data["person"]["birth_date"]
    data["age_when_trafficked"] = 90
    assert not check("trafficking_victim", data).findings


def test_decision_before_pre_identification() -> None:
    data = identified(days=0)  # decided the day pre-identification started: fine
    assert not check("trafficking_victim", data).findings
    data["decision_date"] = day(START, -1)
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.decision_before_pre_identification",
        "error",
        "/decision_date",
    )


def test_pre_identification_of_10_days_is_fine() -> None:
    assert not check("trafficking_victim", identified(days=10)).findings


def test_pre_identification_too_long() -> None:
    assert_no_finding(
        check("trafficking_victim", identified()), "trafficking.pre_identification_too_long"
    )
    [finding] = assert_finding(
        check("trafficking_victim", identified(days=11)),
        "trafficking.pre_identification_too_long",
        "warning",
        "/pre_identification_start",
    )
    assert "10" in finding.message


def test_pre_identification_still_running() -> None:
    data = trafficking_victim()
    data["pre_identification_start"] = day(CONTEXT.today.isoformat(), -10)
    assert not check("trafficking_victim", data).findings
    data["pre_identification_start"] = day(CONTEXT.today.isoformat(), -11)
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.pre_identification_too_long",
        "warning",
        "/pre_identification_start",
    )


def test_pre_identification_custom_deadline() -> None:
    data = identified(days=14)
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.pre_identification_too_long",
        "warning",
        "/pre_identification_start",
    )
    longer = Deadlines(pre_identification=timedelta(days=14))
    context = RuleContext(now=CONTEXT.now, deadlines=longer)
    assert not check("trafficking_victim", data, context=context).findings
    [finding] = assert_finding(
        check("trafficking_victim", identified(days=15), context=context),
        "trafficking.pre_identification_too_long",
        "warning",
        "/pre_identification_start",
    )
    assert "14" in finding.message


def test_pre_identification_ended_without_decision_is_not_timed() -> None:
    data = trafficking_victim()
    data.update(status="not_a_victim", pre_identification_start=START)
    assert not check("trafficking_victim", data).findings


def test_exploitation_end_before_start() -> None:
    data = trafficking_victim()
    data["exploitation_start"] = {"value": "2024-04"}
    data["exploitation_end"] = {"value": "2024-04-30"}
    assert_no_finding(
        check("trafficking_victim", data), "trafficking.exploitation_end_before_start"
    )
    data["exploitation_end"] = {"value": "2024"}  # may be any day of 2024: not before
    assert_no_finding(
        check("trafficking_victim", data), "trafficking.exploitation_end_before_start"
    )
    data["exploitation_end"] = {"value": "2024-03-31"}
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.exploitation_end_before_start",
        "error",
        "/exploitation_end/value",
    )


def test_decision_before_commission_referral() -> None:
    data = identified(days=6)
    data["commission_referral_date"] = day(START, 6)
    assert_no_finding(
        check("trafficking_victim", data), "trafficking.decision_before_commission_referral"
    )
    data["commission_referral_date"] = day(START, 7)
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.decision_before_commission_referral",
        "error",
        "/decision_date",
    )
    data["deciding_body"] = "police"  # the rule is about the commission's decisions
    assert_no_finding(
        check("trafficking_victim", data), "trafficking.decision_before_commission_referral"
    )


def test_event_location_outside_armenia() -> None:
    data = trafficking_victim()
    data["trafficking_events"] = [
        {"type": "recruitment", "country": "AM", "location": {"region": "AM-SH"}},
        {"type": "exploitation", "country": "RU", "location": {"place": "Moscow"}},
    ]
    assert_no_finding(
        check("trafficking_victim", data), "trafficking.event_location_outside_armenia"
    )
    data["trafficking_events"][1]["location"] = {"region": "AM-LO", "community": "Vanadzor"}
    assert_finding(
        check("trafficking_victim", data),
        "trafficking.event_location_outside_armenia",
        "error",
        "/trafficking_events/1/location/region",
        "/trafficking_events/1/location/community",
    )


def test_deprecated_recruitment_method_warns() -> None:
    data = trafficking_victim()
    data["recruitment_methods"] = ["at_work"]
    assert_no_finding(check("trafficking_victim", data), "record.deprecated_field")
    data["recruitment_method"] = "at_work"
    report = check("trafficking_victim", data)
    assert report.ok
    assert_finding(report, "record.deprecated_field", "warning", "/recruitment_method")
    assert "recruitment_methods" in report.findings[0].message


def test_victim_address_outside_yerevan_has_no_district() -> None:
    data = trafficking_victim()
    data["address"] = {"region": "AM-LO", "district": "avan"}
    assert_finding(
        check("trafficking_victim", data),
        "address.district_outside_yerevan",
        "error",
        "/address/district",
    )
