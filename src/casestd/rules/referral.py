"""Rules on the referral entity."""

from __future__ import annotations

from collections.abc import Iterator

from casestd.model.referral import Referral
from casestd.rules.engine import Hit, RuleContext, rule

#: Consent scopes that cover passing a case to another agency.
REFERRAL_SCOPES = frozenset({"referral", "data_sharing"})


@rule("referral.no_consent_or_legal_basis")
def no_consent_or_legal_basis(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """A referral needs consent given for referral or data sharing, or a legal basis instead."""
    consent = referral.consent
    consented = consent is not None and consent.given and consent.scope in REFERRAL_SCOPES
    if not consented and referral.legal_basis is None:
        yield Hit(("consent",) if consent is not None else ("legal_basis",))


@rule("referral.same_agency")
def same_agency(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """An agency does not refer a case to itself."""
    if referral.from_agency == referral.to_agency:
        yield Hit(("to_agency",))


@rule("referral.rejected_without_reason")
def rejected_without_reason(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """A rejected referral says why."""
    if referral.status == "rejected" and referral.rejection_reason is None:
        yield Hit(("rejection_reason",))


@rule("referral.reason_without_rejection")
def reason_without_rejection(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """A rejection reason belongs only to a rejected referral."""
    if referral.status != "rejected" and referral.rejection_reason is not None:
        yield Hit(("rejection_reason",))


@rule("referral.response_before_referral")
def response_before_referral(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """The receiving agency cannot answer before the referral was sent."""
    if referral.responded is not None and referral.responded < referral.referred:
        yield Hit(("responded",))


@rule("referral.completion_out_of_order")
def completion_out_of_order(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """A referral is completed after it was sent and after it was answered."""
    completed = referral.completed
    if completed is None:
        return
    opened = max(filter(None, (referral.referred, referral.responded)))
    if completed < opened:
        yield Hit(("completed",))


@rule("referral.answered_without_response_time")
def answered_without_response_time(referral: Referral, ctx: RuleContext) -> Iterator[Hit]:
    """An accepted, rejected or completed referral records when it was answered."""
    if referral.status in {"accepted", "rejected", "completed"} and referral.responded is None:
        yield Hit(("responded",))
