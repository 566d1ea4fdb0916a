"""The case rules: closure, duplicates, transfers, and the deadlines with their boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casestd.rules import Deadlines, RuleContext

from factories import (
    CASE_ID,
    CASE_OPENED,
    CONTEXT,
    Payload,
    assert_finding,
    assert_no_finding,
    at,
    case,
    check,
    stamp,
)


def closure(**delta: float) -> Payload:
    """A closure ``delta`` after the opening of the valid case."""
    return {"date": stamp(CASE_OPENED, **delta), "reason": "goals_achieved"}


def transfer(**delta: float) -> Payload:
    """A transfer ``delta`` after the opening of the valid case."""
    return {"date": stamp(CASE_OPENED, **delta), "to_agency": "yerevan-arabkir-sso"}


def high_risk(*assessed_after: timedelta) -> Payload:
    """The valid case at high risk, assessed at the given times after opening."""
    data = case()
    data["risk_level"] = "high"
    data["assessments"] = [
        {"type": "risk", "completed": stamp(CASE_OPENED, seconds=after.total_seconds())}
        for after in assessed_after
    ]
    return data


# -- closure, duplicates, transfers ------------------------------------------


def test_closed_without_closure() -> None:
    data = case()
    assert_no_finding(check("case", data), "case.closed_without_closure")
    data["status"] = "closed"
    assert_finding(check("case", data), "case.closed_without_closure", "error", "/closure")
    data["closure"] = closure(days=10)
    assert not check("case", data).findings


@pytest.mark.parametrize("status", ["open", "transferred", "duplicate"])
def test_closure_on_open_case(status: str) -> None:
    data = case()
    assert_no_finding(check("case", data), "case.closure_on_open_case")
    data["status"] = status
    data["closure"] = closure(days=10)
    if status == "transferred":
        data["transfer"] = transfer(days=5)
    if status == "duplicate":
        data["duplicate_of"] = "00000000-0000-4000-8000-000000000001"
    assert_finding(check("case", data), "case.closure_on_open_case", "warning", "/status")


def test_closure_before_opening() -> None:
    data = case()
    data["status"] = "closed"
    data["closure"] = closure(minutes=0)  # closed the moment it was opened: fine
    assert_no_finding(check("case", data), "case.closure_before_opening")
    data["closure"] = closure(minutes=-1)
    assert_finding(check("case", data), "case.closure_before_opening", "error", "/closure/date")


def test_duplicate_without_reference() -> None:
    data = case()
    assert_no_finding(check("case", data), "case.duplicate_without_reference")
    data["status"] = "duplicate"
    assert_finding(
        check("case", data), "case.duplicate_without_reference", "error", "/duplicate_of"
    )
    data["duplicate_of"] = "00000000-0000-4000-8000-000000000001"
    assert not check("case", data).findings


def test_duplicate_reference_on_a_case_that_is_not_duplicate() -> None:
    data = case()
    data["duplicate_of"] = "00000000-0000-4000-8000-000000000001"
    assert_finding(
        check("case", data),
        "case.duplicate_reference_on_other_status",
        "warning",
        "/duplicate_of",
    )


def test_transfer_on_a_case_that_is_not_transferred() -> None:
    data = case()
    assert_no_finding(check("case", data), "case.transfer_on_other_status")
    data["transfer"] = {"date": stamp(CASE_OPENED, days=3), "to_agency": "ngo-shelter-yerevan"}
    assert_finding(check("case", data), "case.transfer_on_other_status", "warning", "/status")


@pytest.mark.parametrize("written", [CASE_ID, CASE_ID.upper()], ids=["same", "upper case"])
def test_duplicate_of_itself(written: str) -> None:
    data = case()
    data["status"] = "duplicate"
    data["duplicate_of"] = "00000000-0000-4000-8000-000000000001"
    assert_no_finding(check("case", data), "case.duplicate_of_itself")
    data["duplicate_of"] = written
    assert_finding(check("case", data), "case.duplicate_of_itself", "error", "/duplicate_of")


def test_transferred_without_destination() -> None:
    data = case()
    assert_no_finding(check("case", data), "case.transferred_without_destination")
    data["status"] = "transferred"
    assert_finding(
        check("case", data), "case.transferred_without_destination", "error", "/transfer"
    )
    data["transfer"] = transfer(days=10)
    assert not check("case", data).findings


def test_transfer_before_opening() -> None:
    data = case()
    data["status"] = "transferred"
    data["transfer"] = transfer(minutes=0)
    assert_no_finding(check("case", data), "case.transfer_before_opening")
    data["transfer"] = transfer(minutes=-1)
    assert_finding(check("case", data), "case.transfer_before_opening", "error", "/transfer/date")


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        (
            "assessments",
            [
                {"type": "initial", "completed": stamp(CASE_OPENED, hours=2)},
                {"type": "risk", "completed": stamp(CASE_OPENED, minutes=-1)},
            ],
            "/assessments/1/completed",
        ),
        (
            "case_plan",
            {
                "created": stamp(CASE_OPENED, minutes=-1),
                "goals": [{"description": "Safe at home", "status": "not_started"}],
            },
            "/case_plan/created",
        ),
        (
            "reviews",
            [{"date": stamp(CASE_OPENED, days=-1)}, {"date": stamp(CASE_OPENED, days=30)}],
            "/reviews/0/date",
        ),
    ],
    ids=["assessment", "case plan", "review"],
)
def test_activity_before_opening(field: str, value: object, path: str) -> None:
    data = case()
    assert_no_finding(check("case", data), "case.activity_before_opening")
    data[field] = value
    assert_finding(check("case", data), "case.activity_before_opening", "error", path)


def test_activity_at_opening_is_fine() -> None:
    data = case()
    data["assessments"] = [{"type": "initial", "completed": CASE_OPENED}]
    data["case_plan"]["created"] = CASE_OPENED
    data["reviews"] = [{"date": CASE_OPENED}]
    assert not check("case", data).findings


# -- high-risk assessment deadline ------------------------------------------


def test_high_risk_assessment_at_24_hours_is_fine() -> None:
    assert not check("case", high_risk(timedelta(hours=24))).findings


def test_high_risk_assessment_late() -> None:
    assert_no_finding(check("case", case()), "case.high_risk_assessment_late")
    report = check("case", high_risk(timedelta(hours=24, minutes=1)))
    [finding] = assert_finding(report, "case.high_risk_assessment_late", "warning", "/assessments")
    assert "24" in finding.message


def test_high_risk_assessment_time_zone_does_not_matter() -> None:
    data = high_risk()
    data["assessments"] = [{"type": "risk", "completed": "2025-12-02T05:00:00+00:00"}]  # 24 h
    assert not check("case", data).findings
    data["assessments"] = [{"type": "risk", "completed": "2025-12-02T05:01:00+00:00"}]
    assert_finding(check("case", data), "case.high_risk_assessment_late", "warning", "/assessments")


def test_high_risk_assessment_first_one_counts() -> None:
    data = high_risk(timedelta(days=5), timedelta(hours=3))  # the earliest is on time
    assert not check("case", data).findings


def test_high_risk_assessment_only_for_high_risk() -> None:
    data = high_risk(timedelta(days=3))
    data["risk_level"] = "medium"
    assert not check("case", data).findings


def test_high_risk_never_assessed() -> None:
    report = check("case", high_risk())
    assert_finding(report, "case.high_risk_assessment_late", "warning", "/assessments")
    # one hour after opening nothing is late yet
    soon = at(stamp(CASE_OPENED, hours=1))
    assert not check("case", high_risk(), context=soon).findings


def test_high_risk_assessment_custom_deadline() -> None:
    two_days = RuleContext(
        now=CONTEXT.now, deadlines=Deadlines(high_risk_assessment=timedelta(hours=48))
    )
    data = high_risk(timedelta(hours=30))
    assert_finding(check("case", data), "case.high_risk_assessment_late", "warning", "/assessments")
    assert not check("case", data, context=two_days).findings
    late = high_risk(timedelta(hours=48, minutes=1))
    [finding] = assert_finding(
        check("case", late, context=two_days),
        "case.high_risk_assessment_late",
        "warning",
        "/assessments",
    )
    assert "48" in finding.message


def test_high_risk_clock_stops_at_closure() -> None:
    data = high_risk()
    data["status"] = "closed"
    data["closure"] = closure(hours=23)
    assert not check("case", data).findings
    data["closure"] = closure(hours=25)
    assert_finding(check("case", data), "case.high_risk_assessment_late", "warning", "/assessments")


# -- case plan deadline ------------------------------------------------------


def test_case_plan_created_at_14_days_is_fine() -> None:
    data = case()
    data["case_plan"]["created"] = stamp(CASE_OPENED, days=14)
    assert not check("case", data).findings


def test_case_plan_late() -> None:
    data = case()
    assert_no_finding(check("case", data), "case.case_plan_late")
    data["case_plan"]["created"] = stamp(CASE_OPENED, days=14, minutes=1)
    [finding] = assert_finding(check("case", data), "case.case_plan_late", "warning", "/case_plan")
    assert "14" in finding.message


def test_case_plan_missing() -> None:
    data = case()
    del data["case_plan"]
    assert_finding(check("case", data), "case.case_plan_late", "warning", "/case_plan")
    # still within the 14 days: nothing is late yet
    assert not check("case", data, context=at(stamp(CASE_OPENED, days=14))).findings
    report = check("case", data, context=at(stamp(CASE_OPENED, days=14, minutes=1)))
    assert_finding(report, "case.case_plan_late", "warning", "/case_plan")


def test_case_plan_custom_deadline() -> None:
    data = case()
    data["case_plan"]["created"] = stamp(CASE_OPENED, days=20)
    assert_finding(check("case", data), "case.case_plan_late", "warning", "/case_plan")
    month = RuleContext(now=CONTEXT.now, deadlines=Deadlines(case_plan=timedelta(days=30)))
    assert not check("case", data, context=month).findings


@pytest.mark.parametrize("ending", ["closed", "transferred"])
def test_case_plan_clock_stops_at_closure_or_transfer(ending: str) -> None:
    data = case()
    del data["case_plan"]
    data["status"] = ending
    key, make = ("closure", closure) if ending == "closed" else ("transfer", transfer)
    data[key] = make(days=10)
    assert not check("case", data).findings
    data[key] = make(days=15)
    assert_finding(check("case", data), "case.case_plan_late", "warning", "/case_plan")


# -- review interval ----------------------------------------------------------


def test_no_review_needed_within_90_days() -> None:
    data = case()
    assert not check("case", data, context=at(stamp(CASE_OPENED, days=90))).findings


def test_review_overdue_since_opening() -> None:
    data = case()
    assert_no_finding(check("case", data), "case.review_overdue")
    report = check("case", data, context=at(stamp(CASE_OPENED, days=91)))
    [finding] = assert_finding(report, "case.review_overdue", "warning", "/reviews")
    assert "90" in finding.message


def test_review_gap_of_90_days_is_fine() -> None:
    data = case()
    data["reviews"] = [
        {"date": stamp(CASE_OPENED, days=90)},
        {"date": stamp(CASE_OPENED, days=180)},
    ]
    assert not check("case", data, context=at(stamp(CASE_OPENED, days=200))).findings


@pytest.mark.parametrize(
    ("first", "second", "path"),
    [(91, 150, "/reviews/0/date"), (90, 181, "/reviews/1/date")],
    ids=["first review late", "second review late"],
)
def test_review_gap_of_91_days(first: int, second: int, path: str) -> None:
    data = case()
    data["reviews"] = [
        {"date": stamp(CASE_OPENED, days=first)},
        {"date": stamp(CASE_OPENED, days=second)},
    ]
    report = check("case", data, context=at(stamp(CASE_OPENED, days=200)))
    assert_finding(report, "case.review_overdue", "warning", path)


def test_review_overdue_path_with_reviews_out_of_order() -> None:
    data = case()
    data["reviews"] = [
        {"date": stamp(CASE_OPENED, days=181)},  # late: 91 days after the one below
        {"date": stamp(CASE_OPENED, days=90)},
    ]
    report = check("case", data, context=at(stamp(CASE_OPENED, days=200)))
    assert_finding(report, "case.review_overdue", "warning", "/reviews/0/date")


def test_reviews_at_the_same_time_are_late_alike() -> None:
    data = case()
    late = {"date": stamp(CASE_OPENED, days=91)}
    data["reviews"] = [dict(late), dict(late)]
    report = check("case", data, context=at(stamp(CASE_OPENED, days=100)))
    paths = ("/reviews/0/date", "/reviews/1/date")
    assert_finding(report, "case.review_overdue", "warning", *paths)
    data["reviews"].append({"date": stamp(CASE_OPENED, days=30)})
    assert not check("case", data, context=at(stamp(CASE_OPENED, days=100))).findings


def test_review_clock_stops_at_closure() -> None:
    data = case()
    data["status"] = "closed"
    data["closure"] = closure(days=90)
    assert not check("case", data).findings
    data["closure"] = closure(days=91)
    assert_finding(check("case", data), "case.review_overdue", "warning", "/reviews")


def test_review_custom_interval() -> None:
    data = case()
    monthly = RuleContext(now=CONTEXT.now, deadlines=Deadlines(review_interval=timedelta(days=30)))
    [finding] = assert_finding(
        check("case", data, context=monthly), "case.review_overdue", "warning", "/reviews"
    )
    assert "30" in finding.message
    data["reviews"] = [{"date": stamp(CASE_OPENED, days=30)}]
    assert not check("case", data, context=monthly).findings
