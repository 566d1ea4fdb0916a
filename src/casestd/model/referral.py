"""The referral entity: a request from one agency to another for services."""

from __future__ import annotations

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Consent, Record
from casestd.model.types import AgencyId, RecordId, Timestamp


class Referral(Record):
    """A referral of a case to another agency for services."""

    case_id: RecordId = Field(description="The case being referred.")
    from_agency: AgencyId = Field(description="Agency that refers.")
    to_agency: AgencyId = Field(description="Agency referred to.")
    from_caseworker: AgencyId | None = Field(
        default=None,
        description="Staff id of the referring caseworker in the referring agency's system "
        "(HTCDS cas_ReferringPrimaryCaseWorker).",
    )
    to_caseworker: AgencyId | None = Field(
        default=None,
        description="Staff id of the caseworker who takes the referral in the receiving agency "
        "(HTCDS cas_ReferredPrimaryCaseWorker).",
    )
    service_types: list[coded.ServiceType] = Field(min_length=1, description="Services requested.")
    reason: coded.ReferralReason = Field(description="Why the case is referred.")
    urgency: coded.ReferralUrgency = Field(description="How urgent the referral is.")
    status: coded.ReferralStatus = Field(description="Status of the referral.")
    referred: Timestamp = Field(description="When the referral was sent.")
    responded: Timestamp | None = Field(
        default=None, description="When the receiving agency answered."
    )
    completed: Timestamp | None = Field(
        default=None, description="When the referred service was completed."
    )
    consent: Consent | None = Field(default=None, description="Consent to the referral.")
    legal_basis: coded.LegalBasis | None = Field(
        default=None,
        description="Legal basis that replaces consent where consent cannot be sought.",
    )
    rejection_reason: coded.ReferralRejectionReason | None = Field(
        default=None, description="Why the referral was rejected."
    )
