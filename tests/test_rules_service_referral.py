"""The service and referral rules: each one caught at its exact field, and its boundaries."""

from __future__ import annotations

import pytest

from factories import (
    assert_finding,
    assert_no_finding,
    check,
    referral,
    service,
    stamp,
)

SENT = "2025-03-01T10:00:00+04:00"

# -- service ------------------------------------------------------------------


def test_end_before_start() -> None:
    data = service()
    data["end_date"] = data["start_date"]  # a one-day service: fine
    assert not check("service", data).findings
    data["end_date"] = "2025-02-28"
    assert_finding(check("service", data), "service.end_before_start", "error", "/end_date")


def test_quantity_without_unit() -> None:
    data = service()
    data["quantity"] = 4.0
    data["unit"] = "session"
    assert not check("service", data).findings
    del data["unit"]
    assert_finding(check("service", data), "service.quantity_without_unit", "error", "/unit")


def test_unit_without_quantity() -> None:
    data = service()
    assert_no_finding(check("service", data), "service.quantity_without_unit")
    data["unit"] = "session"
    assert_finding(check("service", data), "service.quantity_without_unit", "error", "/quantity")


@pytest.mark.parametrize("status", ["delivered", "ongoing"])
def test_delivered_without_start(status: str) -> None:
    data = service()
    data["status"] = status
    assert_no_finding(check("service", data), "service.delivered_without_start")
    del data["start_date"]
    assert_finding(
        check("service", data), "service.delivered_without_start", "warning", "/start_date"
    )


@pytest.mark.parametrize("status", ["planned", "cancelled"])
def test_no_start_needed_before_delivery(status: str) -> None:
    data = service()
    data["status"] = status
    del data["start_date"]
    del data["end_date"]
    assert not check("service", data).findings


def test_planned_in_past() -> None:
    data = service()
    data["status"] = "planned"
    data["end_date"] = "2026-01-15"  # ends today: not yet in the past
    assert not check("service", data).findings
    data["end_date"] = "2026-01-14"
    assert_finding(check("service", data), "service.planned_in_past", "warning", "/status")


# -- referral -----------------------------------------------------------------


def test_referral_without_consent_or_legal_basis() -> None:
    data = referral()
    assert_no_finding(check("referral", data), "referral.no_consent_or_legal_basis")
    del data["consent"]
    assert_finding(
        check("referral", data), "referral.no_consent_or_legal_basis", "error", "/legal_basis"
    )
    data["legal_basis"] = "child_safety_emergency"
    assert not check("referral", data).findings


def test_referral_with_refused_consent() -> None:
    data = referral()
    data["consent"]["given"] = False
    assert_finding(
        check("referral", data), "referral.no_consent_or_legal_basis", "error", "/consent"
    )
    data["legal_basis"] = "court_order"
    assert not check("referral", data).findings


@pytest.mark.parametrize(
    ("scope", "covered"),
    [
        ("referral", True),
        ("data_sharing", True),
        ("photo_and_media", False),
        ("registration", False),
    ],
)
def test_referral_consent_must_cover_referral(scope: str, covered: bool) -> None:
    data = referral()
    data["consent"]["scope"] = scope
    report = check("referral", data)
    if covered:
        assert_no_finding(report, "referral.no_consent_or_legal_basis")
    else:
        assert_finding(report, "referral.no_consent_or_legal_basis", "error", "/consent")


def test_referral_to_the_same_agency() -> None:
    data = referral()
    assert_no_finding(check("referral", data), "referral.same_agency")
    data["to_agency"] = data["from_agency"]
    assert_finding(check("referral", data), "referral.same_agency", "error", "/to_agency")


def test_rejected_without_reason() -> None:
    data = referral()
    data["status"] = "rejected"
    data["responded"] = stamp(SENT, days=2)
    data["rejection_reason"] = "no_capacity"
    assert not check("referral", data).findings
    del data["rejection_reason"]
    assert_finding(
        check("referral", data), "referral.rejected_without_reason", "error", "/rejection_reason"
    )


@pytest.mark.parametrize("status", ["pending", "accepted", "completed", "cancelled"])
def test_reason_without_rejection(status: str) -> None:
    data = referral()
    data["status"] = status
    if status in {"accepted", "completed"}:
        data["responded"] = stamp(SENT, days=2)
    if status == "completed":
        data["completed"] = stamp(SENT, days=20)
    assert not check("referral", data).findings
    data["rejection_reason"] = "not_eligible"
    assert_finding(
        check("referral", data),
        "referral.reason_without_rejection",
        "warning",
        "/rejection_reason",
    )


def test_response_before_referral() -> None:
    data = referral()
    data["status"] = "accepted"
    data["responded"] = SENT  # answered at once: fine
    assert not check("referral", data).findings
    data["responded"] = stamp(SENT, minutes=-1)
    assert_finding(
        check("referral", data), "referral.response_before_referral", "error", "/responded"
    )


def test_response_before_referral_across_time_zones() -> None:
    data = referral()
    data["status"] = "accepted"
    data["responded"] = "2025-03-01T06:30:00+00:00"  # 10:30 in Yerevan: after 10:00
    assert not check("referral", data).findings
    data["responded"] = "2025-03-01T05:59:00+00:00"  # 09:59 in Yerevan
    assert_finding(
        check("referral", data), "referral.response_before_referral", "error", "/responded"
    )


@pytest.mark.parametrize(
    ("responded", "completed"),
    [(None, -1), (48, 47)],
    ids=["before the referral", "before the response"],
)
def test_completion_out_of_order(responded: int | None, completed: int) -> None:
    data = referral()
    data["status"] = "cancelled"  # a status that needs no response time
    if responded is not None:
        data["responded"] = stamp(SENT, hours=responded)
    data["completed"] = stamp(SENT, hours=max(completed, responded or 0))
    assert_no_finding(check("referral", data), "referral.completion_out_of_order")
    data["completed"] = stamp(SENT, hours=completed)
    assert_finding(
        check("referral", data), "referral.completion_out_of_order", "error", "/completed"
    )


@pytest.mark.parametrize("status", ["accepted", "rejected", "completed"])
def test_answered_without_response_time(status: str) -> None:
    data = referral()
    data["status"] = status
    data["responded"] = stamp(SENT, days=1)
    if status == "rejected":
        data["rejection_reason"] = "service_not_available"
    if status == "completed":
        data["completed"] = stamp(SENT, days=10)
    assert not check("referral", data).findings
    del data["responded"]
    assert_finding(
        check("referral", data),
        "referral.answered_without_response_time",
        "warning",
        "/responded",
    )


@pytest.mark.parametrize("status", ["pending", "cancelled"])
def test_unanswered_referral_needs_no_response_time(status: str) -> None:
    data = referral()
    data["status"] = status
    assert not check("referral", data).findings
