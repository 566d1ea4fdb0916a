"""The case entity: case management from registration to closure."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from casestd.model import coded
from casestd.model.common import Consent, Record, StandardModel
from casestd.model.types import AgencyId, IsoDate, LongText, RecordId, Timestamp, personal


class Subject(StandardModel):
    """The child or trafficking victim a case is about."""

    type: coded.SubjectType = Field(description="Kind of record the subject is.")
    id: RecordId = Field(description="Id of the subject's record.")


class Assessment(StandardModel):
    """An assessment of the child's situation and risks."""

    type: coded.AssessmentType = Field(description="Kind of assessment.")
    completed: Timestamp = Field(description="When the assessment was completed.")
    risk_level: coded.RiskLevel | None = Field(default=None, description="Risk level it found.")
    summary: LongText | None = personal("Narrative summary of the findings.", default=None)


class Goal(StandardModel):
    """A goal of the case plan."""

    description: LongText = personal("What the goal is.")
    status: coded.GoalStatus = Field(description="Progress towards the goal.")
    target_date: IsoDate | None = Field(default=None, description="When it should be reached.")


class CasePlan(StandardModel):
    """The case plan agreed with the child and family."""

    created: Timestamp = Field(description="When the plan was agreed.")
    goals: list[Goal] = Field(min_length=1, description="Goals of the plan.")


class Review(StandardModel):
    """A periodic review of the case."""

    date: Timestamp = Field(description="When the review took place.")
    risk_level: coded.RiskLevel | None = Field(
        default=None, description="Risk level after the review."
    )
    notes: LongText | None = personal("Notes from the review.", default=None)


class Closure(StandardModel):
    """How and when a case was closed."""

    date: Timestamp = Field(description="When the case was closed.")
    reason: coded.ClosureReason = Field(description="Why the case was closed.")


class Transfer(StandardModel):
    """Where a transferred case went."""

    date: Timestamp = Field(description="When the case was transferred.")
    to_agency: AgencyId = Field(description="Agency that took the case over.")
    to_district: coded.YerevanDistrict | None = Field(
        default=None, description="District office that took the case over, if in Yerevan."
    )


class Case(Record):
    """A child-protection or trafficking case."""

    case_number: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9/._-]{0,39}$")] = Field(
        description="The agency's case number."
    )
    subject: Subject = Field(description="The child or trafficking victim the case is about.")
    family_id: RecordId | None = Field(default=None, description="The subject's family record.")
    case_type: coded.CaseType = Field(description="Child protection or trafficking.")
    status: coded.CaseStatus = Field(description="Status of the case.")
    stage: coded.CaseStage = Field(description="Case management step the case is at.")
    risk_level: coded.RiskLevel = Field(description="Current risk level.")
    protection_concerns: list[coded.ProtectionConcern] = Field(
        default_factory=list, description="Protection concerns identified."
    )
    opened: Timestamp = Field(description="When the case was opened.")
    agency: AgencyId = Field(description="Agency managing the case.")
    district: coded.YerevanDistrict | None = Field(
        default=None, description="District office managing the case, if in Yerevan."
    )
    caseworker: AgencyId | None = Field(
        default=None, description="Staff id of the responsible caseworker in the agency's system."
    )
    assessments: list[Assessment] = Field(default_factory=list, description="Assessments made.")
    case_plan: CasePlan | None = Field(default=None, description="The case plan.")
    reviews: list[Review] = Field(default_factory=list, description="Case reviews.")
    closure: Closure | None = Field(default=None, description="Closure, for closed cases.")
    transfer: Transfer | None = Field(default=None, description="Transfer, for transferred cases.")
    duplicate_of: RecordId | None = Field(
        default=None, description="The case this one duplicates, for duplicate cases."
    )
    consents: list[Consent] = Field(default_factory=list, description="Consents given or refused.")
