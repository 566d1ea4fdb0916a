"""Rules on the case entity: closure, duplicates, transfers and deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from casestd.model.case import Case
from casestd.rules.engine import Hit, RuleContext, rule


def _end(case: Case, ctx: RuleContext) -> dt.datetime:
    """The time up to which deadlines run: closure or transfer, else now."""
    if case.closure is not None:
        return case.closure.date
    if case.transfer is not None:
        return case.transfer.date
    return ctx.now


def _deadlines_apply(case: Case) -> bool:
    """A case marked duplicate is not worked on: no deadline runs for it."""
    return case.status != "duplicate"


def _hours(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 3600)


@rule("case.closed_without_closure")
def closed_without_closure(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A closed case has a closure date and reason."""
    if case.status == "closed" and case.closure is None:
        yield Hit(("closure",))


@rule("case.closure_on_open_case")
def closure_on_open_case(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """Only a closed case carries a closure."""
    if case.closure is not None and case.status != "closed":
        yield Hit(("status",))


@rule("case.closure_before_opening")
def closure_before_opening(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A case is not closed before it was opened."""
    if case.closure is not None and case.closure.date < case.opened:
        yield Hit(("closure", "date"))


@rule("case.duplicate_without_reference")
def duplicate_without_reference(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A case marked duplicate names the case it duplicates."""
    if case.status == "duplicate" and case.duplicate_of is None:
        yield Hit(("duplicate_of",))


@rule("case.duplicate_reference_on_other_status")
def duplicate_reference_on_other_status(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """Only a case marked duplicate names the case it duplicates."""
    if case.duplicate_of is not None and case.status != "duplicate":
        yield Hit(("duplicate_of",))


@rule("case.transfer_on_other_status")
def transfer_on_other_status(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """Only a transferred case carries a transfer."""
    if case.transfer is not None and case.status != "transferred":
        yield Hit(("status",))


@rule("case.duplicate_of_itself")
def duplicate_of_itself(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A case cannot duplicate itself."""
    if case.duplicate_of is not None and case.duplicate_of == case.id:
        yield Hit(("duplicate_of",))


@rule("case.transferred_without_destination")
def transferred_without_destination(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A transferred case names the agency it went to."""
    if case.status == "transferred" and case.transfer is None:
        yield Hit(("transfer",))


@rule("case.transfer_before_opening")
def transfer_before_opening(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A case is not transferred before it was opened."""
    if case.transfer is not None and case.transfer.date < case.opened:
        yield Hit(("transfer", "date"))


@rule("case.activity_before_opening")
def activity_before_opening(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """Assessments, the case plan and reviews come after the case was opened."""
    for index, assessment in enumerate(case.assessments):
        if assessment.completed < case.opened:
            yield Hit(("assessments", index, "completed"))
    if case.case_plan is not None and case.case_plan.created < case.opened:
        yield Hit(("case_plan", "created"))
    for index, review in enumerate(case.reviews):
        if review.date < case.opened:
            yield Hit(("reviews", index, "date"))


@rule("case.high_risk_assessment_late")
def high_risk_assessment_late(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A high-risk case is assessed within the deadline (24 hours by default)."""
    if case.risk_level != "high" or not _deadlines_apply(case):
        return
    limit = ctx.deadlines.high_risk_assessment
    due = case.opened + limit
    first = min((a.completed for a in case.assessments), default=None)
    if (first is None and _end(case, ctx) > due) or (first is not None and first > due):
        yield Hit(("assessments",), {"hours": _hours(limit)})


@rule("case.case_plan_late")
def case_plan_late(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """A case plan exists within the deadline after opening (14 days by default)."""
    if not _deadlines_apply(case):
        return
    limit = ctx.deadlines.case_plan
    due = case.opened + limit
    plan = case.case_plan
    if (plan is None and _end(case, ctx) > due) or (plan is not None and plan.created > due):
        yield Hit(("case_plan",), {"days": limit.days})


@rule("case.review_overdue")
def review_overdue(case: Case, ctx: RuleContext) -> Iterator[Hit]:
    """An open case is reviewed at least every review interval (90 days by default).

    A review is late when more than the interval passed since the case was
    opened and since every review before it; reviews at the same time are
    each late or not alike, whatever their order in the list. The case is
    late when more than the interval has passed since the last review (or the
    opening) up to its end.
    """
    if not _deadlines_apply(case):
        return
    limit = ctx.deadlines.review_interval
    dates = [review.date for review in case.reviews]
    for index, date in enumerate(dates):
        previous = max([case.opened, *(d for d in dates if d < date)])
        if date - previous > limit:
            yield Hit(("reviews", index, "date"), {"days": limit.days})
    if _end(case, ctx) - max([case.opened, *dates]) > limit:
        yield Hit(("reviews",), {"days": limit.days})
